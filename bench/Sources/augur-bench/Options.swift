/// A usage or input problem, printed on standard error.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// `--name value` and `--name=value` options, and positionals.
struct Options {
    private var values: [String: String] = [:]
    private var positionals: [String] = []

    init(_ arguments: ArraySlice<String>, valued: Set<String>) throws {
        var remaining = arguments
        while let argument = remaining.popFirst() {
            guard argument.hasPrefix("--") else {
                positionals.append(argument)
                continue
            }
            let parts = argument.dropFirst(2).split(separator: "=", maxSplits: 1)
            let name = String(parts.first ?? "")
            guard valued.contains(name) else { throw BenchFailure("unknown option --\(name)") }
            guard let value = parts.count == 2 ? String(parts[1]) : remaining.popFirst() else {
                throw BenchFailure("--\(name) needs a value")
            }
            values[name] = value
        }
    }

    func modelPath() throws -> String {
        guard positionals.count == 1 else {
            throw BenchFailure("give one model file\n\n\(Usage.text)")
        }
        return positionals[0]
    }

    func last(_ name: String) -> String? { values[name] }

    func required(_ name: String) throws -> String {
        guard let value = values[name] else { throw BenchFailure("--\(name) is required") }
        return value
    }

    func integer(_ name: String, default fallback: Int) throws -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text), value >= 1 else {
            throw BenchFailure("--\(name) must be a whole number of at least 1")
        }
        return value
    }

    func number(_ name: String, default fallback: Double) throws -> Double {
        guard let text = values[name] else { return fallback }
        guard let value = Double(text), value > 0 else {
            throw BenchFailure("--\(name) must be a positive number")
        }
        return value
    }
}
