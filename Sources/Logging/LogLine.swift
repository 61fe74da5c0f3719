/// One structured log line: a level, a message and `key=value` fields, rendered as logfmt
/// (`level=info msg="worker started" worker.pid=123 slot=0`) or as one JSON object.
public struct LogLine: Equatable, Sendable, CustomStringConvertible {
    public typealias Level = LogLevel

    /// One `key=value` pair; keys are dotted (`worker.pid`, `request.id`).
    public struct Field: Equatable, Sendable {
        public var key: String
        public var value: String

        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    public var level: Level
    public var message: String
    public var fields: [Field]

    public init(_ level: Level, _ message: String, _ fields: [Field] = []) {
        self.level = level
        self.message = message
        self.fields = fields
    }

    /// The value of `key`, for tests and filters.
    public subscript(key: String) -> String? {
        fields.first { $0.key == key }?.value
    }

    /// The logfmt text, without a newline.
    public var description: String {
        rendered(as: .logfmt)
    }

    /// The line in `format`, without a newline.
    public func rendered(as format: LogFormat) -> String {
        var bytes: [UInt8] = []
        render(as: format, pid: nil, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the line in `format` to `out`, with `pid` as a last field when given. Built
    /// as bytes, not strings: this runs for every logged request.
    func render(as format: LogFormat, pid: Int32?, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + 64 + message.utf8.count + fields.count * 24)
        switch format {
        case .logfmt:
            Self.append("level=", to: &out)
            Self.append(level.name, to: &out)
            Self.append(" msg=", to: &out)
            Self.appendLogfmtValue(message, to: &out)
            for field in fields {
                out.append(0x20)
                Self.append(field.key, to: &out)
                out.append(UInt8(ascii: "="))
                Self.appendLogfmtValue(field.value, to: &out)
            }
            if let pid {
                Self.append(" pid=", to: &out)
                Self.append(String(pid), to: &out)
            }
        case .json:
            Self.append(#"{"level":""#, to: &out)
            Self.append(level.name, to: &out)
            Self.append(#"","msg":"#, to: &out)
            Self.appendJSONString(message, to: &out)
            for field in fields {
                out.append(UInt8(ascii: ","))
                Self.appendJSONString(field.key, to: &out)
                out.append(UInt8(ascii: ":"))
                Self.appendJSONString(field.value, to: &out)
            }
            if let pid {
                Self.append(#","pid":"#, to: &out)
                Self.append(String(pid), to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func append(_ text: String, to out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
    }

    /// Bare when the value is a plain word, otherwise quoted with `"` and `\` escaped and
    /// control characters written as escapes, so that a value never breaks a line.
    private static func appendLogfmtValue(_ value: String, to out: inout [UInt8]) {
        var plain = !value.isEmpty
        for byte in value.utf8
        where byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "\\")
        {
            plain = false
            break
        }
        if plain {
            out.append(contentsOf: value.utf8)
        } else {
            appendJSONString(value, to: &out)
        }
    }

    /// A JSON string literal; logfmt quotes the same way. Bytes of 0x80 and above are
    /// UTF-8 and pass through.
    private static func appendJSONString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30])
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// How severe a line is. Lines below a logger's level are never formatted.
public enum LogLevel: Int, Comparable, Sendable, CaseIterable {
    case debug, info, warning, error

    public var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    /// The level named `text` (`debug`, `info`, `warning`, `error`), or nil.
    public init?(name text: String) {
        guard let level = Self.allCases.first(where: { $0.name == text }) else { return nil }
        self = level
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// How lines are written: logfmt for people and `grep`, JSON for log shippers.
public enum LogFormat: String, Sendable, CaseIterable {
    case logfmt, json
}
