import Arrays
import Estimators
import Pickle

/// The estimators in a value graph, found by walking it: the top object, and every object
/// with a `_sklearn_version` (every scikit-learn estimator pickles one) under the fitted
/// attributes (names ending in `_`), a pipeline's `steps` or a union's `transformer_list`,
/// through lists, tuples, dicts, plain objects and numpy object arrays. A node's path
/// joins step names, attributes, list positions and dict keys with dots.
struct EstimatorTree {
    final class Node {
        let label: String?
        let path: String
        let className: String
        /// Nil for a skipped pipeline step (`None` or `"passthrough"`).
        let object: PickleObject?
        /// Whether the node sits where its parent builds an estimator of its own (the top,
        /// a pipeline step, a member of an ensemble or composite), rather than in an
        /// attribute the parent reads itself (a label encoder, a boosting init).
        let isPosition: Bool
        var parts: [Group] = []
        /// Set by ``EstimatorTree/judge(loaded:)``.
        var verdict: Inspection.Verdict = .unjudged

        init(
            label: String?,
            path: String,
            className: String,
            object: PickleObject?,
            isPosition: Bool
        ) {
            self.label = label
            self.path = path
            self.className = className
            self.object = object
            self.isPosition = isPosition
        }

        /// The class name without its module, e.g. `Pipeline`.
        var shortName: String {
            guard let dot = className.lastIndex(of: ".") else { return className }
            return String(className[className.index(after: dot)...])
        }

        /// Whether Augur serves the class (a skipped step counts as served).
        var isSupported: Bool {
            guard object != nil else { return true }
            return EstimatorRegistry.isFromServedPackage(className)
                && EstimatorRegistry.supportedClassNames.contains(shortName)
        }

        var members: [Node] { parts.flatMap(\.members) }

        func publicNode(label: String? = nil, count: Int = 1) -> Inspection.Node {
            Inspection.Node(
                label: label ?? self.label,
                count: count,
                className: className,
                verdict: verdict,
                parts: parts.map {
                    $0.members[0].publicNode(label: $0.label, count: $0.members.count)
                }
            )
        }
    }

    /// Alike estimators found together (a forest's trees), shown as one part.
    struct Group {
        var label: String?
        var members: [Node]
    }

    /// Where the walk is: the estimator it started from and the way down from it.
    private struct Place {
        var owner: String
        var label: String
        var path: String
        var depth = 0
        /// Inside a pipeline's `steps`, where `(name, None)` is a skipped step.
        var steps = false
        /// Under an attribute that holds estimators the owner builds as such.
        var position = false

        func down(_ suffix: String) -> Place {
            var place = self
            place.path += suffix
            place.depth += 1
            place.steps = false
            return place
        }

        /// Into a dict entry or a plain object's attribute: the label names the way in too,
        /// since what is found there is not what the owner's attribute itself holds
        /// (`scorer_._estimator`: a search's scorer keeps the unfitted template).
        func entry(_ key: String) -> Place {
            var place = down(".\(key)")
            place.label += ".\(key)"
            return place
        }

        func item(_ index: Int) -> Place {
            var place = down(".\(index)")
            place.steps = steps
            return place
        }
    }

    /// Attributes that hold estimators fitted in place, though their names lack the `_`.
    static let inPlaceAttributes: Set<String> = ["steps", "transformer_list"]
    /// How deep the walk goes into containers between two estimators.
    static let maxDepth = 32

    /// Attributes whose estimators their owner builds as estimators of their own (pipeline
    /// steps, the members of ensembles, unions, searches and wrappers): the positions that
    /// get a verdict. What sits under other attributes, the owner reads itself.
    static let memberAttributes: Set<String> = [
        "steps", "transformers_", "transformer_list", "estimators_", "estimator_",
        "best_estimator_", "final_estimator_", "regressor_", "transformer_",
    ]

    /// Attributes that only repeat estimators found elsewhere (a `Bunch` of `estimators_`).
    static let skippedAttributes: Set<String> = ["named_estimators_", "named_transformers_"]

    private(set) var root: Node?
    private var visited: Set<ObjectIdentifier> = []
    /// Every estimator found so far, each expanded once however often it is referred to.
    private var expanded: Set<ObjectIdentifier> = []

    init(root value: PickleValue) {
        guard case .object(let object) = value, let name = object.qualifiedName else { return }
        let node = Node(label: nil, path: "", className: name, object: object, isPosition: true)
        expand(node)
        root = node
    }

    private static func isEstimator(_ object: PickleObject) -> Bool {
        object.stateDict?["_sklearn_version"] != nil
    }

