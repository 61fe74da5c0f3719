import Arrays
import Pickle

/// `sklearn.ensemble.IsolationForest`: a row's score is minus 2 to the power of minus its
/// mean path length over the trees, normalised by the average path length of a tree
/// grown on `max_samples` rows; `decision_function` subtracts `offset_`.
struct IsolationForest: OutlierDetector {
    /// Per tree: the features it was grown on (nil for all), and for each node the path
    /// length a row ending there gets: its depth plus the average path length of the
    /// samples left in it, minus 1, as scikit-learn adds them.
    let trees: [(tree: TreeStructure, features: [Int]?, pathLengths: [Double])]
    let denominator: Double
    let offset: Double
    let inputWidth: Int
    let acceptsMissing: Bool
    /// Before 1.6, scikit-learn refused values that overflow float32 (they become
    /// infinite once cast); since, it takes them, as infinities.
    let refusesFloat32Overflow: Bool

    init(_ object: FittedObject) throws(EstimatorError) {
        inputWidth = try object.integer("n_features_in_")
        offset = try object.number("offset_")
        let members = try ForestMembers.list(object)
        // Trees see a subset of the columns only when `max_features` picked fewer than
        // all; otherwise they were fitted on the columns in order, whatever the subsets
        // (then permutations) say.
        let features =
            try object.integer("_max_features") == inputWidth
            ? [[Int]?](repeating: nil, count: members.count)
            : try EstimatorFeatures.subsets(object, count: members.count, inputWidth: inputWidth)
                .map { Optional($0) }
        var trees: [(tree: TreeStructure, features: [Int]?, pathLengths: [Double])] = []
        for (member, subset) in zip(members, features) {
            let estimator = try FittedObject(member)
            let tree = try TreeStructure(
                try estimator.value("tree_"),
                owner: estimator.qualifiedName
            )
            guard tree.featureCount == subset?.count ?? inputWidth else {
                throw object.error("estimators_", "a tree does not fit its feature subset")
            }
            trees.append((tree, subset, Self.pathLengths(tree)))
        }
        self.trees = trees
        let maxSamples =
            object.optional("_max_samples") != nil
            ? try object.number("_max_samples") : try object.number("max_samples_")
        denominator = Double(members.count) * Self.averagePathLength(maxSamples)
        // scikit-learn validates without a finiteness check since 1.6, when extra trees
        // learned where NaN goes.
        acceptsMissing =
            object.sklearnVersion >= .init(1, 6)
            && trees.allSatisfy { $0.tree.recordsMissingDirection }
        refusesFloat32Overflow = object.sklearnVersion < .init(1, 6)
    }

    /// `_average_path_length`: the expected path length of an unsuccessful search in a
    /// binary search tree of `count` items.
    static func averagePathLength(_ count: Double) -> Double {
        if count <= 1 { return 0 }
        if count == 2 { return 1 }
        let eulerGamma = 0.5772156649015329
        return 2.0 * ((count - 1.0).log() + eulerGamma) - 2.0 * (count - 1.0) / count
    }

    private static func pathLengths(_ tree: TreeStructure) -> [Double] {
        var depths = [Int64](repeating: 0, count: tree.nodes.count)
        depths[0] = 1
        for (node, split) in tree.nodes.enumerated() where !split.isLeaf {
            depths[Int(split.left)] = depths[node] + 1
            depths[Int(split.right)] = depths[node] + 1
        }
        return depths.indices.map { node in
            Double(depths[node]) + averagePathLength(Double(tree.sampleCounts[node])) - 1.0
        }
    }

    func scoreSamples(_ input: Matrix) throws(InputError) -> [Double] {
        if refusesFloat32Overflow,
            let index = input.values.firstIndex(where: { $0.isFinite && Float($0).isInfinite })
        {
            throw InputError(
                row: index / input.columns,
                column: index % input.columns,
                "\(input.values[index]) is too large for this model, which reads inputs as float32"
            )
        }
        return (0..<input.rows).map { row in
            let features = input.row(row)
            var depth = 0.0
            for (tree, subset, lengths) in trees {
                let leaf =
                    subset.map { tree.leaf(for: EstimatorFeatures.select($0, from: features)) }
                    ?? tree.leaf(for: features)
                depth += lengths[leaf]
            }
            let ratio = denominator != 0 ? depth / denominator : 1
            return -(2.0.power(-ratio))
        }
    }

    func decisionFunction(_ input: Matrix) throws(InputError) -> [Double] {
        try scoreSamples(input).map { $0 - offset }
    }
}

/// `estimators_features_` of bagging ensembles: the columns each member was fitted on.
enum EstimatorFeatures {
    /// One subset per member.
    static func subsets(_ object: FittedObject, count: Int, inputWidth: Int)
        throws(EstimatorError) -> [[Int]]
    {
        guard case .list(let list) = try object.value("estimators_features_"),
            list.items.count == count
        else {
            throw object.error("estimators_features_", "expected one array per estimator")
        }
        var result: [[Int]] = []
        for item in list.items {
            let indices = try object.reading("estimators_features_") {
                () throws(ArrayError) -> [Int64]? in
                try ArrayDecoder.array(item)?.integers()
            }
            guard let indices, !indices.isEmpty,
                indices.allSatisfy({ $0 >= 0 && $0 < inputWidth })
            else {
                throw object.error("estimators_features_", "holds an invalid feature subset")
            }
            result.append(indices.map { Int($0) })
        }
        return result
    }

    static func select(_ columns: [Int], from row: ArraySlice<Double>) -> ArraySlice<Double> {
        let base = row.startIndex
        return ArraySlice(columns.map { row[base + $0] })
    }
}
