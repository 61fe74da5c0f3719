import Arrays
import Pickle

/// `feature_importances_` of tree models, which scikit-learn computes from the nodes
/// rather than stores: each split's weighted impurity decrease, summed per feature,
/// divided by the root's weight and normalised to sum to one.
enum TreeImportances {
    /// Decision and extra trees, and forests of them (the mean over trees with a split).
    static func of(_ estimator: FittedObject) throws(EstimatorError) -> [Double]? {
        if estimator.optional("tree_") != nil {
            return try single(estimator)
        }
        guard estimator.className.contains("Forest") || estimator.className.contains("ExtraTrees"),
            case .list(let members)? = estimator.optional("estimators_"), !members.items.isEmpty
        else {
            return nil
        }
        let width = try estimator.featureCount()
        var perTree: [[Double]] = []
        for member in members.items {
            let tree = try FittedObject(member)
            guard try nodeCount(tree) > 1 else { continue }
            let importances = try single(tree)
            guard importances.count == width else {
                throw estimator.error("estimators_", "a tree takes \(importances.count) features")
            }
            perTree.append(importances)
        }
        guard let first = perTree.first else { return [Double](repeating: 0, count: width) }
        // numpy.mean over axis 0 adds tree after tree, then divides.
        var mean = first
        for importances in perTree.dropFirst() {
            for index in mean.indices { mean[index] += importances[index] }
        }
        mean = mean.map { $0 / Double(perTree.count) }
        let total = NumpyReductions.sum(mean[...])
        return mean.map { $0 / total }
    }

    private static func nodes(_ tree: FittedObject) throws(EstimatorError) -> NDArray {
        guard case .object(let object) = try tree.value("tree_"), let state = object.stateDict,
            let raw = state["nodes"],
            let nodes = try tree.reading(
                "tree_",
                { () throws(ArrayError) in
                    try ArrayDecoder.array(raw)
                }
            )
        else {
            throw tree.error("tree_", "expected a Tree with nodes")
        }
        return nodes
    }

    private static func nodeCount(_ tree: FittedObject) throws(EstimatorError) -> Int {
        try nodes(tree).count
    }

    /// `Tree.compute_feature_importances(normalize=True)`.
    private static func single(_ tree: FittedObject) throws(EstimatorError) -> [Double] {
        let nodes = try nodes(tree)
        let width = try tree.featureCount()
        let (left, right, feature, impurity, weight) = try tree.reading("tree_") {
            () throws(ArrayError) in
            (
                try nodes.fieldIntegers("left_child"), try nodes.fieldIntegers("right_child"),
                try nodes.fieldIntegers("feature"), try nodes.fieldDoubles("impurity"),
                try nodes.fieldDoubles("weighted_n_node_samples")
            )
        }
        var importances = [Double](repeating: 0, count: width)
        for node in left.indices where left[node] >= 0 {
            let (l, r, f) = (Int(left[node]), Int(right[node]), Int(feature[node]))
            guard left.indices.contains(l), left.indices.contains(r), (0..<width).contains(f)
            else {
                throw tree.error("tree_", "node \(node) points outside the tree")
            }
            importances[f] +=
                weight[node] * impurity[node] - weight[l] * impurity[l] - weight[r] * impurity[r]
        }
        guard let rootWeight = weight.first else { return importances }
        importances = importances.map { $0 / rootWeight }
        let total = NumpyReductions.sum(importances[...])
        return total > 0 ? importances.map { $0 / total } : importances
    }
}