    private static func join(_ path: String, _ part: String) -> String {
        path.isEmpty ? part : path + "." + part
    }

    private mutating func expand(_ node: Node) {
        guard let object = node.object, let state = object.stateDict,
            expanded.insert(ObjectIdentifier(object)).inserted
        else { return }
        let hasEstimators = state["estimators_"] != nil
        for key in state.stringKeys {
            let fitted = key.hasSuffix("_") && !key.hasPrefix("__")
            guard fitted || Self.inPlaceAttributes.contains(key),
                !Self.skippedAttributes.contains(key), let value = state[key]
            else { continue }
            // An ensemble's template is a copy never fitted; its estimators_ are the model.
            if hasEstimators, key == "estimator_" || key == "base_estimator_" { continue }
            let place = Place(
                owner: node.path,
                label: key,
                path: Self.join(node.path, key),
                steps: key == "steps",
                position: Self.memberAttributes.contains(key)
            )
            var found: [Node] = []
            collect(value, at: place, into: &found)
            for child in found { expand(child) }
            node.parts += Self.grouped(found)
        }
    }

    /// Consecutive estimators of one class with no parts of their own, under one label.
    private static func grouped(_ nodes: [Node]) -> [Group] {
        var groups: [Group] = []
        for node in nodes {
            if let last = groups.last, last.label == node.label,
                last.members[0].className == node.className,
                last.members[0].parts.isEmpty, node.parts.isEmpty
            {
                groups[groups.count - 1].members.append(node)
            } else {
                groups.append(Group(label: node.label, members: [node]))
            }
        }
        return groups
    }

    private mutating func collect(_ value: PickleValue, at place: Place, into found: inout [Node]) {
        guard place.depth < Self.maxDepth else { return }
        switch value {
        case .object(let object):
            if Self.isEstimator(object), let name = object.qualifiedName {
                found.append(
                    Node(
                        label: place.label,
                        path: place.path,
                        className: name,
                        object: object,
                        isPosition: place.position
                    )
                )
                return
            }
            guard visited.insert(ObjectIdentifier(object)).inserted else { return }
            if let array = try? ArrayDecoder.array(value) {
                collect(array, at: place, into: &found)
                return
            }
            if let state = object.state { collect(state, at: place.down(""), into: &found) }
            for (index, item) in object.listItems.enumerated() {
                collect(item, at: place.item(index), into: &found)
            }
            for item in object.dictItems {
                collect(item.value, at: place.entry(Self.keyText(item.key)), into: &found)
            }
        case .native(let native):
            if let array = native as? NDArray { collect(array, at: place, into: &found) }
        case .tuple(let items):
            guard items.count >= 2, case .string(let name) = items[0] else {
                collectItems(items, at: place, into: &found)
                return
            }
            // `(name, estimator, ...)`, as in pipeline steps and column transformers.
            var named = place.down("")
            named.label = name
            named.path = Self.join(place.owner, name)
            if place.steps, items.count == 2, Self.isPassthrough(items[1]) {
                found.append(
                    Node(
                        label: name,
                        path: named.path,
                        className: "passthrough",
                        object: nil,
                        isPosition: true
                    )
                )
                return
            }
            for item in items.dropFirst() { collect(item, at: named, into: &found) }
        case .list(let list), .set(let list):
            guard visited.insert(ObjectIdentifier(list)).inserted else { return }
            collectItems(list.items, at: place, into: &found)
        case .dict(let dict):
            guard visited.insert(ObjectIdentifier(dict)).inserted else { return }
            for entry in dict.entries {
                collect(entry.value, at: place.entry(Self.keyText(entry.key)), into: &found)
            }
        default:
            return
        }
    }

    private mutating func collectItems(
        _ items: [PickleValue],
        at place: Place,
        into found: inout [Node]
    ) {
        for (index, item) in items.enumerated() {
            collect(item, at: place.item(index), into: &found)
        }
    }

    private mutating func collect(_ array: NDArray, at place: Place, into found: inout [Node]) {
        guard case .objects(let items) = array.storage else { return }
        var flat = place
        flat.steps = false
        collectItems(items, at: flat, into: &found)
    }

    private static func keyText(_ key: PickleValue) -> String {
        switch key {
        case .string(let text): text
        case .int(let number): "\(number)"
        default: key.kindName
        }
    }

    private static func isPassthrough(_ value: PickleValue) -> Bool {
        switch value {
        case .none, .string("passthrough"): true
        default: false
        }
    }
}
