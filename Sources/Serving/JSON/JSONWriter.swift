/// Writes JSON text into a byte buffer, inserting commas itself.
///
/// Doubles are written in Swift's shortest round-trip form; NaN and infinities, which JSON
/// cannot express, are written as `null`.
public struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the next value in the current container needs a comma before it.
    private var needsComma = false
    /// How many NaN or infinite doubles were written as `null`.
    public private(set) var nonFiniteCount = 0

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// The finished document, with a final newline so terminals show it cleanly.
    public mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    public mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func integer(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func unsignedInteger(_ value: UInt64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func double(_ value: Double) {
        guard value.isFinite else {
            nonFiniteCount += 1
            null()
            return
        }
        separate()
        bytes.append(contentsOf: value.description.utf8)
    }

    public mutating func string(_ value: String) {
        separate()
        Self.appendLiteral(value, to: &bytes)
    }

    /// `value` as a JSON string literal, quotes included: `"`, `\` and control
    /// characters escaped, everything else as UTF-8.
    public static func stringLiteral(_ value: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 2)
        appendLiteral(value, to: &bytes)
        return bytes
    }

    /// Appends the literal of `stringLiteral` to `bytes`, without a buffer of its own.
    static func appendLiteral(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""):
                bytes.append(0x5C)
                bytes.append(0x22)
            case UInt8(ascii: "\\"):
                bytes.append(0x5C)
                bytes.append(0x5C)
            case 0x0A:
                bytes.append(0x5C)
                bytes.append(UInt8(ascii: "n"))
            case 0x0D:
                bytes.append(0x5C)
                bytes.append(UInt8(ascii: "r"))
            case 0x09:
                bytes.append(0x5C)
                bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex: StaticString = "0123456789abcdef"
                bytes.append(contentsOf: "\\u00".utf8)
                hex.withUTF8Buffer { digits in
                    bytes.append(digits[Int(byte >> 4)])
                    bytes.append(digits[Int(byte & 0xF)])
                }
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
