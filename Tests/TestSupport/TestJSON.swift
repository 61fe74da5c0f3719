#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain JSON value, for reading fixtures and responses in tests.
///
/// Kept apart from the product's own reader on purpose: tests must not trust the code they
/// test. Numbers go through `strtod`, so they are exactly what Python wrote.
public indirect enum TestJSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double, text: String)
    case string(String)
    case array([TestJSON])
    case object([String: TestJSON])

    public static func parse(_ text: String) throws -> TestJSON {
        try parse(Array(text.utf8))
    }

    public static func parse(_ bytes: [UInt8]) throws -> TestJSON {
        var parser = Parser(bytes: bytes)
        let value = try parser.value()
        parser.skipSpace()
        guard parser.index == bytes.count else { throw ParseError(offset: parser.index) }
        return value
    }

    public static func read(path: String) throws -> TestJSON {
        guard let file = fopen(path, "rb") else { throw ParseError(offset: -1) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return try parse(bytes)
    }

    public struct ParseError: Error {
        public let offset: Int
    }

    public subscript(key: String) -> TestJSON? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    public var array: [TestJSON]? {
        if case .array(let items) = self { items } else { nil }
    }

    public var double: Double? {
        if case .number(let value, _) = self { value } else { nil }
    }

    /// The number's text had no fraction or exponent (a JSON integer).
    public var isIntegerLiteral: Bool {
        if case .number(_, let text) = self {
            return !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        }
        return false
    }

    public var string: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// Rows of numbers (`[[1, 2], [3, 4]]`).
    public var matrix: [[Double]]? {
        array?.map { $0.array?.compactMap(\.double) ?? [] }
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) {
                index += 1
            }
        }

        mutating func value() throws -> TestJSON {
            skipSpace()
            guard index < bytes.count else { throw ParseError(offset: index) }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [String: TestJSON] = [:]
                skipSpace()
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(members)
                }
                while true {
                    skipSpace()
                    guard case .string(let key) = try value() else {
                        throw ParseError(offset: index)
                    }
                    skipSpace()
                    try expect(":")
                    members[key] = try value()
                    skipSpace()
                    if try endOrComma("}") { return .object(members) }
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [TestJSON] = []
                skipSpace()
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(items)
                }
                while true {
                    items.append(try value())
                    skipSpace()
                    if try endOrComma("]") { return .array(items) }
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"):
                index += 4
                return .bool(true)
            case UInt8(ascii: "f"):
                index += 5
                return .bool(false)
            case UInt8(ascii: "n"):
                index += 4
                return .null
            default:
                let start = index
                while index < bytes.count,
                    "+-.0123456789eE".utf8.contains(bytes[index])
                {
                    index += 1
                }
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                guard !text.isEmpty else { throw ParseError(offset: start) }
                return .number(strtod(text, nil), text: text)
            }
        }

        mutating func expect(_ character: Unicode.Scalar) throws {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else {
                throw ParseError(offset: index)
            }
            index += 1
        }

        mutating func endOrComma(_ closing: Unicode.Scalar) throws -> Bool {
            guard index < bytes.count else { throw ParseError(offset: index) }
            if bytes[index] == UInt8(ascii: closing) {
                index += 1
                return true
            }
            try expect(",")
            return false
        }

        mutating func string() throws -> String {
            try expect("\"")
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\") {
                    scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                    raw = []
                    index += 1
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "u"):
                        let hex = String(decoding: bytes[index..<(index + 4)], as: UTF8.self)
                        index += 4
                        var code = UInt32(hex, radix: 16) ?? 0xFFFD
                        // A character beyond the BMP is escaped as a UTF-16 surrogate pair.
                        if (0xD800..<0xDC00).contains(code), index + 6 <= bytes.count,
                            bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u"),
                            let low = UInt32(
                                String(decoding: bytes[(index + 2)..<(index + 6)], as: UTF8.self),
                                radix: 16
                            ), (0xDC00..<0xE000).contains(low)
                        {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            index += 6
                        }
                        scalars.append(Unicode.Scalar(code) ?? "?")
                    default: scalars.append(Unicode.Scalar(escape))
                    }
                } else {
                    raw.append(bytes[index])
                    index += 1
                }
            }
            try expect("\"")
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            return String(scalars)
        }
    }
}
