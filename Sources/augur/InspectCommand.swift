import Estimators
import Serving

/// `augur inspect MODEL`: what the file holds, without Python.
enum InspectCommand {
    static func run(_ arguments: ArraySlice<String>) -> Int32 {
        guard arguments.count == 1, let path = arguments.first else {
            Console.error("inspect takes one model file\n\n\(Usage.text)")
            return ExitCode.usage
        }
        let model: Model
        do {
            model = try ModelLoader.load(path: path)
        } catch {
            Console.error(error.description)
            return ExitCode.badModel
        }
        var lines = [
            "file:              \(path)",
            "estimator:         \(model.estimatorClass)",
            "written by:        scikit-learn \(model.sklearnVersion ?? "(version not recorded)")",
            "features:          \(model.inputWidth)",
        ]
        if let names = model.featureNames {
            lines.append("feature names:     \(names.joined(separator: ", "))")
        }
        if let classes = model.classes {
            lines.append("classes:           \(describe(classes))")
        }
        lines.append("outputs:           \(model.outputs.map(\.rawValue).joined(separator: ", "))")
        print(lines.joined(separator: "\n"))
        return ExitCode.success
    }

    static func describe(_ labels: ClassLabels) -> String {
        switch labels {
        case .integers(let values): values.map(String.init).joined(separator: ", ")
        case .unsignedIntegers(let values): values.map(String.init).joined(separator: ", ")
        case .strings(let values): values.map { "\"\($0)\"" }.joined(separator: ", ")
        case .floats(let values): values.map { "\($0)" }.joined(separator: ", ")
        case .booleans(let values): values.map { "\($0)" }.joined(separator: ", ")
        }
    }
}
