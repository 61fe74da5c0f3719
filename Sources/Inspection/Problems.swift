import Estimators
import Pickle

extension EstimatorTree {
    /// Gives every node its verdict and returns every reason the tree cannot be served
    /// (none when `loaded`, the whole file having loaded).
    ///
    /// The rule: only estimator positions get a verdict (the top, pipeline steps, the
    /// members an ensemble or composite builds, see ``memberAttributes``). A position
    /// whose class Augur does not serve is `notSupported` and one problem, at its own
    /// path; what lies under it is left `unjudged`. A served position that loads is
    /// `supported`, and so is each served member under it; everything else it holds is
    /// `readByParent`, since it loaded with them. A served position that fails is judged
    /// member by member; its own error is listed only when no member has a problem, so
    /// that a composite whose only fault is an unsupported member is not listed too. When
    /// that error names the class of one of its member positions (a member served alone but
    /// not in that place), the member is `notSupported` and the problem is at its path.
    ///
    /// Alike problems (the same class, attribute and message) are listed once, at the
    /// first place. `topError` is what loading the whole file gave; it is listed when the
    /// walk finds nothing more precise.
    func judge(loaded: Bool, topError: EstimatorError?) -> [Inspection.Problem] {
        if loaded {
            root.map(Self.accept)
            return []
        }
        // A file whose top object is no model (a target encoder) is refused as a whole,
        // with the loader's reason rather than a bare "not supported".
        if let root, let topError, topError.code == .notAnEstimator,
            topError.className == root.className
        {
            root.verdict = .notSupported
            return [Self.problem(topError, path: "")]
        }
        var problems: [Inspection.Problem] = []
        if let root { Self.judge(root, into: &problems) }
        if problems.isEmpty, let topError {
            Self.add(Self.problem(topError, path: ""), to: &problems)
        }
        return problems
    }

    private static func judge(_ node: Node, into problems: inout [Inspection.Problem]) {
        guard let object = node.object else {
            node.verdict = .supported
            return
        }
        guard node.isSupported else {
            node.verdict = .notSupported
            add(
                Inspection.Problem(
                    path: node.path,
                    code: snakeCase(EstimatorError.Code.unsupportedEstimator.rawValue),
                    className: node.className,
                    attribute: nil,
                    message: "is not supported"
                ),
                to: &problems
            )
            return
        }
        do {
            try EstimatorRegistry.check(.object(object))
            accept(node)
            return
        } catch {
            node.verdict = .supported
            let before = problems.count
            for member in node.members {
                if member.isPosition {
                    judge(member, into: &problems)
                } else {
                    markRead(member)
                }
            }
            guard problems.count == before else { return }
            if let culprit = refusedMember(of: node, error: error) {
                // Served alone but not where it sits (a target transformer Augur cannot
                // invert): the fault is the member's, and its place is not served.
                culprit.verdict = .notSupported
                for member in culprit.members { unjudge(member) }
                add(problem(error, path: culprit.path), to: &problems)
                return
            }
            add(problem(error, path: node.path), to: &problems)
        }
    }

    /// The one member position of `node` whose class the error names, if the error is
    /// about it rather than about `node` itself.
    private static func refusedMember(of node: Node, error: EstimatorError) -> Node? {
        guard let className = error.className, className != node.className else { return nil }
        let named = node.members.filter { $0.isPosition && $0.className == className }
        return named.count == 1 ? named[0] : nil
    }

    private static func unjudge(_ node: Node) {
        node.verdict = .unjudged
        for member in node.members { unjudge(member) }
    }

    /// A served position that loads, and everything under it.
    private static func accept(_ node: Node) {
        node.verdict = .supported
        for member in node.members {
            if member.isPosition, member.isSupported {
                accept(member)
            } else {
                markRead(member)
            }
        }
    }

    private static func markRead(_ node: Node) {
        node.verdict = .readByParent
        for member in node.members { markRead(member) }
    }

    private static func problem(_ error: EstimatorError, path: String) -> Inspection.Problem {
        var message = error.message
        // The registry says what it supports in each message; the report does so once.
        for tail in ["; supported: ", "; " + EstimatorRegistry.supportedSummary] {
            if let range = message.firstRange(of: tail) {
                message = String(message[..<range.lowerBound])
            }
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
