#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A scanner over a JSON document that reads values where the caller expects them, so
/// numbers go straight into a feature buffer without a boxed tree in between.
///
/// Every syntax error is a ``ServingError`` with code `invalid_json` and the byte offset.
struct JSONReader: ~Copyable {
    /// The kinds of value, told apart by their first byte.
    enum ValueKind: Equatable {
        case object, array, string, number, boolean, null

        var name: String {
            switch self {
            case .object: "an object"
            case .array: "an array"
            case .string: "a string"
            case .number: "a number"
            case .boolean: "a boolean"
            case .null: "null"
            }
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0
    /// Nesting deeper than this is refused rather than followed.
    let maxDepth: Int
    /// A string longer than this, decoded, is refused before it is copied whole.
    let maxStringBytes: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = 256, maxStringBytes: Int = .max) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
    }

    /// A reader for a request body under the server's limits. The whole document's nesting
    /// is checked first, in one pass over the bytes, so `--max-json-depth` means the same
    /// wherever the nesting is (rows, an unknown field, V2 parameters).
    init(_ bytes: UnsafeBufferPointer<UInt8>, limits: ServingLimits) throws(ServingError) {
        self.init(bytes, maxDepth: limits.maxJSONDepth, maxStringBytes: limits.maxStringBytes)
        try checkNesting()
    }

    /// Reads a request body with `decode`: refuses one of nothing but whitespace (400
    /// `empty_body`, `emptyHint` saying what to send), checks its nesting, and gives
    /// `decode` a reader over the bytes and the bytes themselves (for a second look at a
    /// part).
    static func decodeBody<Result>(
        _ body: [UInt8],
        limits: ServingLimits,
        emptyHint: String,
        _ decode: (inout JSONReader, UnsafeBufferPointer<UInt8>) throws(ServingError) -> Result
    ) throws(ServingError) -> Result {
        try ServingError.requireBody(body, hint: emptyHint)
        return try body.withUnsafeBufferPointer { buffer throws(ServingError) in
            var reader = try JSONReader(buffer, limits: limits)
            return try decode(&reader, buffer)
        }
    }

