/// `KernelPCA.transform`: the kernel between the rows and `X_fit_`, centred by the fitted
/// `KernelCenterer`, projected on `eigenvectors_` each divided by the square root of its
/// eigenvalue (a column whose eigenvalue is zero projects to zero). `inverse_transform` is
/// not served.
struct KernelPCA: Transformer {
    let kernel: FittedKernel
    let trainingRows: Matrix
    /// The centerer's `K_fit_rows_`: the training kernel's column means.
    let columnMeans: [Double]
    /// The centerer's `K_fit_all_`: the training kernel's mean.
    let overallMean: Double
    /// `eigenvectors_ / sqrt(eigenvalues_)`, one column per component.
    let scaledVectors: Matrix
    let name: String

    var inputWidth: Int { trainingRows.columns }
    var outputWidth: Int { scaledVectors.columns }

    init(_ object: FittedObject) throws(EstimatorError) {
        // Fitted on float32 rows, scikit-learn computes the kernel and its centring in
        // float32 (about 2e-6 from the float64 computation here).
        try object.requireFloat64(["X_fit_"])
        let rows = try object.trainingRows("X_fit_")
        // 1.1 passes `gamma` (None for the default); later versions store it resolved.
        let gamma = object.optional("gamma_") == nil ? "gamma" : "gamma_"
        kernel = try FittedKernel(object, gamma: gamma, width: rows.columns)
        trainingRows = rows
        name = object.className

        let centerer = try object.nested("_centerer")
        columnMeans = try centerer.doubles("K_fit_rows_", count: rows.rows)
        overallMean = try centerer.number("K_fit_all_")

        let shape = try object.array("eigenvectors_").shape
        guard shape.count == 2, shape[0] == rows.rows else {
            throw object.error(
                "eigenvectors_",
                "expected \(rows.rows) rows (one per training row), found shape \(shape)"
            )
        }
        let components = shape[1]
        let values = try object.doubles("eigenvalues_", count: components)
        var vectors = Matrix(
            rows: shape[0],
            columns: components,
            values: try object.doubles("eigenvectors_")
        )
        for row in 0..<vectors.rows {
            for column in 0..<components {
                let value = values[column]
                vectors[row, column] = value == 0 ? 0 : vectors[row, column] / value.squareRoot()
            }
        }
        scaledVectors = vectors
    }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        try kernel.check(input, by: name)
        return try RowBlocks.map(input, width: trainingRows.rows) {
            block throws(InputError) in try project(block)
        }
    }

    private func project(_ input: Matrix) throws(InputError) -> Matrix {
        var kernelRows = kernel.matrix(input, trainingRows)
        // The centerer validates the kernel as an input: an overflow is refused.
        if let index = kernelRows.values.firstIndex(where: { !$0.isFinite }) {
            throw InputError(
                row: index / kernelRows.columns,
                column: nil,
                "the kernel of the row with the training rows is not finite, which \(name)'s "
                    + "KernelCenterer does not accept"
            )
        }
        let count = Double(trainingRows.rows)
        for row in 0..<input.rows {
            let rowMean =
                NumpyReductions.sum(
                    kernelRows.values[row * kernelRows.columns..<(row + 1) * kernelRows.columns]
                )
                / count
            for column in 0..<kernelRows.columns {
                var value = kernelRows[row, column]
                value -= columnMeans[column]
                value -= rowMean
                value += overallMean
                kernelRows[row, column] = value
            }
        }
        return kernelRows.multiplied(by: scaledVectors)
    }
}
