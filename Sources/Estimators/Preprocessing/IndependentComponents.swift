/// `FastICA.transform`: with whitening (`whiten` True, 'unit-variance' or
/// 'arbitrary-variance'), `(X - mean_) @ components_.T`; without, `X @ components_.T`.
struct IndependentComponents: Transformer {
    /// Row-major `components_`: one row per source.
    let components: Matrix
    let mean: [Double]?

    var inputWidth: Int { components.columns }
    var outputWidth: Int { components.rows }

    init(_ object: FittedObject) throws(EstimatorError) {
        let shape = try object.array("components_").shape
        guard shape.count == 2, shape[0] > 0, shape[1] > 0 else {
            throw object.error("components_", "expected a 2-D array, found shape \(shape)")
        }
        components = Matrix(
            rows: shape[0],
            columns: shape[1],
            values: try object.doubles("components_")
        )
        // scikit-learn 1.1 to 1.2 resolved `whiten` into `_whiten`, which transform reads.
        let attribute = object.optional("_whiten") != nil ? "_whiten" : "whiten"
        let whitens: Bool
        switch object.optional(attribute) {
        case .bool(let flag)?: whitens = flag
        case .string(let mode)? where ["unit-variance", "arbitrary-variance"].contains(mode):
            whitens = true
        case nil: whitens = false
        default:
            throw object.unsupported(attribute, "expected a boolean or a whitening mode")
        }
        mean = whitens ? try object.doubles("mean_", count: shape[1]) : nil
    }

    func transform(_ input: Matrix) -> Matrix {
        var output = Matrix(rows: input.rows, columns: outputWidth)
        let width = inputWidth
        var centred = [Double](repeating: 0, count: width)
        for row in 0..<input.rows {
            for column in 0..<width {
                let value = input[row, column]
                centred[column] = mean.map { value - $0[column] } ?? value
            }
            for component in 0..<outputWidth {
                var sum = 0.0
                for column in 0..<width {
                    sum += centred[column] * components[component, column]
                }
                output[row, component] = sum
            }
        }
        return output
    }
}
