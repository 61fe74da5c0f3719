/// Why a pickle could not be read, with where it happened.
public struct PickleError: Error, Equatable, CustomStringConvertible {
    /// Stable codes, one per kind of failure.
    public enum Code: String, Sendable {
        /// The input ended inside an opcode or before STOP.
        case truncated
        /// A byte that is no opcode of protocols 0–5.
        case unknownOpcode
        /// An opcode found the stack or the mark stack not as it needs them.
        case malformed
        /// A memo index that nothing was stored under.
        case missingMemo
        /// A construct this reader deliberately does not support (out-of-band buffers,
        /// persistent ids, the extension registry).
        case unsupported
        /// The input would exceed a size, depth or count limit.
        case limitExceeded
        /// The input is not a pickle at all.
        case notAPickle
        /// The pickle names a global that can run code (see ``GlobalPolicy``).
        case forbiddenGlobal
    }

    public var code: Code
    /// Byte offset of the opcode (or the position) where the problem was found.
    public var offset: Int
    /// Name of the opcode involved, when there is one.
    public var opcode: String?
    /// What went wrong, in words, naming the Python global involved where there is one.
    public var message: String

    public init(_ code: Code, offset: Int, opcode: String? = nil, _ message: String) {
        self.code = code
        self.offset = offset
        self.opcode = opcode
        self.message = message
    }

    public var description: String {
        if let opcode {
            return "\(message) (\(opcode) at byte \(offset))"
        }
        return "\(message) (at byte \(offset))"
    }
}
