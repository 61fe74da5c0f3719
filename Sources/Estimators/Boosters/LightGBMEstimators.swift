/// `LGBMClassifier`, and a saved LightGBM model of a classification objective:
/// `predict_proba` is the booster's probabilities (`[1 - p, p]` for binary), `predict` the
/// class of the largest, through the wrapper's label encoder, `decision_function` the raw
/// scores.
struct LightGBMClassifier: Classifier {
    let booster: LightGBMBooster
    let classes: ClassLabels
    var inputWidth: Int { booster.featureCount }
    // LightGBM takes NaN and routes it by each split's missing type.
    var acceptsMissing: Bool { true }

    init(_ booster: LightGBMBooster, classes: ClassLabels, className: String)
        throws(EstimatorError)
    {
        let outputs = booster.objective.classCount ?? 2
        let isClassification: Bool
        switch booster.objective {
        case .binary, .multiclass, .multiclassOneVsAll: isClassification = true
        default: isClassification = false
        }
        guard isClassification, classes.count == outputs else {
            throw EstimatorError(
                .invalidAttribute,
                className: className,
                attribute: "_classes",
                "\(classes.count) classes for objective \(booster.objective) with \(outputs) "
                    + "outputs"
            )
        }
        self.booster = booster
        self.classes = classes
    }

    /// Mirrors `LGBMClassifier.predict`: numpy's argmax of `predict_proba` (the first of
    /// equal largest values).
    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        let probabilities = try predictProbabilities(input)
        return (0..<probabilities.rows).map { row in
            var best = 0
            for column in 1..<probabilities.columns
            where probabilities[row, column] > probabilities[row, best] {
                best = column
            }
            return best
        }
    }

    /// Mirrors `LGBMClassifier.decision_function` (LightGBM 4.7): the raw scores, one
    /// column for two classes.
    var hasDecisionFunction: Bool { true }

    func decisionFunction(_ input: Matrix) throws(InputError) -> Matrix {
        Matrix(rows: input.rows, columns: booster.groupCount, values: booster.rawScores(input))
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        let predictions = booster.predictions(input)
        guard booster.groupCount == 1 else {
            return Matrix(rows: input.rows, columns: booster.groupCount, values: predictions)
        }
        var values: [Double] = []
        values.reserveCapacity(input.rows * 2)
        for probability in predictions {
            values.append(1 - probability)
            values.append(probability)
        }
        return Matrix(rows: input.rows, columns: 2, values: values)
    }
}

/// `LGBMRegressor`, and a saved LightGBM model of any other objective: `Booster.predict`.
struct LightGBMRegressor: Regressor {
    let booster: LightGBMBooster
    var inputWidth: Int { booster.featureCount }
    var acceptsMissing: Bool { true }

    init(_ booster: LightGBMBooster, className: String) throws(EstimatorError) {
        guard booster.groupCount == 1 else {
            throw EstimatorError(
                .unsupportedOption,
                className: className,
                attribute: "objective",
                "objective \(booster.objective) gives \(booster.groupCount) outputs per row; "
                    + "use LGBMClassifier"
            )
        }
        self.booster = booster
    }

    func predict(_ input: Matrix) throws(InputError) -> Matrix {
        Matrix(rows: input.rows, columns: 1, values: booster.predictions(input))
    }
}
