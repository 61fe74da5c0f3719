import FastCGI
import Serving
import WorkerPool

/// One option of a command: the single description that the usage text, `--help`, the
/// option reader and the `AUGUR_*` environment variables are all made from, so that none of
/// them can list an option the others lack.
struct OptionSpec: Sendable {
    /// The name after `--`, such as `max-body-bytes`.
    let name: String
    /// What the value looks like in the help, such as `N` or `NAME=PATH`.
    let value: String
    /// The help, wrapped by hand to fit the column the help gives it.
    let summary: [String]
    /// The default as the help states it; nil when there is none.
    let defaultText: String?
    /// Repeatable on the command line; its variable holds a list.
    var isList = false

    /// `AUGUR_` and the name in capitals, `_` for `-`: `AUGUR_MAX_BODY_BYTES`.
    var variable: String {
        "AUGUR_" + String(name.uppercased().map { $0 == "-" ? "_" : $0 })
    }
}

extension OptionSpec {
    /// The options of `augur serve`, which `augur nginx-config` takes too. The defaults are
    /// read from the types that apply them, so that the help follows a changed default.
    static let serve: [OptionSpec] = [
        OptionSpec(
            name: "model",
            value: "NAME=PATH",
            summary: [
                "serve the file PATH as model NAME (letters,",
                "digits, '.', '_', '-'); repeatable",
            ],
            defaultText: nil,
            isList: true
        ),
        OptionSpec(
            name: "repository",
            value: "DIR",
            summary: [
                "serve every model file in DIR; repeatable:",
                "DIR/NAME.joblib (.pkl, .pickle; compressed",
                ".joblib.gz, .z, .bz2, .xz, .lzma, .lz4 too) as",
                "model NAME, DIR/NAME/VERSION/model.joblib as",
                "version VERSION of NAME (the newest answers",
                "when none is asked for)",
            ],
            defaultText: nil,
            isList: true
        ),
        OptionSpec(
            name: "default",
            value: "NAME",
            summary: ["the model POST /predict serves"],
            defaultText: "the only model, if one"
        ),
        OptionSpec(
            name: "listen",
            value: "ADDRESS",
            summary: [
                "unix:PATH or tcp:HOST:PORT; a socket's folder",
                "must exist or be creatable, and be writable",
                "(otherwise exit 69)",
            ],
            defaultText: defaultListen
        ),
        OptionSpec(
            name: "workers",
            value: "N",
            summary: ["worker processes"],
            defaultText: "the number of CPUs, \(PoolConfiguration.processorCount) here"
        ),
        OptionSpec(
            name: "threads",
            value: "N",
            summary: ["accept threads per worker"],
            defaultText: "\(defaultThreads)"
        ),
        OptionSpec(
            name: "max-body-bytes",
            value: "N",
            summary: [
                "largest request body accepted, as nginx's",
                "client_max_body_size; larger: 413",
                "body_too_large",
            ],
            defaultText: "\(FastCGIServer.Configuration().maxBodyBytes)"
        ),
        OptionSpec(
            name: "max-rows",
            value: "N",
            summary: ["rows in one request; more: 413 too_many_rows"],
            defaultText: "\(ServingLimits().maxRows)"
        ),
        OptionSpec(
            name: "max-json-depth",
            value: "N",
            summary: [
                "nesting of JSON arrays and objects; deeper:",
                "400 nesting_too_deep",
            ],
            defaultText: "\(ServingLimits().maxJSONDepth)"
        ),
        OptionSpec(
            name: "max-string-bytes",
            value: "N",
            summary: [
                "bytes in one JSON string, CSV cell or V2 BYTES",
                "element; longer: 413 string_too_long",
            ],
            defaultText: "\(ServingLimits().maxStringBytes)"
        ),
        OptionSpec(
            name: "request-timeout",
            value: "SECONDS",
            summary: [
                "time one request may take in a worker (0.5",
                "allowed; 0 for none), below nginx's",
                "fastcgi_read_timeout; past it: 503",
                "deadline_exceeded",
            ],
            defaultText: ServingLimits().requestTimeout.map { "\($0.components.seconds)" }
                ?? "0"
        ),
        OptionSpec(
            name: "max-requests",
            value: "N",
            summary: [
                "requests a worker answers before it is",
                "replaced; 0: never",
            ],
            defaultText: "0"
        ),
        OptionSpec(
            name: "log-format",
            value: "FORMAT",
            summary: ["logfmt or json, on standard error"],
            defaultText: "logfmt"
        ),
        OptionSpec(
            name: "log-level",
            value: "LEVEL",
            summary: [
                "debug, info, warning or error; debug adds a",
                "line per request",
            ],
            defaultText: "info"
        ),
        OptionSpec(
            name: "watch",
            value: "[SECONDS]",
            summary: [
                "poll the model files every SECONDS (0.1 to",
                "3600; \(ServeCommand.defaultWatchSeconds) when none is given) and reload, as",
                "SIGHUP does, once a changed file has stayed",
                "the same for one interval",
            ],
            defaultText: "off"
        ),
    ]

    /// `--listen` when none is given: the socket nginx/augur.conf names.
    static let defaultListen = "unix:/run/augur/augur.sock"

    /// `--threads` when none is given.
    static var defaultThreads: Int {
        PoolConfiguration(listen: .unix(path: "")).threadsPerWorker
    }

    /// Every variable some command reads. A command never refuses another command's variable
    /// as a misspelling, so one environment can hold the variables of both.
    static var allVariables: [String] {
        (serve + NginxConfigCommand.ownOptions).map(\.variable)
    }
}
