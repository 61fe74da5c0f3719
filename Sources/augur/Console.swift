#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Exit codes, after BSD's sysexits where one fits.
enum ExitCode {
    static let success: Int32 = 0
    /// The request was answered with an error status (`augur predict`).
    static let requestFailed: Int32 = 1
    /// Bad command line (EX_USAGE).
    static let usage: Int32 = 64
    /// A model file that cannot be served (EX_DATAERR).
    static let badModel: Int32 = 65
    /// An input file that cannot be read (EX_NOINPUT).
    static let noInput: Int32 = 66
    /// The listening socket could not be set up (EX_UNAVAILABLE).
    static let unavailable: Int32 = 69
}

/// Output for people on standard error, raw bytes on standard output. Plain descriptors
/// rather than C `FILE` streams, whose globals Swift 6 treats as shared mutable state.
enum Console {
    static func error(_ message: String) {
        writeAll(Array("augur: \(message)\n".utf8), to: STDERR_FILENO)
    }

    static func write(_ bytes: [UInt8]) {
        writeAll(bytes, to: STDOUT_FILENO)
    }

    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes {
                Glibc.write(descriptor, $0.baseAddress, $0.count)
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            written += count
        }
    }

    /// Reads all of a file, or of standard input when `path` is nil.
    static func readAll(path: String?) -> [UInt8]? {
        let descriptor = path.map { open($0, O_RDONLY) } ?? STDIN_FILENO
        guard descriptor >= 0 else { return nil }
        defer { if path != nil { close(descriptor) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count < 0 { return nil }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}

enum Usage {
    static let text = """
        usage: augur <command> [options]

        commands:
          serve    --model NAME=PATH ... | --repository DIR ... [--default NAME]
                   [--listen unix:PATH | tcp:HOST:PORT] [--workers N] [--threads N]
                   [--max-body-bytes N] [--max-rows N] [--max-json-depth N]
                   [--max-string-bytes N] [--request-timeout SECONDS] [--max-requests N]
                   [--log-format logfmt|json] [--log-level debug|info|warning|error]
                   [--watch [SECONDS]]
                   Load every model, then run a pool of FastCGI workers for nginx.
                   SIGHUP re-reads the files (and re-scans DIR); SIGTERM stops.
          predict  MODEL_PATH [--input FILE]
                   Answer one /predict request body (standard input by default) and
                   print exactly the body the server would send.
          inspect  MODEL_PATH [--json]
                   Show what a pickle or joblib file holds and whether it can be served.
          estimators
                   List every estimator class Augur serves, with its outputs (Markdown).

        options of serve (defaults):
          --model            NAME=PATH: serve the file PATH as model NAME (letters,
                             digits, '.', '_', '-'); repeatable
          --repository       DIR: serve every model file in DIR, repeatable:
                             DIR/NAME.joblib (.pkl, .pickle; compressed .joblib.gz,
                             .z, .bz2, .xz, .lzma, .lz4 too) as model NAME, and
                             DIR/NAME/VERSION/model.joblib as version VERSION of NAME
                             (the newest version answers when none is asked for)
          --default          the model POST /predict serves (the only one, if one)
          --listen           unix:/run/augur/augur.sock (its folder must exist or be
                             creatable, and be writable; otherwise exit 69)
          --workers          number of CPUs
          --threads          accept threads per worker (4)
          --max-body-bytes   largest request body accepted (67108864, as nginx/augur.conf);
                             larger: 413 body_too_large
          --max-rows         rows in one request (100000); more: 413 too_many_rows
          --max-json-depth   nesting of JSON arrays and objects (256); deeper: 400
                             nesting_too_deep
          --max-string-bytes bytes in one JSON string, CSV cell or V2 BYTES element
                             (65536); longer: 413 string_too_long
          --request-timeout  seconds one request may take in a worker (30; 0 for none),
                             below nginx's fastcgi_read_timeout (60); past it: 503
                             deadline_exceeded
          --max-requests     requests a worker answers before it is replaced (0: never)
          --log-format       logfmt (default) or json, on standard error
          --log-level        info (default); debug adds a line per request
          --watch            poll the model files every SECONDS (2) and reload, as
                             SIGHUP does, when one has changed and then stayed the same
                             for one interval
        """
}
