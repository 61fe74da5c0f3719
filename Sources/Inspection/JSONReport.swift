import Estimators
import Serving

extension Inspection {
    /// The report as one JSON object with the same facts as ``text``, every key always
    /// present (README.md, "inspect", lists them). Two-space indentation; ends with a
    /// newline.
    public var json: String {
        var object: [(String, JSONValue)] = [
            ("file", .string(file)),
            ("servable", .bool(servable)),
            ("container", container.map(JSONValue.string) ?? .null),
            ("compression", compression.map(JSONValue.string) ?? .null),
            ("pickle_protocol", pickleProtocol.map { .int(Int64($0)) } ?? .null),
            ("numpy", failure == nil && isPickle ? .string(numpy.rawValue) : .null),
            ("sklearn_version", sklearnVersion.map(JSONValue.string) ?? .null),
            ("estimator", tree.map(Self.json(_:)) ?? .null),
            ("n_features_in", inputWidth.map { .int(Int64($0)) } ?? .null),
            ("feature_names_in", featureNames.map { .array($0.map(JSONValue.string)) } ?? .null),
            ("classes", classes.map(Self.json(_:)) ?? .null),
            ("multilabel", .bool(isMultilabel)),
            ("outputs", .array(outputs.map { .string($0.rawValue) })),
            ("problems", .array(problems.map(Self.json(_:)))),
        ]
        if let failure {
            object.append(
                (
                    "error",
                    .object([
                        ("kind", .string(failure.kind.rawValue)),
                        ("message", .string(failure.message)),
                    ])
                )
            )
        } else {
            object.append(("error", .null))
        }
        var output = ""
        JSONValue.object(object).write(to: &output, indent: 0)
        return output + "\n"
    }

    private static func json(_ node: Node) -> JSONValue {
        .object([
            ("label", node.label.map(JSONValue.string) ?? .null),
            ("count", .int(Int64(node.count))),
            ("class", .string(node.className)),
            ("supported", node.supported.map(JSONValue.bool) ?? .null),
            ("parts", .array(node.parts.map(json(_:)))),
        ])
    }

    private static func json(_ problem: Problem) -> JSONValue {
        .object([
            ("path", .string(problem.path)),
            ("code", .string(problem.code)),
            ("class", problem.className.map(JSONValue.string) ?? .null),
            ("attribute", problem.attribute.map(JSONValue.string) ?? .null),
            ("message", .string(problem.message)),
        ])
    }

    private static func json(_ labels: ClassLabels) -> JSONValue {
        switch labels {
        case .integers(let values): .array(values.map(JSONValue.int))
        case .unsignedIntegers(let values): .array(values.map(JSONValue.unsigned))
        case .strings(let values): .array(values.map(JSONValue.string))
        case .floats(let values): .array(values.map(JSONValue.double))
        case .booleans(let values): .array(values.map(JSONValue.bool))
        }
    }
}

/// Just enough JSON for the report: keys in the order given, scalars and arrays of scalars
/// on one line, objects and arrays of objects one member a line.
enum JSONValue {
    case null
    case bool(Bool)
    case int(Int64)
    case unsigned(UInt64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    private var isContainer: Bool {
        switch self {
        case .object: true
        case .array(let items): items.contains { $0.isContainer }
        default: false
        }
    }

    func write(to output: inout String, indent: Int) {
        switch self {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let number): output += String(number)
        case .unsigned(let number): output += String(number)
        // JSON has no NaN or infinity.
        case .double(let number): output += number.isFinite ? "\(number)" : "null"
        case .string(let text): Self.write(string: text, to: &output)
        case .array(let items):
            if items.isEmpty {
                output += "[]"
            } else if !isContainer {
                output += "["
                for (index, item) in items.enumerated() {
                    if index > 0 { output += ", " }
                    item.write(to: &output, indent: indent)
                }
                output += "]"
            } else {
                let inner = String(repeating: " ", count: indent + 2)
                output += "[\n"
                for (index, item) in items.enumerated() {
                    output += inner
                    item.write(to: &output, indent: indent + 2)
                    output += index == items.count - 1 ? "\n" : ",\n"
                }
                output += String(repeating: " ", count: indent) + "]"
            }
        case .object(let members):
            if members.isEmpty {
                output += "{}"
                return
            }
            let inner = String(repeating: " ", count: indent + 2)
            output += "{\n"
            for (index, member) in members.enumerated() {
                output += inner
                Self.write(string: member.0, to: &output)
                output += ": "
                member.1.write(to: &output, indent: indent + 2)
                output += index == members.count - 1 ? "\n" : ",\n"
            }
            output += String(repeating: " ", count: indent) + "}"
        }
    }

    private static func write(string: String, to output: inout String) {
        output += String(decoding: JSONWriter.stringLiteral(string), as: UTF8.self)
    }
}
