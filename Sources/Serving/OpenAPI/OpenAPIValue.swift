/// A JSON value of the OpenAPI document, with object keys kept in the order written so the
/// served document reads like its source.
///
/// The literal conformances let the document be written as nested Swift literals that look
/// like the JSON they produce.
indirect enum OpenAPIValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null
    case array([OpenAPIValue])
    case object([(key: String, value: OpenAPIValue)])

    static func == (left: OpenAPIValue, right: OpenAPIValue) -> Bool {
        switch (left, right) {
        case (.string(let l), .string(let r)): l == r
        case (.integer(let l), .integer(let r)): l == r
        case (.number(let l), .number(let r)): l == r
        case (.bool(let l), .bool(let r)): l == r
        case (.null, .null): true
        case (.array(let l), .array(let r)): l == r
        case (.object(let l), .object(let r)):
            l.count == r.count && zip(l, r).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// The member `key` of an object; nil for other values or a missing key.
    subscript(key: String) -> OpenAPIValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// This object with `members` appended (replacing none); other values are returned as
    /// they are.
    func adding(_ members: [(key: String, value: OpenAPIValue)]) -> OpenAPIValue {
        guard case .object(let existing) = self else { return self }
        return .object(existing + members)
    }

    func write(into writer: inout JSONWriter) {
        switch self {
        case .string(let text): writer.string(text)
        case .integer(let value): writer.integer(Int64(value))
        case .number(let value): writer.double(value)
        case .bool(let value): writer.bool(value)
        case .null: writer.null()
        case .array(let items):
            writer.beginArray()
            for item in items { item.write(into: &writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for member in members {
                writer.key(member.key)
                member.value.write(into: &writer)
            }
            writer.endObject()
        }
    }
}

extension OpenAPIValue: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self = .string(value) }
}

extension OpenAPIValue: ExpressibleByIntegerLiteral {
    init(integerLiteral value: Int) { self = .integer(value) }
}

extension OpenAPIValue: ExpressibleByFloatLiteral {
    init(floatLiteral value: Double) { self = .number(value) }
}

extension OpenAPIValue: ExpressibleByBooleanLiteral {
    init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension OpenAPIValue: ExpressibleByArrayLiteral {
    init(arrayLiteral elements: OpenAPIValue...) { self = .array(elements) }
}

extension OpenAPIValue: ExpressibleByDictionaryLiteral {
    init(dictionaryLiteral elements: (String, OpenAPIValue)...) {
        self = .object(elements.map { (key: $0.0, value: $0.1) })
    }
}
