import Estimators

extension Inspection {
    /// How many feature names and class labels the text shows before it counts the rest.
    static let shownItems = 20
    private static let keyWidth = 17

    /// The report for people, one fact a line; a file that is no readable pickle gets one
    /// line with the reason. Ends with a newline.
    public var text: String {
        if let failure { return "cannot inspect \(file): \(failure.message)\n" }
        var lines: [String] = []
        func line(_ key: String, _ value: String) {
            let padding = String(repeating: " ", count: max(1, Self.keyWidth - key.count - 1))
            lines.append(key + ":" + padding + value)
        }
        line("file", file)
        line(
            "container",
            container.map { name in compression.map { "\(name), \($0)-compressed" } ?? name }
                ?? "unknown"
        )
        line("pickle protocol", pickleProtocol.map(String.init) ?? "below 2 (no PROTO opcode)")
        line("numpy", numpyText)
        line("scikit-learn", sklearnVersion ?? "not recorded")
        if let tree {
            line("estimator", Self.describe(tree))
            lines += Self.partLines(
                tree.parts,
                prefix: String(repeating: " ", count: Self.keyWidth)
            )
        } else {
            line("estimator", "none: the file holds no estimator object")
        }
        line("features", inputWidth.map(String.init) ?? "unknown")
        if let featureNames { line("feature names", Self.list(featureNames)) }
        if let classes { line("classes", Self.list(Self.labelTexts(classes))) }
        if outputs.isEmpty {
            line("outputs", "none: Augur cannot serve this file")
        } else {
            line("outputs", outputs.map(\.rawValue).joined(separator: ", "))
        }
        if !problems.isEmpty {
            let indent = String(repeating: " ", count: Self.keyWidth)
            for (index, problem) in problems.enumerated() {
                if index == 0 {
                    line("problems", Self.describe(problem))
                } else {
                    lines.append(indent + Self.describe(problem))
                }
            }
            if problems.contains(where: { $0.code == "unsupported_estimator" }) {
                let count = EstimatorRegistry.supportedClassNames.count
                line("augur serves", "\(count) scikit-learn classes; `augur estimators` lists them")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private var numpyText: String {
        switch numpy {
        case .numpy1: "1 (globals under numpy.core)"
        case .numpy2: "2 (globals under numpy._core)"
        case .mixed: "unknown (globals under both numpy.core and numpy._core)"
        case .unknown: "unknown (no global under numpy.core or numpy._core)"
        }
    }

    private static func describe(_ node: Node) -> String {
        guard node.className != "passthrough" else { return "passthrough" }
        let count = node.count > 1 ? "\(node.count) × " : ""
        let verdict =
            switch node.verdict {
            case .supported: " (supported)"
            case .notSupported: " (not supported)"
            case .readByParent: " (read by its parent)"
            case .unjudged: ""
            }
        return count + node.className + verdict
    }

    private static func partLines(_ parts: [Node], prefix: String) -> [String] {
        var lines: [String] = []
        for (index, part) in parts.enumerated() {
            let last = index == parts.count - 1
            let label = part.label.map { "\($0): " } ?? ""
            lines.append(prefix + (last ? "└─ " : "├─ ") + label + describe(part))
            lines += partLines(part.parts, prefix: prefix + (last ? "   " : "│  "))
        }
        return lines
    }

    private static func describe(_ problem: Problem) -> String {
        var subject = problem.className ?? ""
        if let attribute = problem.attribute {
            subject += (subject.isEmpty ? "" : ".") + attribute
        }
        let text = subject.isEmpty ? problem.message : "\(subject): \(problem.message)"
        return problem.path.isEmpty ? text : "\(text) (at \(problem.path))"
    }

    private static func list(_ items: [String]) -> String {
        guard items.count > shownItems else { return items.joined(separator: ", ") }
        return items.prefix(shownItems).joined(separator: ", ")
            + ", … (\(items.count) in all)"
    }

    static func labelTexts(_ labels: ClassLabels) -> [String] {
        switch labels {
        case .integers(let values): values.map(String.init)
        case .unsignedIntegers(let values): values.map(String.init)
        case .strings(let values): values.map { "\"\($0)\"" }
        case .floats(let values): values.map { "\($0)" }
        case .booleans(let values): values.map { $0 ? "True" : "False" }
        }
    }
}
