/// `sklearn.ensemble.AdaBoostClassifier` over decision trees: SAMME's weighted votes, or
/// SAMME.R's summed log-probabilities (files from before scikit-learn 1.6), divided by
/// the sum of the estimator weights; `predict_proba` is a softmax of the decision.
struct AdaBoostClassifier: Classifier {
    enum Algorithm {
        /// A vote of `w` for the predicted class; from 1.3 also `-w / (K - 1)` for the
        /// others, before that 0.
        case samme(symmetric: Bool)
        case sammeR
    }

    let trees: [ClassificationTree]
    let weights: [Double]
    /// `estimator_weights_.sum()`, over every weight (unused trailing ones are 0).
    let weightSum: Double
    let classes: ClassLabels
    let algorithm: Algorithm
    let inputWidth: Int

    var hasDecisionFunction: Bool { true }

    init(_ object: FittedObject) throws(EstimatorError) {
        let classes = try object.classLabels()
        guard classes.count >= 2 else {
            throw object.error("classes_", "expected at least two classes")
        }
        let inputWidth = try object.integer("n_features_in_")
        let boosted = try BoostedTrees.load(
            object,
            supported: ["DecisionTreeClassifier", "ExtraTreeClassifier"]
        ) { (estimator) throws(EstimatorError) in
            let tree = try ClassificationTree(estimator)
            guard tree.classesPerOutput == [classes], tree.inputWidth == inputWidth else {
                throw object.error("estimators_", "a tree does not match the ensemble's classes")
            }
            return tree
        }
        self.classes = classes
        self.inputWidth = inputWidth
        trees = boosted.trees
        weights = boosted.weights
        weightSum = NumpyReductions.sum(boosted.allWeights)
        let version = object.sklearnVersion
        if object.string("algorithm") == "SAMME.R" && version < .init(1, 6) {
            algorithm = .sammeR
        } else {
            algorithm = .samme(symmetric: version >= .init(1, 3))
        }
    }

    /// The decision before the two-class fold: one column per class.
    private func classScores(_ input: Matrix) -> Matrix {
        let count = classes.count
        var result = Matrix(rows: input.rows, columns: count)
        var probabilities = Matrix(rows: 1, columns: count)
        for row in 0..<input.rows {
            let features = input.row(row)
            for (tree, weight) in zip(trees, weights) {
                switch algorithm {
                case .samme(let symmetric):
                    let predicted = tree.predictClassIndex(features, output: 0)
                    let other = symmetric ? -1 / Double(count - 1) * weight : 0
                    for column in 0..<count {
                        result[row, column] += column == predicted ? weight : other
                    }
                case .sammeR:
                    probabilities.values = [Double](repeating: 0, count: count)
                    tree.addLeafProbabilities(of: features, into: &probabilities, row: 0)
                    let logs = probabilities.values.map { max($0, Double.ulpOfOne).log() }
                    let mean = (1.0 / Double(count)) * NumpyReductions.sum(logs)
                    for column in 0..<count {
                        result[row, column] += Double(count - 1) * (logs[column] - mean)
                    }
                }
            }
        }
        for index in result.values.indices {
            result.values[index] /= weightSum
        }
        return result
    }

    func decisionFunction(_ input: Matrix) -> Matrix {
        let scores = classScores(input)
        guard classes.count == 2 else { return scores }
        return Matrix(
            rows: input.rows,
            columns: 1,
            values: (0..<input.rows).map { -scores[$0, 0] + scores[$0, 1] }
        )
    }

    func predictClassIndices(_ input: Matrix) -> [Int] {
        let decision = decisionFunction(input)
        if decision.columns == 1 { return decision.values.map { $0 > 0 ? 1 : 0 } }
        return (0..<decision.rows).map { Probability.argmax(decision.row($0)) }
    }

    /// A softmax of the decision: `[-d, d] / 2` for two classes, `d / (K - 1)` else.
    func predictProbabilities(_ input: Matrix) -> Matrix {
        let decision = decisionFunction(input)
        if decision.columns == 1 {
            var pairs = Matrix(rows: input.rows, columns: 2)
            for row in 0..<input.rows {
                pairs[row, 0] = -decision.values[row] / 2
                pairs[row, 1] = decision.values[row] / 2
            }
            return NumpyReductions.softmax(pairs)
        }
        var scaled = decision
        for index in scaled.values.indices {
            scaled.values[index] /= Double(classes.count - 1)
        }
        return NumpyReductions.softmax(scaled)
    }
}

/// `sklearn.ensemble.AdaBoostRegressor` over regression trees: the weighted median of
/// the trees' predictions.
struct AdaBoostRegressor: Regressor {
    let trees: [DecisionTreeRegressor]
    let weights: [Double]
    let inputWidth: Int

    init(_ object: FittedObject) throws(EstimatorError) {
        let inputWidth = try object.integer("n_features_in_")
        let boosted = try BoostedTrees.load(
            object,
            supported: ["DecisionTreeRegressor", "ExtraTreeRegressor"]
        ) { (estimator) throws(EstimatorError) in
            let tree = try DecisionTreeRegressor(estimator)
            guard tree.targetCount == nil, tree.inputWidth == inputWidth else {
                throw object.error("estimators_", "a tree does not fit the ensemble")
            }
            return tree
        }
        self.inputWidth = inputWidth
        trees = boosted.trees
        weights = boosted.weights
    }

    /// `_get_median_predict`: sort the predictions, accumulate their weights in that
    /// order, and take the first whose running sum reaches half the total.
    func predict(_ input: Matrix) -> Matrix {
        var result = Matrix(rows: input.rows, columns: 1)
        for row in 0..<input.rows {
            let features = input.row(row)
            let predictions = trees.map { $0.tree.predictedValue(for: features) }
            let order = predictions.indices.sorted {
                (predictions[$0], $0) < (predictions[$1], $1)
            }
            var cumulative: [Double] = []
            var running = 0.0
            for index in order {
                running += weights[index]
                cumulative.append(running)
            }
            let half = 0.5 * running
            let position = cumulative.firstIndex { $0 >= half } ?? 0
            result.values[row] = predictions[order[position]]
        }
        return result
    }
}

/// The fitted trees of an AdaBoost ensemble and their weights.
struct BoostedTrees<Tree> {
    let trees: [Tree]
    /// One weight per fitted tree.
    let weights: [Double]
    /// `estimator_weights_` as stored: unused trailing weights (0) when boosting stopped
    /// early.
    let allWeights: [Double]

    /// Reads `estimators_`, each one of the `supported` classes and built by `build`, and
    /// `estimator_weights_`.
    static func load(
        _ object: FittedObject,
        supported: [String],
        _ build: (FittedObject) throws(EstimatorError) -> Tree
    ) throws(EstimatorError) -> BoostedTrees {
        let members = try ForestMembers.list(object)
        let allWeights = try object.doubles("estimator_weights_")
        guard allWeights.count >= members.count else {
            throw object.error("estimator_weights_", "fewer weights than estimators")
        }
        let trees = try ForestMembers.build(
            members,
            of: object,
            allowed: supported,
            refusal: { "boosting \($0) is not supported; supported: decision trees" },
            build
        )
        return BoostedTrees(
            trees: trees,
            weights: Array(allWeights.prefix(members.count)),
            allWeights: allWeights
        )
    }
}
