import Estimators
import Pickle

extension EstimatorTree {
    /// Every reason the tree cannot be served: each class Augur does not serve, wherever it
    /// is, and for the parts it does serve, the first attribute each one fails on. Alike
    /// problems (the same class, attribute and message) are listed once, at the first place.
    /// `topError` is what loading the whole file gave; it is listed when the walk finds
    /// nothing more precise.
    func problems(topError: EstimatorError) -> [Inspection.Problem] {
        var problems: [Inspection.Problem] = []
        if let root { Self.check(root, into: &problems) }
        if problems.isEmpty { Self.add(Self.problem(topError, path: ""), to: &problems) }
        return problems
    }

    private static func check(_ node: Node, into problems: inout [Inspection.Problem]) {
        guard let object = node.object else { return }
        guard node.isSupported else {
            let problem = Inspection.Problem(
                path: node.path,
                code: snakeCase(EstimatorError.Code.unsupportedEstimator.rawValue),
                className: node.className,
                attribute: nil,
                message: "is not supported"
            )
            add(problem, to: &problems)
            for group in node.parts {
                for member in group.members { check(member, into: &problems) }
            }
            return
        }
        if node.shortName == "Pipeline" {
            // The steps first, so that each bad step is named; the pipeline as a whole only
            // when they are all fine (a predictor before the last step, widths that differ).
            let before = problems.count
            for group in node.parts {
                for member in group.members { check(member, into: &problems) }
            }
            guard problems.count == before else { return }
        }
        do {
            try EstimatorRegistry.check(.object(object))
        } catch {
            add(problem(error, path: node.path), to: &problems)
        }
    }

    private static func problem(_ error: EstimatorError, path: String) -> Inspection.Problem {
        var message = error.message
        // The registry lists what it supports in each message; the report does so once.
        if let range = message.firstRange(of: "; supported: ") {
            message = String(message[..<range.lowerBound])
        }
        return Inspection.Problem(
            path: path,
            code: snakeCase(error.code.rawValue),
            className: error.className,
            attribute: error.attribute,
            message: message
        )
    }

    /// `unsupportedEstimator` → `unsupported_estimator`, as the report's other codes.
    static func snakeCase(_ name: String) -> String {
        var text = ""
        for character in name {
            if character.isUppercase {
                text += "_" + character.lowercased()
            } else {
                text.append(character)
            }
        }
        return text
    }

    private static func add(_ problem: Inspection.Problem, to problems: inout [Inspection.Problem])
    {
        let repeated = problems.contains {
            $0.code == problem.code && $0.className == problem.className
                && $0.attribute == problem.attribute && $0.message == problem.message
        }
        if !repeated { problems.append(problem) }
    }
}
