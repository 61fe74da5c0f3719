/// `PCA` and `TruncatedSVD`: projection onto `components_`, for PCA after centring on
/// `mean_` and, with `whiten`, divided by the square root of `explained_variance_`.
struct LinearProjection: Transformer {
    /// Row-major `components_`: one row per output column.
    let components: Matrix
    let mean: [Double]?
    /// `mean_ @ components_.T`, subtracted after the projection (scikit-learn 1.5 on);
    /// earlier versions subtract `mean_` from the input first.
    let projectedMean: [Double]?
    let whitening: [Double]?

    var inputWidth: Int { components.columns }
    var outputWidth: Int { components.rows }

    init(_ object: FittedObject, centred: Bool) throws(EstimatorError) {
        let shape = try object.array("components_").shape
        guard shape.count == 2, shape[0] > 0, shape[1] > 0 else {
            throw object.error("components_", "expected a 2-D array, found shape \(shape)")
        }
        let components = Matrix(
            rows: shape[0],
            columns: shape[1],
            values: try object.doubles("components_")
        )
        self.components = components
        guard centred, object.optional("mean_") != nil else {
            (mean, projectedMean, whitening) = (nil, nil, nil)
            return
        }
        let mean = try object.doubles("mean_", count: shape[1])
        let projectsFirst = object.version >= ScikitLearnVersion(1, 5)
        self.mean = projectsFirst ? nil : mean
        projectedMean =
            projectsFirst
            ? (0..<shape[0]).map { LinearAlgebra.dot(mean[...], Array(components.row($0))) }
            : nil
        if object.boolean("whiten", default: false) {
            let variances = try object.doubles("explained_variance_", count: shape[0])
            whitening = variances.map { variance in
                let scale = variance.squareRoot()
                return projectsFirst ? max(scale, Double.ulpOfOne) : scale
            }
        } else {
            whitening = nil
        }
    }

    func transform(_ input: Matrix) -> Matrix {
        var output = Matrix(rows: input.rows, columns: outputWidth)
        for row in 0..<input.rows {
            var features = Array(input.row(row))
            if let mean {
                for column in features.indices { features[column] -= mean[column] }
            }
            for component in 0..<outputWidth {
                var value = LinearAlgebra.dot(features[...], Array(components.row(component)))
                if let projectedMean { value -= projectedMean[component] }
                if let whitening { value /= whitening[component] }
                output[row, component] = value
            }
        }
        return output
    }
}
