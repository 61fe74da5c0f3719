/// Reads JSON text (RFC 8259, plus the `NaN`, `Infinity` and `-Infinity` that Python's
/// `json` module writes) into a ``DocumentValue``.
public enum JSONDocument {
    /// Arrays and objects nested deeper than this are refused: a model file has a handful of
    /// levels, and a hostile one must not exhaust the stack.
    public static let maxDepth = 256

    public static func read(_ bytes: [UInt8]) throws(DocumentError) -> DocumentValue {
        try bytes.withUnsafeBufferPointer { buffer throws(DocumentError) in
            var parser = JSONParser(bytes: buffer)
            parser.skipWhitespace()
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.position == buffer.count else {
                throw parser.error("unexpected text after the document")
            }
            return value
        }
    }
}

private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    func error(_ message: String) -> DocumentError {
        DocumentError(offset: position, message)
    }

    var atEnd: Bool { position >= bytes.count }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(DocumentError) -> DocumentValue {
        guard !atEnd else { throw error("the document ends where a value should be") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "N"): return try literal("NaN", .double(.nan))
        case UInt8(ascii: "I"): return try literal("Infinity", .double(.infinity))
        case UInt8(ascii: "-")
        where position + 1 < bytes.count
            && bytes[position + 1] == UInt8(ascii: "I"):
            position += 1
            return try literal("Infinity", .double(-.infinity))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected character where a value should be")
        }
    }

    mutating func literal(_ word: StaticString, _ result: DocumentValue) throws(DocumentError)
        -> DocumentValue
    {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("unknown literal") }
        for index in 0..<count where bytes[position + index] != word.utf8Start[index] {
            throw error("unknown literal")
        }
        position += count
        return result
    }

    mutating func object(depth: Int) throws(DocumentError) -> DocumentValue {
        guard depth <= JSONDocument.maxDepth else {
            throw error("nested more than \(JSONDocument.maxDepth) deep")
        }
        position += 1
        var members: [DocumentMember] = []
        skipWhitespace()
        if !atEnd, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard !atEnd, bytes[position] == UInt8(ascii: "\"") else {
                throw error("an object key must be a string")
            }
            let key = try string()
            skipWhitespace()
            guard !atEnd, bytes[position] == UInt8(ascii: ":") else {
                throw error("expected ':' after an object key")
            }
            position += 1
            skipWhitespace()
            members.append(DocumentMember(key: key, value: try value(depth: depth)))
            skipWhitespace()
            guard !atEnd else { throw error("the document ends inside an object") }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            default: throw error("expected ',' or '}' in an object")
            }
        }
    }

    mutating func array(depth: Int) throws(DocumentError) -> DocumentValue {
        guard depth <= JSONDocument.maxDepth else {
            throw error("nested more than \(JSONDocument.maxDepth) deep")
        }
        position += 1
        var items: [DocumentValue] = []
        skipWhitespace()
        if !atEnd, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth))
            skipWhitespace()
            guard !atEnd else { throw error("the document ends inside an array") }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(items)
            default: throw error("expected ',' or ']' in an array")
            }
        }
    }

    /// A number: an integer when it has no fraction or exponent and fits in 64 bits, else
    /// a double rounded correctly from its decimal text.
    mutating func number() throws(DocumentError) -> DocumentValue {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let digitsStart = position
        skipDigits()
        guard position > digitsStart else { throw error("a number needs digits") }
        if bytes[digitsStart] == UInt8(ascii: "0"), position - digitsStart > 1 {
            throw error("a number may not start with 0")
        }
        var isInteger = true
        if !atEnd, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            let fractionStart = position
            skipDigits()
            guard position > fractionStart else { throw error("a fraction needs digits") }
        }
        if !atEnd, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if !atEnd, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
            {
                position += 1
            }
            let exponentStart = position
            skipDigits()
            guard position > exponentStart else { throw error("an exponent needs digits") }
        }
        let text = String(
            decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]),
            as: UTF8.self
        )
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let double = Double(text) else { throw error("unreadable number") }
        return .double(double)
    }

    mutating func skipDigits() {
        while position < bytes.count, bytes[position] &- UInt8(ascii: "0") < 10 {
            position += 1
        }
    }

    mutating func string() throws(DocumentError) -> String {
        position += 1
        var utf8: [UInt8] = []
        while true {
            guard !atEnd else { throw error("the document ends inside a string") }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                // Invalid UTF-8 is replaced rather than refused: keys and names are ASCII.
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                try escape(into: &utf8)
            case 0..<0x20:
                throw error("a control character inside a string")
            default:
                utf8.append(byte)
                position += 1
            }
        }
    }

    mutating func escape(into utf8: inout [UInt8]) throws(DocumentError) {
        guard !atEnd else { throw error("the document ends inside an escape") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try hexQuad())
            if (0xD800..<0xDC00).contains(scalar), position + 1 < bytes.count,
                bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
            {
                position += 2
                let low = UInt32(try hexQuad())
                guard (0xDC00..<0xE000).contains(low) else {
                    throw error("a high surrogate not followed by a low one")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            // A lone surrogate becomes U+FFFD, as Python's decoder would not refuse it either.
            let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            utf8.append(contentsOf: String(character).utf8)
        default: throw error("an unknown escape in a string")
        }
    }

    mutating func hexQuad() throws(DocumentError) -> UInt16 {
        guard position + 4 <= bytes.count else { throw error("a \\u escape needs four digits") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("a \\u escape needs four hex digits")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }
}
