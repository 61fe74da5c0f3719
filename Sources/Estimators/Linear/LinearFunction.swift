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
        var scores = Matrix(rows: input.rows, columns: outputCount)
        scores.values.withUnsafeMutableBufferPointer { scores in
            forEachRowOfScores(input) { row, rowScores in
                for output in rowScores.indices {
                    scores[row * rowScores.count + output] = rowScores[output]
                }
            }
        }
        return scores
    }

    /// For each input row, the index of its first largest score, as `numpy.argmax` of
    /// ``scores(_:)`` (a NaN counts as the largest), without the matrix of scores.
    func argmaxOfScores(_ input: Matrix) -> [Int] {
        var indices = [Int](repeating: 0, count: input.rows)
        indices.withUnsafeMutableBufferPointer { indices in
            forEachRowOfScores(input) { row, scores in
                var best = 0
                for output in scores.indices {
                    if scores[output].isNaN {
                        best = output
                        break
                    }
                    if scores[output] > scores[best] { best = output }
                }
                indices[row] = best
            }
        }
        return indices
    }

    /// Computes each row's scores into one reused buffer and hands it to `body`. Always
    /// inlined, so that `body` is too: it runs once per row.
    @inline(__always)
    private func forEachRowOfScores(
        _ input: Matrix,
        _ body: (_ row: Int, _ scores: UnsafeMutableBufferPointer<Double>) -> Void
    ) {
        let width = weights.columns
        let outputs = weights.rows
        // Buffers, not slices: a slice per row and output would cost more than the sum.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: outputs) { scores in
            input.values.withUnsafeBufferPointer { features in
                weights.values.withUnsafeBufferPointer { weights in
                    intercepts.withUnsafeBufferPointer { intercepts in
                        for row in 0..<input.rows {
                            for output in 0..<outputs {
                                scores[output] =
                                    dot(
                                        features,
                                        from: row * width,
                                        weights,
                                        from: output * width,
                                        count: width
                                    ) + intercepts[output]
                            }
                            body(row, scores)
                        }
                    }
                }
            }
        }
    }

    /// `Σ a[i] * b[i]` added from 0 in index order (as one sum at a time would), four
    /// terms per loop step: the rows are short, so the loop's own cost matters.
    @inline(__always)
    private func dot(
        _ a: UnsafeBufferPointer<Double>,
        from aStart: Int,
        _ b: UnsafeBufferPointer<Double>,
        from bStart: Int,
        count: Int
    ) -> Double {
        var sum = 0.0
        var offset = 0
        while offset + 4 <= count {
            sum += a[aStart + offset] * b[bStart + offset]
            sum += a[aStart + offset + 1] * b[bStart + offset + 1]
            sum += a[aStart + offset + 2] * b[bStart + offset + 2]
            sum += a[aStart + offset + 3] * b[bStart + offset + 3]
            offset += 4
        }
        while offset < count {
            sum += a[aStart + offset] * b[bStart + offset]
            offset += 1
        }
        return sum
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
