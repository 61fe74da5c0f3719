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
