import Glibc

/// logfmt lines on stderr for the worker's lifecycle (never per request: nginx logs those).
enum WorkerLog {
    enum Level: String {
        case info, warning, error
    }

    /// Writes `level=… msg="…" worker.pid=… key=value…` with one `write(2)`, so lines from
    /// several threads and processes do not interleave.
    static func log(_ level: Level, _ message: String, _ fields: [(String, String)] = []) {
        var line = "level=\(level.rawValue) msg=\(quoted(message)) worker.pid=\(getpid())"
        for (key, value) in fields {
            line += " \(key)=\(quoted(value))"
        }
        line += "\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
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
