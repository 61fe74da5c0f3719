import Glibc
import Synchronization

/// Writes log lines at or above `level` to a descriptor (standard error by default), each
/// ending with the writer's `pid`, in one `write(2)` so lines from several threads and processes
/// never interleave.
///
/// A value type: callers keep a copy (a worker takes one when it starts) and pay nothing but
/// a comparison for a line below the level, since the line is built only when enabled.
public struct Logger: Sendable, Equatable {
    public var format: LogFormat
    public var level: LogLevel
    public var descriptor: Int32

    public init(format: LogFormat = .logfmt, level: LogLevel = .info, descriptor: Int32 = 2) {
        self.format = format
        self.level = level
        self.descriptor = descriptor
    }

    @inline(__always)
    public func isEnabled(_ level: LogLevel) -> Bool {
        level >= self.level
    }

    /// Writes the line if its level is enabled; `line` is not evaluated otherwise.
    @inline(__always)
    public func log(_ level: LogLevel, _ line: @autoclosure () -> LogLine) {
        guard isEnabled(level) else { return }
        write(line())
    }

    /// Writes `line` if its level is enabled.
    public func write(_ line: LogLine) {
        guard isEnabled(line.level) else { return }
        var bytes: [UInt8] = []
        line.render(as: format, pid: getpid(), into: &bytes)
        bytes.append(0x0A)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes {
                Glibc.write(descriptor, $0.baseAddress, $0.count)
            }
            if count < 0, errno == EINTR { continue }
            // A closed or full log pipe must not stop the pool: drop the line.
            guard count > 0 else { return }
            written += count
        }
    }

    /// The text written for `line`, without the newline: `pid` is the last field.
    public func render(_ line: LogLine) -> String {
        var bytes: [UInt8] = []
        line.render(as: format, pid: getpid(), into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The logger every part of this process uses, set once from the command line before
    /// the pool forks, so workers inherit it. A process-wide value rather than a parameter
    /// because the master, the workers' accept threads and model loading all log, and
    /// passing it through each would touch every layer's signatures for one setting.
    public static var process: Logger {
        processLogger.withLock { $0 }
    }

    /// Sets `process`; call it at start-up, before any thread or worker exists.
    public static func bootstrap(_ logger: Logger) {
        processLogger.withLock { $0 = logger }
    }
}

private let processLogger = Mutex(Logger())
