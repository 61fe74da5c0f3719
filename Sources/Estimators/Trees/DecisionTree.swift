/// `sklearn.tree.DecisionTreeClassifier` (also `ExtraTreeClassifier`).
struct DecisionTreeClassifier: Classifier {
    let tree: TreeStructure
    let classes: ClassLabels

    var inputWidth: Int { tree.featureCount }

    init(_ object: FittedObject) throws(EstimatorError) {
        tree = try TreeStructure(try object.value("tree_"), owner: object.qualifiedName)
        classes = try object.classLabels()
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
            addNormalizedLeaf(of: input.row(row), into: &result, row: row)
        }
        return result
    }

    /// Adds the leaf's class values divided by their sum (1 when they sum to 0), as
    /// `predict_proba` normalises them, to `result`'s row.
    func addNormalizedLeaf(of features: ArraySlice<Double>, into result: inout Matrix, row: Int) {
        let values = tree.leafValues(tree.leaf(for: features)).prefix(classes.count)
        var sum = 0.0
        for value in values { sum += value }
        if sum == 0 { sum = 1 }
        for (column, value) in values.enumerated() {
            result[row, column] += value / sum
        }
    }
}

/// `sklearn.tree.DecisionTreeRegressor` (also `ExtraTreeRegressor`).
struct DecisionTreeRegressor: Regressor {
    let tree: TreeStructure

    var inputWidth: Int { tree.featureCount }

    init(_ object: FittedObject) throws(EstimatorError) {
        tree = try TreeStructure(try object.value("tree_"), owner: object.qualifiedName)
        guard tree.valueWidth == 1 else {
            throw object.error("tree_", "a regression tree leaf holds \(tree.valueWidth) values")
        }
    }

    func predict(_ input: Matrix) -> [Double] {
        (0..<input.rows).map { tree.values[tree.leaf(for: input.row($0))] }
    }
}
