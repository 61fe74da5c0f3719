/// A fitted classification tree of one or several outputs (`DecisionTreeClassifier`,
/// `ExtraTreeClassifier`), shared by the single-output and multi-output estimators and by
/// forests.
struct ClassificationTree: OutputsClassification {
    let tree: TreeStructure
    /// `classes_`: one list per output.
    let classesPerOutput: [ClassLabels]
    /// Whether `predict_proba` divides each leaf's values by their sum. Before 1.4,
    /// scikit-learn stored weighted class counts in the leaves and normalised them; since
    /// then it stores fractions and returns them as they are (their sum may be a few ulps
    /// off 1, and scikit-learn keeps that).
    let normalizesLeaves: Bool
    let acceptsMissing: Bool

    var inputWidth: Int { tree.featureCount }

    init(_ object: FittedObject) throws(EstimatorError) {
        tree = try TreeStructure(try object.value("tree_"), owner: object.qualifiedName)
        classesPerOutput =
            object.hasLabelsPerOutput
            ? try object.classLabelsPerOutput() : [try object.classLabels()]
        normalizesLeaves = object.sklearnVersion < .init(1, 4)
        acceptsMissing = tree.recordsMissingDirection && object.treeAcceptsMissing
        guard tree.outputCount == classesPerOutput.count else {
            throw object.error(
                "tree_",
                "the tree has \(tree.outputCount) outputs, classes_ \(classesPerOutput.count)"
            )
        }
        for labels in classesPerOutput where labels.count == 0 || tree.valueWidth < labels.count {
            throw object.error(
                "tree_",
                "leaves hold \(tree.valueWidth) values for \(labels.count) classes"
            )
        }
    }

    func predictClassIndices(_ input: Matrix, output: Int) -> [Int] {
        (0..<input.rows).map { predictClassIndex(input.row($0), output: output) }
    }

    func predictProbabilities(_ input: Matrix, output: Int) -> Matrix {
        var result = Matrix(rows: input.rows, columns: classesPerOutput[output].count)
        for row in 0..<input.rows {
            addLeafProbabilities(of: input.row(row), output: output, into: &result, row: row)
        }
        return result
    }

    /// `predict` takes the argmax of the raw leaf values, before normalising.
    func predictClassIndex(_ features: ArraySlice<Double>, output: Int) -> Int {
        let values = tree.leafValues(tree.leaf(for: features), output: output)
        return Probability.argmax(values.prefix(classesPerOutput[output].count))
    }

    /// For every node, the class values of `output` that this tree's `predict_proba` gives
    /// a row ending there (as ``addLeafProbabilities(of:output:into:row:)`` adds them), one
    /// row of `classesPerOutput[output].count` values per node.
    func leafProbabilities(output: Int) -> [Double] {
        let width = classesPerOutput[output].count
        var result = Matrix(rows: tree.nodes.count, columns: width)
        for node in tree.nodes.indices {
            addValues(tree.leafValues(node, output: output).prefix(width), into: &result, row: node)
        }
        return result.values
    }

    /// Adds the leaf's class values of `output`, as this tree's `predict_proba` gives
    /// them, to `result`'s row: divided by their sum (1 when they sum to 0) for files
    /// from before scikit-learn 1.4, as they are for later ones.
    func addLeafProbabilities(
        of features: ArraySlice<Double>,
        output: Int = 0,
        into result: inout Matrix,
        row: Int
    ) {
        let leaf = tree.leaf(for: features)
        let values = tree.leafValues(leaf, output: output).prefix(
            classesPerOutput[output].count
        )
        addValues(values, into: &result, row: row)
    }

    private func addValues(_ values: ArraySlice<Double>, into result: inout Matrix, row: Int) {
        var sum = 1.0
        if normalizesLeaves {
            sum = NumpyReductions.sum(values)
            if sum == 0 { sum = 1 }
        }
        for (column, value) in values.enumerated() {
            result[row, column] += normalizesLeaves ? value / sum : value
        }
    }
}

/// `sklearn.tree.DecisionTreeRegressor` (also `ExtraTreeRegressor`), of one or several
/// targets.
struct DecisionTreeRegressor: Regressor {
    let tree: TreeStructure
    let acceptsMissing: Bool
    /// Whether the tree was fitted on a 2-D `y` (then `predict` returns a matrix).
    let multiOutput: Bool

    var inputWidth: Int { tree.featureCount }
    var targetCount: Int? { multiOutput ? tree.outputCount : nil }

    init(_ object: FittedObject) throws(EstimatorError) {
        tree = try TreeStructure(try object.value("tree_"), owner: object.qualifiedName)
        guard tree.valueWidth == 1 else {
            throw object.error("tree_", "a regression tree leaf holds \(tree.valueWidth) values")
        }
        acceptsMissing = tree.recordsMissingDirection && object.treeAcceptsMissing
        multiOutput = tree.outputCount > 1
    }

    func predict(_ input: Matrix) -> Matrix {
        var result = Matrix(rows: input.rows, columns: tree.outputCount)
        for row in 0..<input.rows {
            let leaf = tree.leaf(for: input.row(row))
            for output in 0..<tree.outputCount {
                result[row, output] = tree.leafValues(leaf, output: output).first ?? 0
            }
        }
        return result
    }
}

extension Estimator {
    /// A fitted classification tree as the kind of estimator its `y` made it.
    static func treeClassifier(_ object: FittedObject) throws(EstimatorError) -> Estimator {
        let model = try ClassificationTree(object)
        return model.estimator(
            multiOutput: model.classesPerOutput.count != 1 || object.hasLabelsPerOutput
        )
    }
}
