/// A JSON or UBJSON document read whole into a tree of values: the model files that are not
/// pickles (XGBoost's models, skops' `schema.json`). Request bodies are not read this way;
/// they are streamed straight into feature rows by the serving layer.
public enum DocumentValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number written without a fraction or exponent that fits in 64 bits.
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([DocumentValue])
    /// Members in the order the document wrote them.
    case object([DocumentMember])

    /// The value of `key` in an object (the first, should the document repeat it).
    public subscript(key: String) -> DocumentValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var string: String? {
        if case .string(let text) = self { text } else { nil }
    }

    public var array: [DocumentValue]? {
        if case .array(let items) = self { items } else { nil }
    }

    public var members: [DocumentMember]? {
        if case .object(let members) = self { members } else { nil }
    }

    public var bool: Bool? {
        if case .bool(let flag) = self { flag } else { nil }
    }

    /// An integer, also when written as a float with no fraction (`3.0`).
    public var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .double(let value):
            value.rounded(.towardZero) == value && abs(value) < 0x1p63 ? Int64(value) : nil
        default: nil
        }
    }

    /// Any number, as a double.
    public var double: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// What kind of value this is, for messages ("expected an array, found a string").
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One key and value of an object.
public struct DocumentMember: Sendable, Equatable {
    public let key: String
    public let value: DocumentValue

    public init(key: String, value: DocumentValue) {
        self.key = key
        self.value = value
    }
}

/// A document that could not be read: what was wrong, and the byte offset where it was seen.
public struct DocumentError: Error, Equatable, CustomStringConvertible {
    public let offset: Int
    public let message: String

    public init(offset: Int, _ message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) (at byte \(offset))" }
}
