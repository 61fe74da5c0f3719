import Pickle

/// `sklearn.ensemble.RandomForestClassifier` (also `ExtraTreesClassifier`): the mean of
/// the trees' normalised leaf distributions, summed in tree order as scikit-learn does.
struct ForestClassifier: Classifier {
    let trees: [DecisionTreeClassifier]
    let classes: ClassLabels
    let inputWidth: Int
    /// Forests take NaN from scikit-learn 1.4 on, when their trees record where it goes.
    var acceptsMissing: Bool { trees.allSatisfy(\.acceptsMissing) }

    init(_ object: FittedObject, build: (PickleValue) throws(EstimatorError) -> FittedObject)
        throws(EstimatorError)
    {
        classes = try object.classLabels()
        inputWidth = try object.integer("n_features_in_")
        var trees: [DecisionTreeClassifier] = []
        for member in try ForestMembers.list(object) {
            let tree = try DecisionTreeClassifier(try build(member))
            guard tree.classes.count == classes.count, tree.inputWidth == inputWidth else {
                throw object.error("estimators_", "a tree does not match the forest's classes")
            }
            trees.append(tree)
        }
        self.trees = trees
    }

    func predictClassIndices(_ input: Matrix) -> [Int] {
        let probabilities = predictProbabilities(input)
        return (0..<input.rows).map { Probability.argmax(probabilities.row($0)) }
    }

    func predictProbabilities(_ input: Matrix) -> Matrix {
        var result = Matrix(rows: input.rows, columns: classes.count)
        for row in 0..<input.rows {
            let features = input.row(row)
            for tree in trees {
                tree.addLeafProbabilities(of: features, into: &result, row: row)
            }
        }
        let count = Double(trees.count)
        for index in result.values.indices {
            result.values[index] /= count
        }
        return result
    }
}

/// `sklearn.ensemble.RandomForestRegressor` (also `ExtraTreesRegressor`): the mean of the
/// trees' predictions.
struct ForestRegressor: Regressor {
    let trees: [DecisionTreeRegressor]
    let inputWidth: Int
    var acceptsMissing: Bool { trees.allSatisfy(\.acceptsMissing) }

    init(_ object: FittedObject, build: (PickleValue) throws(EstimatorError) -> FittedObject)
        throws(EstimatorError)
    {
        inputWidth = try object.integer("n_features_in_")
        var trees: [DecisionTreeRegressor] = []
        for member in try ForestMembers.list(object) {
            let tree = try DecisionTreeRegressor(try build(member))
            guard tree.inputWidth == inputWidth else {
                throw object.error(
                    "estimators_",
                    "a tree takes \(tree.inputWidth) features, the forest \(inputWidth)"
                )
            }
            trees.append(tree)
        }
        self.trees = trees
    }

    func predict(_ input: Matrix) -> Matrix {
        var result = Matrix(rows: input.rows, columns: 1)
        for row in 0..<input.rows {
            var sum = 0.0
            for tree in trees {
                sum += tree.tree.values[tree.tree.leaf(for: input.row(row))]
            }
            result.values[row] = sum / Double(trees.count)
        }
        return result
    }
}

enum ForestMembers {
    static func list(_ object: FittedObject) throws(EstimatorError) -> [PickleValue] {
        guard case .list(let members) = try object.value("estimators_"), !members.items.isEmpty
        else {
            throw object.error("estimators_", "expected a non-empty list of trees")
        }
        return members.items
    }
}
