/// A small argument reader: `--name value`, `--name=value`, flags and positionals.
struct CommandLineOptions {
    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    private(set) var values: [(name: String, value: String)] = []
    private(set) var positionals: [String] = []
    private(set) var flags: Set<String> = []

    /// - Parameters:
    ///   - valued: options that take a value.
    ///   - flagNames: options that take none.
    init(_ arguments: ArraySlice<String>, valued: Set<String>, flagNames: Set<String> = [])
        throws(UsageError)
    {
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            guard argument.hasPrefix("--") else {
                positionals.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if flagNames.contains(name) {
                flags.insert(name)
                continue
            }
            guard valued.contains(name) else {
                throw UsageError(description: "unknown option --\(name)")
            }
            guard let given = value ?? remaining.popFirst() else {
                throw UsageError(description: "--\(name) needs a value")
            }
            values.append((name, given))
        }
    }

    func all(_ name: String) -> [String] {
        values.filter { $0.name == name }.map(\.value)
    }

    func last(_ name: String) -> String? {
        all(name).last
    }

    func integer(_ name: String, default fallback: Int, minimum: Int = 1) throws(UsageError) -> Int
    {
        guard let text = last(name) else { return fallback }
        guard let value = Int(text), value >= minimum else {
            throw UsageError(description: "--\(name) must be an integer of at least \(minimum)")
        }
        return value
    }
}
