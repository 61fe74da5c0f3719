/// `sklearn.naive_bayes.CategoricalNB`: each feature is a category index, and the joint log
/// likelihood adds, feature by feature, the class's `feature_log_prob_` of that category,
/// then `class_log_prior_`.
struct CategoricalLikelihood: JointLogLikelihood {
    /// `feature_log_prob_[i]`: one row per class, one column per category of feature `i`.
    let logProbabilities: [Matrix]
    let logPriors: [Double]

    var inputWidth: Int { logProbabilities.count }
    var classCount: Int { logPriors.count }

    init(_ object: FittedObject) throws(EstimatorError) {
        let logProbabilities = try object.floatMatrices("feature_log_prob_")
        guard let first = logProbabilities.first else {
            throw object.error("feature_log_prob_", "has no features")
        }
        guard logProbabilities.allSatisfy({ $0.rows == first.rows }) else {
            throw object.error("feature_log_prob_", "features differ in their number of classes")
        }
        self.logProbabilities = logProbabilities
        logPriors = try object.doubles("class_log_prior_", count: first.rows)
    }

    func jointLogLikelihood(_ input: Matrix) throws(InputError) -> Matrix {
        let width = inputWidth
        let classes = classCount
        var result = Matrix(rows: input.rows, columns: classes)
        for row in 0..<input.rows {
            var sums = [Double](repeating: 0, count: classes)
            for feature in 0..<width {
                let table = logProbabilities[feature]
                let category = try Self.category(
                    input.values[row * width + feature],
                    of: table.columns,
                    row: row,
                    column: feature
                )
                for label in 0..<classes {
                    sums[label] += table.values[label * table.columns + category]
                }
            }
            for label in 0..<classes {
                result.values[row * classes + label] = sums[label] + logPriors[label]
            }
        }
        return result
    }

    /// The category index scikit-learn reads from `value`: numpy's cast to int64 truncates
    /// toward zero (-0.5 is category 0), and turns values beyond int64 into its most
    /// negative value. Negative indices and indices past the fitted categories are
    /// refused, as `check_non_negative` and numpy's indexing refuse them.
    static func category(_ value: Double, of count: Int, row: Int, column: Int)
        throws(InputError) -> Int
    {
        guard value.isFinite else {
            throw InputError(row: row, column: column, "\(value) is not a category index")
        }
        guard value > -1 else {
            throw InputError(row: row, column: column, "negative category index \(value)")
        }
        guard value < 9_223_372_036_854_775_808.0 else {
            throw InputError(
                row: row,
                column: column,
                "\(value) is beyond int64, which numpy casts to a negative category index"
            )
        }
        let index = Int(value.rounded(.towardZero))
        guard index < count else {
            throw InputError(
                row: row,
                column: column,
                "category \(index) is unknown: the feature was fitted with \(count) categories"
            )
        }
        return index
    }
}
