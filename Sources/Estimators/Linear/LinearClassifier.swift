/// The linear classifiers (`LinearClassifierMixin`): decision values are
/// `X @ coef_.T + intercept_`; with two classes there is one column and `classes_[1]` wins
/// where it is positive, otherwise the largest column wins. Serves logistic regression,
/// SGD, perceptron, passive-aggressive, ridge and linear SVM classifiers.
struct LinearClassifier: Classifier {
    /// How `predict_proba` turns decision values into probabilities, when the fitted
    /// model has it.
    enum ProbabilityRule: Sendable, Equatable {
        /// `_predict_proba_lr`: a sigmoid per column, normalised to sum to one. From
        /// scikit-learn 1.9 a row whose sigmoids all underflow becomes uniform; before,
        /// it was 0/0 (NaN).
        case oneVsRest(uniformWhenAllZero: Bool)
        /// A softmax over the columns; a binary model's one column `d` is taken as the
        /// pair `(-d, d)`, as `LogisticRegression` does for a multinomial binary fit.
        case softmax
        /// SGD's modified Huber: `(clip(d, -1, 1) + 1) / 2`, normalised over classes.
        case modifiedHuber

        /// `_predict_proba_lr` as the scikit-learn that wrote `object` runs it: a row of
        /// all-zero sigmoids became uniform in 1.9 (pull request 33168).
        static func oneVsRest(writtenBy object: FittedObject) -> Self {
            let version = ScikitLearnVersion(object.string("_sklearn_version"))
            return .oneVsRest(uniformWhenAllZero: version >= ScikitLearnVersion(1, 9))
        }
    }

    let function: LinearFunction
    let classes: ClassLabels
    let probabilityRule: ProbabilityRule?

    var inputWidth: Int { function.inputWidth }
    var hasProbabilities: Bool { probabilityRule != nil }
    var hasDecisionFunction: Bool { true }

    /// Checks that `coef_` has one row for two classes, one row per class otherwise, as
    /// every scikit-learn linear classifier (crammer-singer `LinearSVC` too) writes it.
    init(
        _ object: FittedObject,
        classes: ClassLabels,
        probabilities: ProbabilityRule?
    ) throws(EstimatorError) {
        let function = try LinearFunction(object)
        let rows = function.outputCount
        guard classes.count >= 2, rows == (classes.count == 2 ? 1 : classes.count) else {
            throw object.error(
                "coef_",
                "\(rows) rows of weights do not fit \(classes.count) classes"
            )
        }
        self.function = function
        self.classes = classes
        self.probabilityRule = probabilities
    }

    func decisionFunction(_ input: Matrix) -> Matrix {
        function.scores(input)
    }

    func predictClassIndices(_ input: Matrix) -> [Int] {
        if function.outputCount == 1 {
            return decisionFunction(input).values.map { $0 > 0 ? 1 : 0 }
        }
        return function.argmaxOfScores(input)
    }

    func predictProbabilities(_ input: Matrix) -> Matrix {
        probabilities(fromScores: decisionFunction(input))
    }

    /// `predict_proba` from decision values, by ``probabilityRule``; dense and sparse rows
    /// share it.
    func probabilities(fromScores scores: Matrix) -> Matrix {
        switch probabilityRule {
        case .oneVsRest(let uniform):
            if scores.columns == 1 {
                return Probability.complement(scores.values.map(LinearAlgebra.expit))
            }
            return Probability.oneVsRest(scores, uniformWhenAllZero: uniform)
        case .softmax:
            if scores.columns == 1 {
                return Probability.softmax(
                    Matrix(
                        rows: scores.rows,
                        columns: 2,
                        values: scores.values.flatMap { [-$0, $0] }
                    )
                )
            }
            return Probability.softmax(scores)
        case .modifiedHuber:
            return Probability.modifiedHuber(scores)
        case nil:
            preconditionFailure("predict_proba called on a classifier without one")
        }
    }
}

/// The probability transforms scikit-learn applies to decision values.
enum Probability {
    /// Index of the first largest value, as `numpy.argmax`: a NaN counts as the largest.
    static func argmax(_ values: ArraySlice<Double>) -> Int {
        var best = values.startIndex
        for index in values.indices {
            if values[index].isNaN { return index - values.startIndex }
            if values[index] > values[best] { best = index }
        }
        return best - values.startIndex
    }

    /// ``argmax(_:)`` of every row, without a slice per row.
    static func argmaxOfRows(_ matrix: Matrix) -> [Int] {
        let width = matrix.columns
        return matrix.values.withUnsafeBufferPointer { values in
            (0..<matrix.rows).map { row in
                let start = row * width
                var best = start
                for index in start..<(start + width) {
                    if values[index].isNaN { return index - start }
                    if values[index] > values[best] { best = index }
                }
                return best - start
            }
        }
    }

    /// Two columns `1 - p, p` from the positive class's probabilities.
    static func complement(_ positive: [Double]) -> Matrix {
        Matrix(rows: positive.count, columns: 2, values: positive.flatMap { [1 - $0, $0] })
    }

    /// `sklearn.utils.extmath.softmax`: subtract the row maximum (NaN if the row has one,
    /// as `numpy.max`), exponentiate, divide by the row sum.
    static func softmax(_ scores: Matrix) -> Matrix {
        var result = scores
        for row in 0..<scores.rows {
            let start = row * scores.columns
            let end = start + scores.columns
            let cells = scores.values[start..<end]
            let maximum = cells.contains(where: \.isNaN) ? .nan : cells.max() ?? 0
            var sum = 0.0
            for index in start..<end {
                let value = (scores.values[index] - maximum).exp()
                result.values[index] = value
                sum += value
            }
            for index in start..<end {
                result.values[index] /= sum
            }
        }
        return result
    }

    /// `_predict_proba_lr` for several classes: a sigmoid per class, normalised to sum
    /// to one.
    static func oneVsRest(_ scores: Matrix, uniformWhenAllZero: Bool = true) -> Matrix {
        var result = scores
        for index in result.values.indices {
            result.values[index] = LinearAlgebra.expit(scores.values[index])
        }
        return normalised(result, uniformWhenAllZero: uniformWhenAllZero)
    }

    /// `SGDClassifier.predict_proba` for `loss='modified_huber'`.
    static func modifiedHuber(_ scores: Matrix) -> Matrix {
        let clipped = scores.values.map { score in
            // numpy's clip keeps NaN.
            score.isNaN ? score : (Swift.min(Swift.max(score, -1), 1) + 1) / 2
        }
        if scores.columns == 1 {
            return complement(clipped)
        }
        return normalised(
            Matrix(rows: scores.rows, columns: scores.columns, values: clipped),
            uniformWhenAllZero: true
        )
    }

    /// Divides each row by its sum; a row summing to zero becomes uniform when asked,
    /// else stays 0/0.
    private static func normalised(_ matrix: Matrix, uniformWhenAllZero: Bool) -> Matrix {
        var result = matrix
        for row in 0..<matrix.rows {
            let start = row * matrix.columns
            let end = start + matrix.columns
            var sum = 0.0
            for index in start..<end { sum += result.values[index] }
            if sum == 0, uniformWhenAllZero {
                for index in start..<end { result.values[index] = 1 }
                sum = Double(matrix.columns)
            }
            for index in start..<end {
                result.values[index] /= sum
            }
        }
        return result
    }
}
