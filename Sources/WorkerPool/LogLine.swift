/// One structured log line, rendered as logfmt: `level=info msg="worker started"
/// worker.pid=123 slot=0`.
public struct LogLine: Equatable, Sendable, CustomStringConvertible {
    public enum Level: String, Sendable {
        case info, warning, error
    }

    /// One `key=value` pair; keys are dotted (`worker.pid`).
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
        var line = "level=\(level.rawValue) msg=\(Self.quoted(message))"
        for field in fields {
            line += " \(field.key)=\(Self.quoted(field.value))"
        }
        return line
    }

    /// Bare when the value is a plain word, otherwise quoted with `"` and `\` escaped.
    static func quoted(_ value: String) -> String {
        let plain =
            !value.isEmpty
            && value.utf8.allSatisfy {
                $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "=")
                    && $0 != UInt8(ascii: "\\")
            }
        if plain { return value }
        var out = "\""
        for character in value {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}
