/// Why a FastCGI worker could not start. Request-level problems never throw: they become
/// HTTP answers.
public struct FastCGIError: Error, Equatable, CustomStringConvertible {
    /// Stable codes for callers and logs.
    public enum Code: String, Sendable {
        /// `FCGX_Init` failed.
        case libraryInitFailed = "library_init_failed"
        /// The descriptor handed to the server is not a listening socket.
        case notListening = "not_listening"
        /// An accept thread could not be created.
        case threadStartFailed = "thread_start_failed"
        /// The configuration is unusable (for example zero threads).
        case invalidConfiguration = "invalid_configuration"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) (\(code.rawValue))" }
}
