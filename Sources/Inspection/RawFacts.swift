import Arrays
import Estimators
import Pickle

/// `n_features_in_`, `feature_names_in_` and `classes_` read straight from the graph, for a
/// file Augur cannot serve (a servable one has them from its ``Model``). A pipeline's come
/// from its first step (features) and its last step (classes); a TransformedTargetRegressor's
/// from its `regressor_`, as scikit-learn's `n_features_in_` property reads them there. What
/// cannot be read is nil.
struct RawFacts {
    var inputWidth: Int?
    var featureNames: [String]?
    var classes: ClassLabels?

    init(root: PickleValue) {
        guard let state = Self.state(root) else { return }
        var first = state
        var last = state
        // Nested pipelines, a few levels deep at most (a hostile one may contain itself).
        for _ in 0..<16 {
            if first["n_features_in_"] == nil, let regressor = first["regressor_"],
                let regressorState = Self.state(regressor)
            {
                first = regressorState
                continue
            }
            guard case .list(let steps)? = first["steps"], let step = Self.step(steps.items.first),
                let stepState = Self.state(step)
            else { break }
            first = stepState
        }
        for _ in 0..<16 {
            guard case .list(let steps)? = last["steps"], let step = Self.step(steps.items.last),
                let stepState = Self.state(step)
            else { break }
            last = stepState
        }
        inputWidth = Self.integer(state["n_features_in_"] ?? first["n_features_in_"])
        featureNames = Self.strings(state["feature_names_in_"] ?? first["feature_names_in_"])
        classes = Self.labels(state["classes_"] ?? last["classes_"])
    }

    private static func state(_ value: PickleValue) -> PickleDict? {
        if case .object(let object) = value { object.stateDict } else { nil }
    }

    private static func step(_ item: PickleValue?) -> PickleValue? {
        if case .tuple(let pair)? = item, pair.count == 2 { pair[1] } else { nil }
    }

    private static func integer(_ value: PickleValue?) -> Int? {
        guard let value, let number = try? ArrayDecoder.number(value) else { return nil }
        return Int(exactly: number)
    }

    private static func strings(_ value: PickleValue?) -> [String]? {
        guard let value, let array = try? ArrayDecoder.array(value) else { return nil }
        return try? array.strings()
    }

    private static func labels(_ value: PickleValue?) -> ClassLabels? {
        guard let value, let array = try? ArrayDecoder.array(value) else { return nil }
        return (try? ClassLabels(array)) ?? nil
    }
}
