/// `XGBClassifier` (and `XGBRFClassifier`), and a saved booster of a classification
/// objective: classes `0..<n`, `predict_proba` as the wrapper computes it in float32.
struct XGBoostClassifier: Classifier {
    let booster: XGBoostBooster
    let classes: ClassLabels
    var inputWidth: Int { booster.featureCount }
    // XGBoost takes NaN as a missing value and follows each split's default direction.
    var acceptsMissing: Bool { true }

    init(_ booster: XGBoostBooster, classCount: Int, className: String) throws(EstimatorError) {
        let expected = booster.objective.isMulticlass ? booster.groupCount : 2
        guard classCount == expected, expected >= 2, booster.groupCount != 2 else {
            throw EstimatorError(
                .invalidAttribute,
                className: className,
                attribute: "n_classes_",
                "is \(classCount), but objective \(booster.objective.name) has "
                    + "\(booster.groupCount) outputs"
            )
        }
        self.booster = booster
        classes = .integers((0..<Int64(classCount)).map { $0 })
    }

    /// Mirrors `XGBClassifier.predict`: the largest probability's class for several classes,
    /// the class index `multi:softmax` gives, else 1 where the prediction passes 0.5.
    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        let predictions = booster.predictions(input)
        switch booster.objective {
        case .softprob:
            let width = booster.groupCount
            return stride(from: 0, to: predictions.count, by: width).map { start in
                XGBoostObjective.firstLargest(predictions[start..<start + width])
            }
        case .softmax: return predictions.map { Int($0) }
        default: return predictions.map { $0 > 0.5 ? 1 : 0 }
        }
    }

    /// Mirrors `XGBClassifier.predict_proba`: `multi:softprob`'s probabilities, scipy's
    /// float32 softmax of `multi:softmax`'s margins, else `[1 - p, p]` in float32.
    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        let width = booster.groupCount
        switch booster.objective {
        case .softprob:
            return Matrix(
                rows: input.rows,
                columns: width,
                values: booster.predictions(input).map(Double.init)
            )
        case .softmax:
            var margins = booster.margins(input)
            for start in stride(from: 0, to: margins.count, by: width) {
                Self.scipySoftmax(&margins[start..<start + width])
            }
            return Matrix(rows: input.rows, columns: width, values: margins.map(Double.init))
        default:
            var values: [Double] = []
            values.reserveCapacity(input.rows * 2)
            for probability in booster.predictions(input) {
                values.append(Double(1 - probability))
                values.append(Double(probability))
            }
            return Matrix(rows: input.rows, columns: 2, values: values)
        }
    }

    /// `scipy.special.softmax` on a float32 row: numpy's float32 exp of the shifted values,
    /// divided by their sum, all in float32.
    static func scipySoftmax(_ values: inout ArraySlice<Float>) {
        guard let largest = values.max() else { return }
        var sum: Float = 0
        for index in values.indices {
            values[index] = NumpyFloat32.exp(values[index] - largest)
            sum += values[index]
        }
        for index in values.indices { values[index] /= sum }
    }
}

/// `XGBRegressor` (and `XGBRFRegressor`), and a saved booster of any other objective: what
/// `Booster.predict` returns, one float32 value per row.
struct XGBoostRegressor: Regressor {
    let booster: XGBoostBooster
    var inputWidth: Int { booster.featureCount }
    var acceptsMissing: Bool { true }

    init(_ booster: XGBoostBooster, className: String) throws(EstimatorError) {
        guard booster.groupCount == 1 else {
            throw EstimatorError(
                .unsupportedOption,
                className: className,
                attribute: "objective",
                "objective \(booster.objective.name) gives \(booster.groupCount) outputs per row; "
                    + "use XGBClassifier"
            )
        }
        self.booster = booster
    }

    func predict(_ input: Matrix) throws(InputError) -> Matrix {
        Matrix(rows: input.rows, columns: 1, values: booster.predictions(input).map(Double.init))
    }
}
