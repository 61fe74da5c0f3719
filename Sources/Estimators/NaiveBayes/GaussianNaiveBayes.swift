/// `sklearn.naive_bayes.GaussianNB`: per class, `log(class_prior_)` plus the log density
/// of independent normals with means `theta_` and variances `var_`.
struct GaussianLikelihood: JointLogLikelihood {
    /// `theta_`, one row per class.
    let means: Matrix
    /// `var_` (`sigma_` before scikit-learn 1.0), one row per class.
    let variances: Matrix
    /// `log(class_prior_[i])`.
    let logPriors: [Double]
    /// `-0.5 * sum(log(2π var_[i, :]))`, summed as numpy sums a row.
    let normalisers: [Double]

    var inputWidth: Int { means.columns }
    var classCount: Int { means.rows }

    init(_ object: FittedObject) throws(EstimatorError) {
        let varianceName = object.optional("var_") == nil ? "sigma_" : "var_"
        let means = try object.floatMatrix("theta_")
        let variances = try object.floatMatrix(varianceName)
        guard variances.rows == means.rows, variances.columns == means.columns else {
            throw object.error(
                varianceName,
                "\(variances.rows)×\(variances.columns) values for theta_ of "
                    + "\(means.rows)×\(means.columns)"
            )
        }
        // From 1.8 a model fitted on float32 rows keeps float32 attributes, and numpy then
        // computes the variance terms in float32, which this does not reproduce.
        try object.requireFloat64(["theta_", varianceName, "class_prior_"])
        let priors = try object.doubles("class_prior_", count: means.rows)
        self.means = means
        self.variances = variances
        logPriors = priors.map { $0.log() }
        let twoPi = 2.0 * Double.pi
        normalisers = (0..<means.rows).map { row in
            let logs = variances.row(row).map { (twoPi * $0).log() }
            return -0.5 * NumpyReductions.sum(logs)
        }
    }

    func jointLogLikelihood(_ input: Matrix) -> Matrix {
        let width = means.columns
        var result = Matrix(rows: input.rows, columns: means.rows)
        var terms = [Double](repeating: 0, count: width)
        for row in 0..<input.rows {
            let start = row * width
            for label in 0..<means.rows {
                let parameters = label * width
                for feature in 0..<width {
                    let deviation =
                        input.values[start + feature] - means.values[parameters + feature]
                    terms[feature] = deviation * deviation / variances.values[parameters + feature]
                }
                let density = normalisers[label] - 0.5 * NumpyReductions.sum(terms)
                result.values[row * means.rows + label] = logPriors[label] + density
            }
        }
        return result
    }
}
