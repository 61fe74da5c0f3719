/// `MultinomialNB`, `ComplementNB` and `BernoulliNB`: the joint log likelihood is linear in
/// the (Bernoulli: binarized) row, `x @ weights.T + offsets`, as scikit-learn computes it
/// with `safe_sparse_dot`.
///
/// The weights and offsets are derived once at load, and every row goes through
/// ``scores(entries:into:)``, which takes a sparse row's stored entries as well.
struct LinearLikelihood: JointLogLikelihood {
    /// One row of weights per class, one column per feature.
    let weights: Matrix
    /// Added to each class's dot product.
    let offsets: [Double]
    /// `BernoulliNB.binarize`: values above it count as 1, the rest as 0; nil when rows are
    /// taken as they are.
    let binarizeThreshold: Double?

    var inputWidth: Int { weights.columns }
    var classCount: Int { weights.rows }

    /// `MultinomialNB`: `feature_log_prob_` weighs the counts, `class_log_prior_` is added.
    static func multinomial(_ object: FittedObject) throws(EstimatorError) -> Self {
        let weights = try object.floatMatrix("feature_log_prob_")
        let priors = try object.doubles("class_log_prior_", count: weights.rows)
        return Self(weights: weights, offsets: priors, binarizeThreshold: nil)
    }

    /// `ComplementNB`: `feature_log_prob_` holds the complement weights; the prior only
    /// counts for a model fitted on a single class.
    static func complement(_ object: FittedObject) throws(EstimatorError) -> Self {
        let weights = try object.floatMatrix("feature_log_prob_")
        let priors = try object.doubles("class_log_prior_", count: weights.rows)
        let offsets = weights.rows == 1 ? priors : [Double](repeating: 0, count: weights.rows)
        return Self(weights: weights, offsets: offsets, binarizeThreshold: nil)
    }

    /// `BernoulliNB`: with `neg = log(1 - exp(feature_log_prob_))`, the weights are
    /// `feature_log_prob_ - neg` and each offset `class_log_prior_ + neg.sum(axis=1)`.
    static func bernoulli(_ object: FittedObject) throws(EstimatorError) -> Self {
        let logProbabilities = try object.floatMatrix("feature_log_prob_")
        let priors = try object.doubles("class_log_prior_", count: logProbabilities.rows)
        var weights = logProbabilities
        var offsets = priors
        let width = logProbabilities.columns
        for label in 0..<logProbabilities.rows {
            var absent = [Double](repeating: 0, count: width)
            for feature in 0..<width {
                let index = label * width + feature
                let logProbability = logProbabilities.values[index]
                absent[feature] = (1 - logProbability.exp()).log()
                weights.values[index] = logProbability - absent[feature]
            }
            offsets[label] = priors[label] + NumpyReductions.sum(absent)
        }
        let threshold: Double?
        switch object.optional("binarize") {
        case nil: threshold = nil
        default: threshold = try object.number("binarize")
        }
        return Self(weights: weights, offsets: offsets, binarizeThreshold: threshold)
    }

    func jointLogLikelihood(_ input: Matrix) -> Matrix {
        let width = weights.columns
        let classes = weights.rows
        var result = Matrix(rows: input.rows, columns: classes)
        var rowScores = [Double](repeating: 0, count: classes)
        for row in 0..<input.rows {
            // Every entry, zeros included: 0 × -inf (a zero count fitted with alpha = 0) is
            // NaN in numpy's dense product too.
            let entries = (0..<width).lazy.map { feature in
                (feature: feature, value: input.values[row * width + feature])
            }
            scores(entries: entries, into: &rowScores)
            for label in 0..<classes {
                result.values[row * classes + label] = rowScores[label]
            }
        }
        return result
    }

    /// One row's joint log likelihood from its entries, into `scores` (one per class):
    /// each class's terms added from 0 in the order given, then its offset. A dense row
    /// gives every entry; a sparse row (text vectorizers) only its stored ones, as scipy's
    /// sparse product skips the rest. An absent zero stays zero after binarizing, as
    /// scikit-learn refuses a negative threshold for sparse rows.
    func scores(
        entries: some Sequence<(feature: Int, value: Double)>,
        into scores: inout [Double]
    ) {
        let width = weights.columns
        for label in 0..<weights.rows { scores[label] = 0 }
        for (feature, raw) in entries {
            let x = value(raw)
            for label in 0..<weights.rows {
                scores[label] += x * weights.values[label * width + feature]
            }
        }
        for label in 0..<weights.rows { scores[label] += offsets[label] }
    }

    /// The value the product sees: `sklearn.preprocessing.binarize` for Bernoulli.
    @inline(__always)
    private func value(_ raw: Double) -> Double {
        guard let binarizeThreshold else { return raw }
        return raw > binarizeThreshold ? 1 : 0
    }
}
