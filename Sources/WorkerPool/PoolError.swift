import Glibc

/// Why the pool could not start: a bad address, a socket that cannot be bound, a process
/// that cannot be created. The message names the address and the system's error text.
public struct PoolError: Error, Equatable, CustomStringConvertible {
    /// Stable codes for callers and tests.
    public enum Code: String, Sendable {
        /// The `--listen` text is not `unix:PATH` or `tcp:HOST:PORT`.
        case invalidAddress = "invalid_address"
        /// Another process already listens on the address.
        case addressInUse = "address_in_use"
        /// The unix socket path exists and is not a socket; it is never removed.
        case notASocket = "not_a_socket"
        /// `socket`, `bind`, `listen` or `chmod` failed.
        case socketFailed = "socket_failed"
        /// The pool configuration is unusable.
        case invalidConfiguration = "invalid_configuration"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// An error for a failed system call, with `errno`'s text appended.
    static func system(_ code: Code, _ what: String, errno error: Int32) -> PoolError {
        PoolError(code, "\(what): \(String(cString: strerror(error)))")
    }

    public var description: String { "\(message) (\(code.rawValue))" }
}
