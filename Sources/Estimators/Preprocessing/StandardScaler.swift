/// `sklearn.preprocessing.StandardScaler`: `(x - mean_) / scale_`, each step only when
/// fitted with it (`with_mean`, `with_std`).
struct StandardScaler: Transformer {
    let mean: [Double]?
    let scale: [Double]?
    let inputWidth: Int

    var outputWidth: Int { inputWidth }
    /// NaN passes through, as scikit-learn keeps it.
    var acceptsMissing: Bool { true }

    init(_ object: FittedObject) throws(EstimatorError) {
        inputWidth = try object.integer("n_features_in_")
        mean =
            object.optional("mean_") == nil ? nil : try object.doubles("mean_", count: inputWidth)
        scale =
            object.optional("scale_") == nil ? nil : try object.doubles("scale_", count: inputWidth)
    }

    func transform(_ input: Matrix) -> Matrix {
        var output = input
        for row in 0..<input.rows {
            for column in 0..<input.columns {
                var value = output[row, column]
                if let mean { value -= mean[column] }
                if let scale { value /= scale[column] }
                output[row, column] = value
            }
        }
        return output
    }
}
