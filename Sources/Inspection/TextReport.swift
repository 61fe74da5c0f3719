import Estimators
import Serving

extension Inspection {
    /// How many feature names and class labels the text shows before it counts the rest.
    static let shownItems = 20
    private static let keyWidth = 17

    /// The report for people, one fact a line; a file that is no readable pickle gets one
    /// line with the reason. Ends with a newline.
    ///
    /// Text taken from the file cannot break a line: control characters are escaped as in
    /// JSON (`\n`, `\t`, `\u0000`), and string labels are JSON string literals, in
    /// double quotes with `"` and `\` escaped too, so `"a\"b"` is one label.
    public var text: String {
        if let failure {
            return Self.escapingControls("cannot inspect \(file): \(failure.message)") + "\n"
        }
        var lines: [String] = []
        func line(_ key: String, _ value: String) {
            let padding = String(repeating: " ", count: max(1, Self.keyWidth - key.count - 1))
            lines.append(key + ":" + padding + Self.escapingControls(value))
        }
        line("file", file)
        line(
            "container",
            container.map { name in compression.map { "\(name), \($0)-compressed" } ?? name }
                ?? "unknown"
        )
        if isPickle {
            line("pickle protocol", pickleProtocol.map(String.init) ?? "below 2 (no PROTO opcode)")
            line("numpy", numpyText)
        }
        line("scikit-learn", sklearnVersion ?? "not recorded")
        if let tree {
            line("estimator", Self.describe(tree))
            lines += Self.partLines(
                tree.parts,
                prefix: String(repeating: " ", count: Self.keyWidth)
            ).map(Self.escapingControls)
        } else {
            line("estimator", "none: the file holds no estimator object")
        }
        line("features", inputWidth.map(String.init) ?? "unknown")
        if let featureNames { line("feature names", Self.list(featureNames)) }
        if let classes { line("classes", Self.list(Self.labelTexts(classes))) }
        if isMultilabel {
            line("targets", "multilabel: predict gives a 0 or 1 per class, in that order")
        }
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
                    lines.append(indent + Self.escapingControls(Self.describe(problem)))
                }
            }
            if problems.contains(where: { $0.code == "unsupported_estimator" }) {
                let count = EstimatorRegistry.supportedClassNames.count
                line("augur serves", "\(count) estimator classes; `augur estimators` lists them")
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

    /// `text` with each control character (below U+0020) escaped as the JSON report
    /// escapes it; a string label's literal passes through unchanged.
    static func escapingControls(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 }) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            if byte < 0x20 {
                let literal = JSONWriter.stringLiteral(String(Unicode.Scalar(byte)))
                bytes += literal.dropFirst().dropLast()
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func labelTexts(_ labels: ClassLabels) -> [String] {
        switch labels {
        case .integers(let values): values.map(String.init)
        case .unsignedIntegers(let values): values.map(String.init)
        case .strings(let values):
            values.map { String(decoding: JSONWriter.stringLiteral($0), as: UTF8.self) }
        case .floats(let values): values.map { "\($0)" }
        case .booleans(let values): values.map { $0 ? "True" : "False" }
        }
    }
}