    /// Refuses a document whose arrays and objects nest deeper than ``maxDepth``, counting
    /// the outermost as 1; brackets inside strings do not count. Syntax is left to the
    /// reading itself.
    func checkNesting() throws(ServingError) {
        var depth = 0
        var index = 0
        let count = bytes.count
        while index < count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                // Skip the string, escapes included; an unterminated one ends the scan.
                index += 1
                while index < count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxDepth {
                    throw ServingError(
                        .nestingTooDeep,
                        "JSON is nested deeper than \(maxDepth) levels (at byte \(index)), the "
                            + "server's limit (--max-json-depth)"
                    )
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            default:
                break
            }
            index += 1
        }
    }

    func syntaxError(_ message: String, at offset: Int? = nil) -> ServingError {
        ServingError(.invalidJSON, "invalid JSON at byte \(offset ?? position): \(message)")
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, without consuming it.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    var isAtEnd: Bool { position >= bytes.count }

    /// The kind of the next value, failing on a byte that starts none.
    mutating func peekKind() throws(ServingError) -> ValueKind {
        guard let byte = peek() else {
            throw syntaxError("the document ends where a value should be")
        }
        switch byte {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .boolean
        case UInt8(ascii: "n"): return .null
        default: throw syntaxError("unexpected character '\(Self.printable(byte))'")
        }
    }

    /// Consumes `byte` after optional whitespace.
    mutating func expect(_ byte: UInt8) throws(ServingError) {
        guard peek() == byte else {
            if let found = peek() {
                throw syntaxError(
                    "expected '\(Self.printable(byte))', found '\(Self.printable(found))'"
                )
            }
            throw syntaxError("expected '\(Self.printable(byte))', found the end of the document")
        }
        position += 1
    }

    /// Consumes `byte` if it comes next (after whitespace).
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    /// After a container's first element: consumes `,` and returns true, or consumes the
    /// closing byte and returns false.
    mutating func nextElement(closing: UInt8) throws(ServingError) -> Bool {
        if consume(UInt8(ascii: ",")) { return true }
        if consume(closing) { return false }
        throw syntaxError("expected ',' or '\(Self.printable(closing))'")
    }

    // MARK: - Scalars

    mutating func readNull() throws(ServingError) {
        try literal("null")
    }

    mutating func readBoolean() throws(ServingError) -> Bool {
        if peek() == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    private mutating func literal(_ word: StaticString) throws(ServingError) {
        skipWhitespace()
        let start = position
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else {
            throw syntaxError("unexpected end", at: start)
        }
        for index in 0..<count where bytes[position + index] != word.utf8Start[index] {
            throw syntaxError("unexpected word", at: start)
        }
        position += count
    }

    /// Reads a JSON number, correctly rounded to the nearest double.
    mutating func readNumber() throws(ServingError) -> Double {
        skipWhitespace()
        let start = position
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var negative = false
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        let integerStart = position
        while position < bytes.count, Self.isDigit(bytes[position]) {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[position] &- 48) }
            digits += 1
            position += 1
        }
        let integerDigits = position - integerStart
        guard integerDigits > 0 else { throw syntaxError("a number needs digits", at: start) }
        if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") {
            throw syntaxError("numbers may not have leading zeros", at: start)
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            let fractionStart = position
            while position < bytes.count, Self.isDigit(bytes[position]) {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[position] &- 48) }
                digits += 1
                position += 1
            }
            fractionDigits = position - fractionStart
            guard fractionDigits > 0 else {
                throw syntaxError("a decimal point needs digits after it", at: start)
            }
        }
        var hasExponent = false
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            hasExponent = true
            position += 1
            if position < bytes.count,
                bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
            {
                position += 1
            }
            let exponentStart = position
            while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
            guard position > exponentStart else {
                throw syntaxError("an exponent needs digits", at: start)
            }
        }
        // Exact fast path: a mantissa below 2^53 divided by an exactly representable power
        // of ten rounds correctly in one operation.
        if !hasExponent, digits <= 15, fractionDigits <= 22 {
            let magnitude = Double(mantissa) / Self.powersOfTen[fractionDigits]
            return negative ? -magnitude : magnitude
        }
        return strtodCopy(from: start, to: position)
    }

    /// An integer written without fraction or exponent, exactly.
    struct IntegerLiteral: Equatable {
        var negative: Bool
        var magnitude: UInt64
    }

    /// The number that ends at the current position and starts at `start`, when it is an
    /// integer literal whose magnitude fits 64 bits; nil otherwise. For checks that need
    /// more than a double's 53 bits.
    func integerLiteral(from start: Int) -> IntegerLiteral? {
        var index = start
        while index < position, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        let negative = index < position && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < position else { return nil }
        var magnitude: UInt64 = 0
        while index < position {
            let byte = bytes[index]
            guard Self.isDigit(byte) else { return nil }
            let (times, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(byte &- 48))
            guard !overflow, !carry else { return nil }
            magnitude = sum
            index += 1
        }
        return IntegerLiteral(negative: negative, magnitude: magnitude)
    }

    /// strtod needs a terminated string; the number is copied out so the body never does.
    private func strtodCopy(from start: Int, to end: Int) -> Double {
        let length = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer in
            for index in 0..<length {
                buffer[index] = CChar(bitPattern: bytes[start + index])
            }
            buffer[length] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    /// Reads a string, decoding escapes and checking UTF-8.
    mutating func readString() throws(ServingError) -> String {
        try expect(UInt8(ascii: "\""))
        let start = position
        var plainEnd = position
        // Most strings have no escapes: take them as they are.
        while plainEnd < bytes.count, bytes[plainEnd] != UInt8(ascii: "\""),
            bytes[plainEnd] != UInt8(ascii: "\\"), bytes[plainEnd] >= 0x20
        {
            plainEnd += 1
        }
        guard plainEnd < bytes.count else {
            throw syntaxError("a string is not closed", at: start - 1)
        }
        try checkStringLength(plainEnd - start, startingAt: start - 1)
        var decoded = Array(bytes[start..<plainEnd])
        position = plainEnd
        while true {
            try checkStringLength(decoded.count, startingAt: start - 1)
            guard position < bytes.count else {
                throw syntaxError("a string is not closed", at: start - 1)
            }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: decoded, as: UTF8.self) else {
                    throw syntaxError("a string is not valid UTF-8", at: start)
                }
                return text
            case UInt8(ascii: "\\"):
                try readEscape(into: &decoded)
            case 0..<0x20:
                throw syntaxError("control character in a string", at: position - 1)
            default:
                decoded.append(byte)
            }
        }
    }

    private func checkStringLength(_ length: Int, startingAt offset: Int) throws(ServingError) {
        guard length > maxStringBytes else { return }
        throw ServingError(
            .stringTooLong,
            "the string at byte \(offset) is longer than \(maxStringBytes) bytes, the server's "
                + "limit (--max-string-bytes)"
        )
    }

    private mutating func readEscape(into decoded: inout [UInt8]) throws(ServingError) {
        guard position < bytes.count else { throw syntaxError("unfinished escape") }
        let escape = bytes[position]
        position += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var code = try readHex4()
            if (0xD800..<0xDC00).contains(code) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else { throw syntaxError("unpaired surrogate") }
                position += 2
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw syntaxError("unpaired surrogate")
                }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(code) {
                throw syntaxError("unpaired surrogate")
            }
            guard let scalar = Unicode.Scalar(code) else { throw syntaxError("bad \\u escape") }
            decoded.append(contentsOf: String(Character(scalar)).utf8)
        default:
            throw syntaxError("unknown escape '\\\(Self.printable(escape))'", at: position - 2)
        }
    }

    private mutating func readHex4() throws(ServingError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw syntaxError("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntaxError("bad hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    // MARK: - Whole values

    /// Skips one value of any kind, checking its syntax.
    mutating func skipValue(depth: Int = 0) throws(ServingError) {
        guard depth < maxDepth else {
            throw ServingError(
                .nestingTooDeep,
                "JSON is nested deeper than \(maxDepth) levels, the server's limit "
                    + "(--max-json-depth)"
            )
        }
        switch try peekKind() {
        case .object:
            position += 1
            if consume(UInt8(ascii: "}")) { return }
            repeat {
                _ = try readString()
                try expect(UInt8(ascii: ":"))
                try skipValue(depth: depth + 1)
            } while try nextElement(closing: UInt8(ascii: "}"))
        case .array:
            position += 1
            if consume(UInt8(ascii: "]")) { return }
            repeat {
                try skipValue(depth: depth + 1)
            } while try nextElement(closing: UInt8(ascii: "]"))
        case .string: _ = try readString()
        case .number: _ = try readNumber()
        case .boolean: _ = try readBoolean()
        case .null: try readNull()
        }
    }

    /// Fails unless only whitespace remains.
    mutating func expectEnd() throws(ServingError) {
        skipWhitespace()
        guard isAtEnd else { throw syntaxError("unexpected data after the JSON value") }
    }

    static func printable(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "0x" + String(byte, radix: 16)
    }
}
