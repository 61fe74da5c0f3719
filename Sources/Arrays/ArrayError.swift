/// Why a numpy array, dtype or joblib container could not be rebuilt.
public struct ArrayError: Error, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case malformed
        case unsupported
        case file
        /// A compressed stream would decompress to more than the allowed number of bytes.
        case tooLarge
    }

    public var code: Code
    public var message: String

    public static func malformed(_ message: String) -> ArrayError {
        ArrayError(code: .malformed, message: message)
    }

    public static func unsupported(_ message: String) -> ArrayError {
        ArrayError(code: .unsupported, message: message)
    }

    public var description: String { message }
}
