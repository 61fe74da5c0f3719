import Arrays

/// `sklearn.discriminant_analysis.QuadraticDiscriminantAnalysis`: per class, the log
/// posterior `-0.5 * (|(x - means_[i]) @ (R * S^-0.5)|² + sum(log S)) + log(priors_[i])`
/// with `R = rotations_[i]` and `S = scalings_[i]`.
struct QuadraticDiscriminant: Classifier {
    let classes: ClassLabels
    /// `means_`, one row per class.
    let means: Matrix
    /// `rotations_[i] * scalings_[i] ** -0.5`: one row per feature.
    let whitenings: [Matrix]
    /// `sum(log(scalings_[i]))`.
    let logDeterminants: [Double]
    let logPriors: [Double]
    /// How `predict_proba` normalises: from scikit-learn 1.6 through logs
    /// (`exp(ll - log(sum(exp(ll))))`), before by dividing `exp(ll)` by its sum.
    let normalisesInLogs: Bool

    var inputWidth: Int { means.columns }
    var hasDecisionFunction: Bool { true }

    init(_ object: FittedObject) throws(EstimatorError) {
        let classes = try object.classLabels()
        let means = try object.floatMatrix("means_")
        guard classes.count >= 2, means.rows == classes.count else {
            throw object.error("means_", "has \(means.rows) rows for \(classes.count) classes")
        }
        let rotations = try object.floatMatrices("rotations_")
        let scalings = try object.arrays("scalings_")
        guard rotations.count == classes.count, scalings.count == classes.count else {
            throw object.error(
                "rotations_",
                "\(rotations.count) rotations and \(scalings.count) scalings for "
                    + "\(classes.count) classes"
            )
        }
        var whitenings: [Matrix] = []
        var logDeterminants: [Double] = []
        for (rotation, scaling) in zip(rotations, scalings) {
            // From 1.8 a model fitted on float32 rows keeps float32 scalings, whose powers
            // and logs numpy takes in float32.
            try object.requireFloat64(scaling, attribute: "scalings_")
            let values = try object.reading("scalings_") { () throws(ArrayError) in
                try scaling.doubles()
            }
            guard rotation.rows == means.columns, rotation.columns == values.count else {
                throw object.error(
                    "rotations_",
                    "a rotation of \(rotation.rows)×\(rotation.columns) does not fit "
                        + "\(means.columns) features and \(values.count) scalings"
                )
            }
            var whitening = rotation
            for index in whitening.values.indices {
                whitening.values[index] *= values[index % rotation.columns].power(-0.5)
            }
            whitenings.append(whitening)
            logDeterminants.append(NumpyReductions.sum(values.map { $0.log() }))
        }
        self.classes = classes
        self.means = means
        self.whitenings = whitenings
        self.logDeterminants = logDeterminants
        logPriors = try object.doubles("priors_", count: classes.count).map { $0.log() }
        normalisesInLogs = object.version >= ScikitLearnVersion(1, 6)
    }

    /// `_decision_function`: the log posterior of every class.
    func logPosteriors(_ input: Matrix) -> Matrix {
        let width = means.columns
        let classCount = classes.count
        var result = Matrix(rows: input.rows, columns: classCount)
        var centred = [Double](repeating: 0, count: width)
        for label in 0..<classCount {
            let whitening = whitenings[label]
            var squares = [Double](repeating: 0, count: whitening.columns)
            for row in 0..<input.rows {
                for feature in 0..<width {
                    centred[feature] =
                        input.values[row * width + feature] - means.values[label * width + feature]
                }
                for column in 0..<whitening.columns {
                    var sum = 0.0
                    for feature in 0..<width {
                        sum +=
                            centred[feature]
                            * whitening.values[feature * whitening.columns + column]
                    }
                    squares[column] = sum * sum
                }
                let distance = NumpyReductions.sum(squares)
                result.values[row * classCount + label] =
                    -0.5 * (distance + logDeterminants[label]) + logPriors[label]
            }
        }
        return result
    }

    func predictClassIndices(_ input: Matrix) -> [Int] {
        Probability.argmaxOfRows(logPosteriors(input))
    }

    /// The log posteriors, or for two classes their difference (class 1 minus class 0).
    func decisionFunction(_ input: Matrix) -> Matrix {
        let posteriors = logPosteriors(input)
        guard classes.count == 2 else { return posteriors }
        return Matrix(
            rows: input.rows,
            columns: 1,
            values: (0..<input.rows).map { posteriors[$0, 1] - posteriors[$0, 0] }
        )
    }

    func predictProbabilities(_ input: Matrix) -> Matrix {
        var result = logPosteriors(input)
        let width = result.columns
        for row in 0..<result.rows {
            let start = row * width
            let maximum = LogSumExp.maximum(result.values[start..<(start + width)])
            var exponentials = [Double](repeating: 0, count: width)
            for column in 0..<width {
                result.values[start + column] -= maximum
                exponentials[column] = result.values[start + column].exp()
            }
            let sum = NumpyReductions.sum(exponentials)
            for column in 0..<width {
                result.values[start + column] =
                    normalisesInLogs
                    ? (result.values[start + column] - sum.log()).exp()
                    : exponentials[column] / sum
            }
        }
        return result
    }
}
