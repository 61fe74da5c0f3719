/// `sklearn.linear_model.LogisticRegression`: binary, multinomial and one-vs-rest.
struct LogisticRegressionClassifier: Classifier {
    /// Row-major `coef_`: one row of weights per decision column.
    let weights: Matrix
    let intercepts: [Double]
    let classes: ClassLabels
    /// Whether probabilities come from per-class sigmoids normalised to 1 (one-vs-rest)
    /// rather than a softmax over the decision values.
    let oneVsRest: Bool

    var inputWidth: Int { weights.columns }
    var hasDecisionFunction: Bool { true }

    init(_ object: FittedObject) throws(EstimatorError) {
        classes = try object.classLabels()
        let coef = try object.array("coef_")
        guard coef.shape.count == 2 else {
            throw object.error("coef_", "expected a 2-D array, found shape \(coef.shape)")
        }
        let decisionColumns = classes.count == 2 ? 1 : classes.count
        guard coef.shape[0] == decisionColumns, classes.count >= 2 else {
            throw object.error(
                "coef_",
                "shape \(coef.shape) does not fit \(classes.count) classes"
            )
        }
        weights = Matrix(
            rows: coef.shape[0],
            columns: coef.shape[1],
            values: try object.doubles("coef_")
        )
        intercepts = try object.doubles("intercept_", count: decisionColumns)
        oneVsRest = Self.usesOneVsRest(object, classCount: classes.count)
    }

    /// scikit-learn before 1.8 kept `multi_class`; with `auto` (the default) it chose
    /// one-vs-rest for binary problems and for the liblinear and newton-cholesky solvers.
    /// Later versions are always multinomial for more than two classes.
    private static func usesOneVsRest(_ object: FittedObject, classCount: Int) -> Bool {
        if classCount <= 2 { return true }
        switch object.string("multi_class") {
        case "ovr", "warn": return true
        case "auto", "deprecated":
            return ["liblinear", "newton-cholesky"].contains(object.string("solver") ?? "")
        default: return false
        }
    }

    /// Mirrors `decision_function`.
    func decisionFunction(_ input: Matrix) -> Matrix {
        var scores = Matrix(rows: input.rows, columns: weights.rows)
        for row in 0..<input.rows {
            let features = input.row(row)
            for column in 0..<weights.rows {
                scores[row, column] =
                    LinearAlgebra.dot(features, Array(weights.row(column))) + intercepts[column]
            }
        }
        return scores
    }

    func predictClassIndices(_ input: Matrix) -> [Int] {
        let scores = decisionFunction(input)
        if scores.columns == 1 {
            return scores.values.map { $0 > 0 ? 1 : 0 }
        }
        return (0..<scores.rows).map { Probability.argmax(scores.row($0)) }
    }

    func predictProbabilities(_ input: Matrix) -> Matrix {
        let scores = decisionFunction(input)
        if scores.columns == 1 {
            var probabilities = Matrix(rows: scores.rows, columns: 2)
            for row in 0..<scores.rows {
                let positive = LinearAlgebra.expit(scores.values[row])
                probabilities[row, 0] = 1 - positive
                probabilities[row, 1] = positive
            }
            return probabilities
        }
        return oneVsRest ? Probability.oneVsRest(scores) : Probability.softmax(scores)
    }
}

/// The probability transforms scikit-learn applies to decision values.
enum Probability {
    /// Index of the first largest value, as `numpy.argmax`.
    static func argmax(_ values: ArraySlice<Double>) -> Int {
        var best = values.startIndex
        for index in values.indices where values[index] > values[best] {
            best = index
        }
        return best - values.startIndex
    }

    /// `sklearn.utils.extmath.softmax`: subtract the row maximum, exponentiate, divide by
    /// the row sum.
    static func softmax(_ scores: Matrix) -> Matrix {
        var result = scores
        for row in 0..<scores.rows {
            let start = row * scores.columns
            let end = start + scores.columns
            let maximum = scores.values[start..<end].max() ?? 0
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
    /// to one (uniform where every sigmoid underflows to zero).
    static func oneVsRest(_ scores: Matrix) -> Matrix {
        var result = scores
        for row in 0..<scores.rows {
            let start = row * scores.columns
            let end = start + scores.columns
            var sum = 0.0
            for index in start..<end {
                result.values[index] = LinearAlgebra.expit(scores.values[index])
                sum += result.values[index]
            }
            if sum == 0 {
                for index in start..<end { result.values[index] = 1 }
                sum = Double(scores.columns)
            }
            for index in start..<end {
                result.values[index] /= sum
            }
        }
        return result
    }
}
