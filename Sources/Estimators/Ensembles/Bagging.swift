/// The trees of a `BaggingClassifier` or `BaggingRegressor` and the columns each was
/// fitted on (`estimators_features_`), which prediction selects for it.
struct BaggedMembers<Member: Sendable>: Sendable {
    let members: [(member: Member, features: [Int])]
    let inputWidth: Int
    /// `n_estimators`: scikit-learn divides the sum by it.
    let count: Double
    /// Per member, whether it takes NaN in its own columns.
    let acceptsMissing: [Bool]

    init(
        _ object: FittedObject,
        allowed: [String],
        build: (FittedObject) throws(EstimatorError) -> Member,
        acceptsMissing: (Member) -> Bool
    ) throws(EstimatorError) {
        inputWidth = try object.integer("n_features_in_")
        let list = try ForestMembers.list(object)
        let subsets = try EstimatorFeatures.subsets(
            object,
            count: list.count,
            inputWidth: inputWidth
        )
        let built = try ForestMembers.build(
            list,
            of: object,
            allowed: allowed,
            refusal: {
                "bagging \($0) is not supported; supported: " + allowed.joined(separator: ", ")
            },
            build
        )
        members = zip(built, subsets).map { (member: $0, features: $1) }
        self.acceptsMissing = built.map(acceptsMissing)
        count = Double(try object.integer("n_estimators"))
    }

    /// scikit-learn's bagging lets NaN through; each tree then checks the columns it
    /// takes, so NaN is refused only where it reaches a tree without missing-value
    /// support.
    func requireAcceptedMissing(_ input: Matrix) throws(InputError) {
        for row in 0..<input.rows {
            for (index, (_, features)) in members.enumerated() where !acceptsMissing[index] {
                if let column = features.first(where: { input[row, $0].isNaN }) {
                    throw InputError(
                        row: row,
                        column: column,
                        "missing value (NaN or null), which the ensemble's decision trees do "
                            + "not accept"
                    )
                }
            }
        }
    }
}

/// `sklearn.ensemble.BaggingClassifier` over decision trees: each tree's probabilities,
/// placed in the columns of the classes it saw, summed, then divided by `n_estimators`.
struct BaggingClassifier: Classifier {
    let bag: BaggedMembers<ClassificationTree>
    /// Per tree, the ensemble column of each of its classes (trees see encoded labels).
    let columns: [[Int]]
    let classes: ClassLabels

    var inputWidth: Int { bag.inputWidth }

    init(_ object: FittedObject) throws(EstimatorError) {
        classes = try object.classLabels()
        bag = try BaggedMembers(
            object,
            allowed: ["DecisionTreeClassifier", "ExtraTreeClassifier"],
            build: ClassificationTree.init,
            acceptsMissing: \.acceptsMissing
        )
        let classCount = classes.count
        var columns: [[Int]] = []
        for (tree, features) in bag.members {
            guard case .integers(let encoded) = tree.classesPerOutput[0],
                tree.classesPerOutput.count == 1, tree.inputWidth == features.count,
                encoded.allSatisfy({ $0 >= 0 && $0 < classCount })
            else {
                throw object.error("estimators_", "a tree does not fit the ensemble's classes")
            }
            columns.append(encoded.map { Int($0) })
        }
        self.columns = columns
    }

    /// The bagging itself takes NaN; its trees check their own columns.
    var acceptsMissing: Bool { true }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        try bag.requireAcceptedMissing(input)
        var result = Matrix(rows: input.rows, columns: classes.count)
        for row in 0..<input.rows {
            let features = input.row(row)
            for ((tree, subset), columns) in zip(bag.members, columns) {
                var own = Matrix(rows: 1, columns: columns.count)
                tree.addLeafProbabilities(
                    of: EstimatorFeatures.select(subset, from: features),
                    into: &own,
                    row: 0
                )
                for (index, column) in columns.enumerated() {
                    result[row, column] += own.values[index]
                }
            }
        }
        for index in result.values.indices {
            result.values[index] /= bag.count
        }
        return result
    }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        let probabilities = try predictProbabilities(input)
        return (0..<input.rows).map { Probability.argmax(probabilities.row($0)) }
    }
}

/// `sklearn.ensemble.BaggingRegressor` over regression trees: the sum of the trees'
/// predictions divided by `n_estimators`.
struct BaggingRegressor: Regressor {
    let bag: BaggedMembers<DecisionTreeRegressor>

    /// The bagging itself takes NaN; its trees check their own columns.
    var acceptsMissing: Bool { true }

    var inputWidth: Int { bag.inputWidth }

    init(_ object: FittedObject) throws(EstimatorError) {
        bag = try BaggedMembers(
            object,
            allowed: ["DecisionTreeRegressor", "ExtraTreeRegressor"],
            build: DecisionTreeRegressor.init,
            acceptsMissing: \.acceptsMissing
        )
        for (tree, features) in bag.members
        where tree.targetCount != nil || tree.inputWidth != features.count {
            throw object.error("estimators_", "a tree does not fit its feature subset")
        }
    }

    func predict(_ input: Matrix) throws(InputError) -> Matrix {
        try bag.requireAcceptedMissing(input)
        var result = Matrix(rows: input.rows, columns: 1)
        for row in 0..<input.rows {
            let features = input.row(row)
            var sum = 0.0
            for (tree, subset) in bag.members {
                sum += tree.tree.predictedValue(
                    for: EstimatorFeatures.select(subset, from: features)
                )
            }
            result.values[row] = sum / bag.count
        }
        return result
    }
}
