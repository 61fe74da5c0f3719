/// `sklearn.tree.DecisionTreeClassifier` (also `ExtraTreeClassifier`).
struct DecisionTreeClassifier: Classifier {
    let tree: TreeStructure
    let classes: ClassLabels
    /// Whether `predict_proba` divides each leaf's values by their sum. Before 1.4,
    /// scikit-learn stored weighted class counts in the leaves and normalised them; since
    /// then it stores fractions and returns them as they are (their sum may be a few ulps
    /// off 1, and scikit-learn keeps that).
    let normalizesLeaves: Bool

    var inputWidth: Int { tree.featureCount }
    var hasProbabilities: Bool { true }
    var acceptsMissing: Bool { tree.recordsMissingDirection }

    init(_ object: FittedObject) throws(EstimatorError) {
        tree = try TreeStructure(try object.value("tree_"), owner: object.qualifiedName)
        classes = try object.classLabels()
        normalizesLeaves = ScikitLearnVersion(object.string("_sklearn_version")) < .init(1, 4)
        guard tree.valueWidth >= classes.count else {
            throw object.error(
                "tree_",
                "leaves hold \(tree.valueWidth) values for \(classes.count) classes"
            )
        }
    }

    /// `predict` takes the argmax of the raw leaf values, before normalising.
    func predictClassIndices(_ input: Matrix) -> [Int] {
        (0..<input.rows).map { row in
            let values = tree.leafValues(tree.leaf(for: input.row(row)))
            return Probability.argmax(values.prefix(classes.count))
        }
    }

    func predictProbabilities(_ input: Matrix) -> Matrix {
        var result = Matrix(rows: input.rows, columns: classes.count)
        for row in 0..<input.rows {
            addLeafProbabilities(of: input.row(row), into: &result, row: row)
        }
        return result
    }

    /// Adds the leaf's class values, as this tree's `predict_proba` gives them, to
    /// `result`'s row: divided by their sum (1 when they sum to 0) for files from before
    /// scikit-learn 1.4, as they are for later ones.
    func addLeafProbabilities(
        of features: ArraySlice<Double>,
        into result: inout Matrix,
        row: Int
    ) {
        let values = tree.leafValues(tree.leaf(for: features)).prefix(classes.count)
        var sum = 1.0
        if normalizesLeaves {
            sum = values.reduce(0, +)
            if sum == 0 { sum = 1 }
        }
        for (column, value) in values.enumerated() {
            result[row, column] += normalizesLeaves ? value / sum : value
        }
    }
}

/// `sklearn.tree.DecisionTreeRegressor` (also `ExtraTreeRegressor`).
struct DecisionTreeRegressor: Regressor {
    let tree: TreeStructure

    var inputWidth: Int { tree.featureCount }
    var acceptsMissing: Bool { tree.recordsMissingDirection }

    init(_ object: FittedObject) throws(EstimatorError) {
        tree = try TreeStructure(try object.value("tree_"), owner: object.qualifiedName)
        guard tree.valueWidth == 1 else {
            throw object.error("tree_", "a regression tree leaf holds \(tree.valueWidth) values")
        }
    }

    func predict(_ input: Matrix) -> Matrix {
        Matrix(
            rows: input.rows,
            columns: 1,
            values: (0..<input.rows).map { tree.values[tree.leaf(for: input.row($0))] }
        )
    }
}
