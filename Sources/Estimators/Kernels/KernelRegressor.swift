/// `KernelRidge` and `GaussianProcessRegressor`: `predict` is the kernel between the rows
/// and the training rows times fitted weights (`dual_coef_`, `alpha_`), for the Gaussian
/// process then scaled back by `_y_train_std` and shifted by `_y_train_mean`.
struct KernelRegressor: Regressor {
    let kernel: FittedKernel
    let trainingRows: Matrix
    /// One column per target.
    let weights: Matrix
    /// Per target (or one for all): `_y_train_std` and `_y_train_mean`; nil for
    /// `KernelRidge`, which has neither.
    let scale: [Double]?
    let offset: [Double]?
    let targetCount: Int?
    let name: String

    var inputWidth: Int { trainingRows.columns }

    func predict(_ input: Matrix) throws(InputError) -> Matrix {
        try kernel.check(input, by: name)
        return RowBlocks.map(input, width: trainingRows.rows) { block in
            scaled(kernel.matrix(block, trainingRows).multiplied(by: weights))
        }
    }

    private func scaled(_ products: Matrix) -> Matrix {
        var predictions = products
        guard let scale, let offset else { return predictions }
        let columns = predictions.columns
        for index in predictions.values.indices {
            let column = index % columns
            predictions.values[index] =
                scale[scale.count == 1 ? 0 : column] * predictions.values[index]
                + offset[offset.count == 1 ? 0 : column]
        }
        return predictions
    }
}

extension KernelRegressor {
    /// `KernelRidge`: `np.dot(K, dual_coef_)`, 2-D when `dual_coef_` is.
    static func kernelRidge(_ object: FittedObject) throws(EstimatorError) -> KernelRegressor {
        let rows = try object.trainingRows("X_fit_")
        let (weights, twoDimensional) = try object.sampleWeights("dual_coef_", count: rows.rows)
        return KernelRegressor(
            kernel: try FittedKernel(object, gamma: "gamma", width: rows.columns),
            trainingRows: rows,
            weights: weights,
            scale: nil,
            offset: nil,
            targetCount: twoDimensional ? weights.columns : nil,
            name: object.className
        )
    }

    /// `GaussianProcessRegressor`: `_y_train_std * (K_trans @ alpha_) + _y_train_mean`,
    /// squeezed to 1-D when there is one target.
    static func gaussianProcess(_ object: FittedObject) throws(EstimatorError)
        -> KernelRegressor
    {
        let rows = try object.trainingRows("X_train_")
        let (weights, _) = try object.sampleWeights("alpha_", count: rows.rows)
        let scale = try object.numbers("_y_train_std")
        let offset = try object.numbers("_y_train_mean")
        for (attribute, values) in [("_y_train_std", scale), ("_y_train_mean", offset)]
        where values.count != 1 && values.count != weights.columns {
            throw object.error(attribute, "\(values.count) values for \(weights.columns) targets")
        }
        return KernelRegressor(
            kernel: .object(
                try GaussianProcessKernel(try object.value("kernel_"), width: rows.columns)
            ),
            trainingRows: rows,
            weights: weights,
            scale: scale,
            offset: offset,
            targetCount: weights.columns > 1 ? weights.columns : nil,
            name: object.className
        )
    }
}
