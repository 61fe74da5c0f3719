import Glibc

/// How a worker process ended, decoded from a `waitpid` status.
public enum WorkerExit: Equatable, Sendable, CustomStringConvertible {
    /// It called `exit` or `_exit` with this code.
    case exited(code: Int32)
    /// A signal ended it.
    case signaled(signal: Int32, coreDumped: Bool)

    /// Decodes a status from `waitpid` (the `WIFEXITED`/`WTERMSIG` macros, which Swift does
    /// not import).
    public init(waitStatus status: Int32) {
        let signal = status & 0x7F
        if signal == 0 {
            self = .exited(code: (status >> 8) & 0xFF)
        } else {
            self = .signaled(signal: signal, coreDumped: status & 0x80 != 0)
        }
    }

    /// Whether the worker ended cleanly (exit code 0).
    public var isClean: Bool { self == .exited(code: 0) }

    /// The exit code of a worker that served its `--max-requests` and asks to be replaced
    /// (EX_TEMPFAIL); no crash of the runtime exits with it, since those end by a signal.
    public static let recycleCode: Int32 = 75

    /// Whether the worker left to be recycled rather than by a fault.
    public var isRecycle: Bool { self == .exited(code: Self.recycleCode) }

    public var description: String {
        switch self {
        case .exited(let code): "exit code \(code)"
        case .signaled(let signal, let core): "\(signalName(signal))\(core ? " (core dumped)" : "")"
        }
    }

    /// logfmt fields: `exit.code=1` or `exit.signal=SIGKILL`.
    var fields: [LogLine.Field] {
        switch self {
        case .exited(let code): [.init("exit.code", "\(code)")]
        case .signaled(let signal, let core):
            [.init("exit.signal", signalName(signal))]
                + (core ? [.init("core.dumped", "true")] : [])
        }
    }
}

/// The usual name of a signal number, for logs.
func signalName(_ signal: Int32) -> String {
    switch signal {
    case SIGHUP: "SIGHUP"
    case SIGINT: "SIGINT"
    case SIGQUIT: "SIGQUIT"
    case SIGILL: "SIGILL"
    case SIGTRAP: "SIGTRAP"
    case SIGABRT: "SIGABRT"
    case SIGBUS: "SIGBUS"
    case SIGFPE: "SIGFPE"
    case SIGKILL: "SIGKILL"
    case SIGUSR1: "SIGUSR1"
    case SIGSEGV: "SIGSEGV"
    case SIGUSR2: "SIGUSR2"
    case SIGPIPE: "SIGPIPE"
    case SIGALRM: "SIGALRM"
    case SIGTERM: "SIGTERM"
    case SIGCHLD: "SIGCHLD"
    default: "signal \(signal)"
    }
}
