import Arrays

/// `X @ coef_.T + intercept_`: the weighted sum every linear model starts from, before a
/// link (generalised linear models) or a class rule (classifiers).
struct LinearFunction: Sendable {
    /// `coef_` as a matrix: one row of weights per output column.
    let weights: Matrix
    /// `intercept_`, one per output column (a scalar intercept is repeated, as numpy
    /// broadcasts it).
    let intercepts: [Double]
    /// Whether `coef_` is 2-D; scikit-learn's regressors then return a 2-D result.
    let isTwoDimensional: Bool

    var inputWidth: Int { weights.columns }
    var outputCount: Int { weights.rows }

    /// Reads and checks `coef_` (1-D or 2-D, finite shape) and `intercept_` (a number, or
    /// an array of one value or of one value per row of `coef_`).
    init(_ object: FittedObject) throws(EstimatorError) {
        let coef = try object.array("coef_")
        let rows: Int
        let columns: Int
        switch coef.shape.count {
        case 1: (rows, columns) = (1, coef.shape[0])
        case 2: (rows, columns) = (coef.shape[0], coef.shape[1])
        default:
            throw object.error("coef_", "expected a 1-D or 2-D array, found shape \(coef.shape)")
        }
        guard rows > 0 else {
            throw object.error("coef_", "has no rows (shape \(coef.shape))")
        }
        weights = Matrix(rows: rows, columns: columns, values: try object.doubles("coef_"))
        isTwoDimensional = coef.shape.count == 2
        intercepts = try Self.intercepts(object, count: rows)
    }

    private static func intercepts(_ object: FittedObject, count: Int) throws(EstimatorError)
        -> [Double]
    {
        let raw = try object.value("intercept_")
        let array = try object.reading("intercept_") { () throws(ArrayError) in
            try ArrayDecoder.array(raw)
        }
        guard let array, array.shape.count == 1 else {
            return [Double](repeating: try object.number("intercept_"), count: count)
        }
        let values = try object.doubles("intercept_")
        if values.count == count { return values }
        guard values.count == 1 else {
            throw object.error(
                "intercept_",
                "has \(values.count) values, coef_ has \(count) rows"
            )
        }
        return [Double](repeating: values[0], count: count)
    }

    /// One row of scores per input row, one column per row of `coef_`: each a sum from 0
    /// of feature times weight in column order, then the intercept.
    func scores(_ input: Matrix) -> Matrix {
        let width = weights.columns
        let outputs = weights.rows
        var scores = Matrix(rows: input.rows, columns: outputs)
        // Buffers, not slices: a slice per row and output would cost more than the sum.
        scores.values.withUnsafeMutableBufferPointer { scores in
            input.values.withUnsafeBufferPointer { features in
                weights.values.withUnsafeBufferPointer { weights in
                    for row in 0..<input.rows {
                        for output in 0..<outputs {
                            var sum = 0.0
                            for column in 0..<width {
                                sum +=
                                    features[row * width + column]
                                    * weights[output * width + column]
                            }
                            scores[row * outputs + output] = sum + intercepts[output]
                        }
                    }
                }
            }
        }
        return scores
    }
}

enum LinearAlgebra {
    static func dot(_ row: ArraySlice<Double>, _ weights: [Double]) -> Double {
        dot(row, weights[...])
    }

    static func dot(_ row: ArraySlice<Double>, _ weights: ArraySlice<Double>) -> Double {
        var sum = 0.0
        var index = row.startIndex
        for weight in weights {
            sum += row[index] * weight
            index += 1
        }
        return sum
    }

    /// σ(z) as scipy's `expit` computes it.
    static func expit(_ z: Double) -> Double {
        1 / (1 + (-z).exp())
    }
}
