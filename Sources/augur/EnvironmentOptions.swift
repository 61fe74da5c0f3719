#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Options from `AUGUR_*` environment variables, for containers and units that configure
/// with the environment: `AUGUR_WORKERS=4` is `--workers 4`. An option on the command line
/// wins over its variable; for a repeatable option, any `--model` on the command line
/// replaces the whole of `AUGUR_MODEL`.
///
/// Lists (`AUGUR_MODEL="iris=/m/iris.joblib,diabetes=/m/d.joblib"`) are separated by commas
/// or newlines, with spaces around an item dropped. Not by spaces, because model paths hold
/// spaces far more often than commas; newlines let a YAML block list one item per line. Model
/// names cannot hold a comma, and a path that does can still be given with the option.
///
/// Unknown names: other programs use `AUGUR_` too, and Augur cannot refuse them all. Its
/// scripts and tests read `AUGUR_BINARY`, `AUGUR_PORT` and more, and Kubernetes gives every
/// pod `AUGUR_WORKER_SERVICE_HOST`, `AUGUR_WORKER_PORT_9000_TCP` and the like for the
/// `augur-worker` Service of deploy/kubernetes. So a name is refused only when it is within
/// two edits of a known variable (`AUGUR_WORKER`, `AUGUR_MAXROWS`, `AUGUR_LOG_LEVLE`), where
/// it is far more likely a misspelling than another program's; the rest are left alone.
struct EnvironmentOptions {
    struct Setting {
        let spec: OptionSpec
        let value: String
    }

    /// The environment's `AUGUR_` variables, by name.
    let variables: [String: String]
    /// The variables that set an option of the last `merge`, for error messages.
    private(set) var used: [Setting] = []

    init(_ environment: [String: String] = EnvironmentOptions.processEnvironment()) {
        variables = environment.filter { $0.key.hasPrefix("AUGUR_") }
    }

    /// Reads `arguments`, then adds the options it lacks from their variables.
    ///
    /// With `--help` the environment is not read, so that help works whatever it holds.
    mutating func merge(
        _ arguments: ArraySlice<String>,
        options specs: [OptionSpec],
        flagNames: Set<String>
    ) throws(CommandLineOptions.UsageError) -> CommandLineOptions {
        let valued = Set(specs.map(\.name))
        let given = try CommandLineOptions(arguments, valued: valued, flagNames: flagNames)
        if given.flags.contains("help") { return given }
        try refuseMisspellings()

        used = []
        var added: [String] = []
        for spec in specs where given.all(spec.name).isEmpty {
            guard let value = variables[spec.variable], !value.isEmpty else { continue }
            used.append(Setting(spec: spec, value: value))
            for item in spec.isList ? Self.listItems(value) : [value] {
                added.append("--\(spec.name)=\(item)")
            }
        }
        return try CommandLineOptions(added[...] + arguments, valued: valued, flagNames: flagNames)
    }

    /// The message of a usage error, naming the variable when one set the option it is
    /// about: `AUGUR_WORKERS="two" in the environment: --workers must be an integer …`.
    func explain(_ error: any Error) -> String {
        let message = "\(error)"
        for setting in used {
            let flag = "--\(setting.spec.name)"
            guard message.hasPrefix(flag) else { continue }
            let next = message.dropFirst(flag.count).first
            guard next == nil || next == " " || next == ":" || next == "=" else { continue }
            return "\(setting.spec.variable)=\"\(setting.value)\" in the environment: \(message)"
        }
        guard !used.isEmpty else { return message }
        let settings = used.map { "\($0.spec.variable)=\"\($0.value)\"" }
        return message + " (set in the environment: \(settings.joined(separator: ", ")))"
    }

    /// Items of a list variable: split at commas and newlines, trimmed, empty ones dropped.
    static func listItems(_ value: String) -> [String] {
        value.split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == "\r\n" })
            .map { $0.trimmingSpaces() }
            .filter { !$0.isEmpty }
    }

    /// Throws for an unknown name close enough to a known one to be its misspelling.
    func refuseMisspellings() throws(CommandLineOptions.UsageError) {
        let known = OptionSpec.allVariables
        for name in variables.keys.sorted() where !known.contains(name) {
            let suffix = Array(name.dropFirst("AUGUR_".count).utf8)
            let closest = known.map { known in
                (known, Self.editDistance(suffix, Array(known.dropFirst("AUGUR_".count).utf8)))
            }.min { $0.1 < $1.1 }
            if let closest, closest.1 <= 2 {
                throw CommandLineOptions.UsageError(
                    description: "unknown environment variable \(name); did you mean "
                        + "\(closest.0)? (`augur help serve` lists them)"
                )
            }
        }
    }

    /// Edits (insert, delete, replace, swap two neighbours) from `a` to `b`.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(
                    table[i - 1][j] + 1,
                    table[i][j - 1] + 1,
                    table[i - 1][j - 1] + cost
                )
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }

    /// The process's environment, from `environ`.
    static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        // Optional, as it is on platforms whose headers mark it nullable.
        let first: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = environ
        guard var entry = first else { return result }
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }),
            let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}
