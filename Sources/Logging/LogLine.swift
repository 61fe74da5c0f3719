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
        switch format {
        case .logfmt:
            var line = "level=\(level.name) msg=\(Self.quoted(message))"
            for field in fields {
                line += " \(field.key)=\(Self.quoted(field.value))"
            }
            return line
        case .json:
            var line = "{\"level\":\"\(level.name)\",\"msg\":"
            Self.appendJSONString(message, to: &line)
            for field in fields {
                line += ","
                Self.appendJSONString(field.key, to: &line)
                line += ":"
                Self.appendJSONString(field.value, to: &line)
            }
            return line + "}"
        }
    }

    /// Bare when the value is a plain word, otherwise quoted with `"` and `\` escaped and
    /// control characters written as escapes, so that a value never breaks a line.
    static func quoted(_ value: String) -> String {
        let plain =
            !value.isEmpty
            && value.utf8.allSatisfy {
                $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "=")
                    && $0 != UInt8(ascii: "\\")
            }
        if plain { return value }
        var out = "\""
        appendEscaped(value, to: &out)
        return out + "\""
    }

    static func appendJSONString(_ value: String, to out: inout String) {
        out += "\""
        appendEscaped(value, to: &out)
        out += "\""
    }

    /// The escapes logfmt and JSON share: `\"`, `\\`, `\n`, `\r`, `\t` and `\u00XX`.
    private static func appendEscaped(_ value: String, to out: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0}"..."\u{1F}", "\u{7F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
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
