import Pickle

/// The trees of a `RandomForestClassifier` or `ExtraTreesClassifier`, of one output or
/// several: the mean of the trees' leaf distributions, summed in tree order and then
/// divided by the tree count, as scikit-learn does.
struct ClassificationForest: OutputsClassification {
    let trees: PackedTrees
    /// Per output, per node of ``trees``: the class values each tree's `predict_proba`
    /// gives for a row ending there, worked out at load (``ClassificationTree/leafProbabilities(output:)``).
    let leafProbabilities: [[Double]]
    let classesPerOutput: [ClassLabels]
    let inputWidth: Int
    /// Forests take NaN from scikit-learn 1.4 on, when their first tree does.
    let acceptsMissing: Bool

    init(_ object: FittedObject) throws(EstimatorError) {
        classesPerOutput =
            object.hasLabelsPerOutput
            ? try object.classLabelsPerOutput() : [try object.classLabels()]
        inputWidth = try object.integer("n_features_in_")
        var trees: [ClassificationTree] = []
        for member in try ForestMembers.list(object) {
            let tree = try ClassificationTree(try FittedObject(member))
            guard tree.classesPerOutput.map(\.count) == classesPerOutput.map(\.count),
                tree.inputWidth == inputWidth
            else {
                throw object.error("estimators_", "a tree does not match the forest's classes")
            }
            trees.append(tree)
        }
        self.trees = try PackedTrees(trees.map(\.tree), owner: object)
        leafProbabilities = classesPerOutput.indices.map { output in
            trees.flatMap { $0.leafProbabilities(output: output) }
        }
        acceptsMissing = object.sklearnVersion >= .init(1, 4) && trees[0].acceptsMissing
    }

    func predictProbabilities(_ input: Matrix, output: Int) -> Matrix {
        let width = classesPerOutput[output].count
        var result = Matrix(rows: input.rows, columns: width)
        result.values.withUnsafeMutableBufferPointer { sums in
            leafProbabilities[output].withUnsafeBufferPointer { table in
                trees.forEachLeaf(Float32Rows(input)) { _, row, leaf in
                    for column in 0..<width {
                        sums[row * width + column] += table[leaf * width + column]
                    }
                }
            }
        }
        let count = Double(trees.roots.count)
        for index in result.values.indices {
            result.values[index] /= count
        }
        return result
    }

    func predictClassIndices(_ input: Matrix, output: Int) -> [Int] {
        let probabilities = predictProbabilities(input, output: output)
        return Probability.argmaxOfRows(probabilities)
    }
}

/// `sklearn.ensemble.RandomForestRegressor` (also `ExtraTreesRegressor`): the mean of the
/// trees' predictions, of one target or several.
struct ForestRegressor: Regressor {
    let trees: PackedTrees
    /// Per node of ``trees``, one value per target.
    let nodeValues: [Double]
    let outputCount: Int
    let inputWidth: Int
    let acceptsMissing: Bool
    let targetCount: Int?

    init(_ object: FittedObject) throws(EstimatorError) {
        inputWidth = try object.integer("n_features_in_")
        var trees: [DecisionTreeRegressor] = []
        for member in try ForestMembers.list(object) {
            let tree = try DecisionTreeRegressor(try FittedObject(member))
            guard tree.inputWidth == inputWidth else {
                throw object.error(
                    "estimators_",
                    "a tree takes \(tree.inputWidth) features, the forest \(inputWidth)"
                )
            }
            guard tree.tree.outputCount == trees.first?.tree.outputCount ?? tree.tree.outputCount
            else {
                throw object.error("estimators_", "the trees differ in their number of outputs")
            }
            trees.append(tree)
        }
        self.trees = try PackedTrees(trees.map(\.tree), owner: object)
        // A regression tree's value width is 1, so its values are one per node and target.
        nodeValues = trees.flatMap(\.tree.values)
        outputCount = trees[0].tree.outputCount
        acceptsMissing = object.sklearnVersion >= .init(1, 4) && trees[0].acceptsMissing
        targetCount = trees[0].targetCount
    }

    func predict(_ input: Matrix) -> Matrix {
        let outputs = outputCount
        var result = Matrix(rows: input.rows, columns: outputs)
        result.values.withUnsafeMutableBufferPointer { sums in
            nodeValues.withUnsafeBufferPointer { values in
                trees.forEachLeaf(Float32Rows(input)) { _, row, leaf in
                    for output in 0..<outputs {
                        sums[row * outputs + output] += values[leaf * outputs + output]
                    }
                }
            }
        }
        let count = Double(trees.roots.count)
        for index in result.values.indices {
            result.values[index] /= count
        }
        return result
    }
}

enum ForestMembers {
    static func list(_ object: FittedObject, attribute: String = "estimators_")
        throws(EstimatorError) -> [PickleValue]
    {
        guard case .list(let members) = try object.value(attribute), !members.items.isEmpty
        else {
            throw object.error(attribute, "expected a non-empty list of estimators")
        }
        return members.items
    }

    /// Builds each of `members` with `build`, refusing a class not in `allowed` with the
    /// message `refusal` gives for its name.
    static func build<Built>(
        _ members: [PickleValue],
        of object: FittedObject,
        allowed: [String],
        refusal: (String) -> String,
        _ build: (FittedObject) throws(EstimatorError) -> Built
    ) throws(EstimatorError) -> [Built] {
        var built: [Built] = []
        for member in members {
            let estimator = try FittedObject(member)
            guard allowed.contains(estimator.className) else {
                throw EstimatorError(
                    .unsupportedOption,
                    className: object.qualifiedName,
                    attribute: "estimators_",
                    refusal(estimator.className)
                )
            }
            built.append(try build(estimator))
        }
        return built
    }
}
