#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Computations over every pair of a row of `x` and a row of `y`, giving an
/// `x.rows × y.rows` matrix, each summed over the columns in order as scipy's `cdist` and a
/// plain loop sum them (BLAS may sum in another order; the difference stays in the last
/// bits).
enum RowPairs {
    /// `X @ Y.T`.
    static func dot(_ x: Matrix, _ y: Matrix) -> Matrix {
        combine(x, y) { a, b in a * b }
    }

    /// `cdist(X, Y, 'sqeuclidean')`: the sum of squared differences.
    static func squaredEuclidean(_ x: Matrix, _ y: Matrix) -> Matrix {
        combine(x, y) { a, b in
            let difference = a - b
            return difference * difference
        }
    }

    /// `cdist(X, Y, 'euclidean')`: the square root of the sum of squared differences.
    static func euclidean(_ x: Matrix, _ y: Matrix) -> Matrix {
        squaredEuclidean(x, y).map { $0.squareRoot() }
    }

    /// `cdist(X, Y, 'cityblock')`: the sum of absolute differences.
    static func cityblock(_ x: Matrix, _ y: Matrix) -> Matrix {
        combine(x, y) { a, b in abs(a - b) }
    }

    /// `row_norms(X, squared=True)`: each row's sum of squares.
    static func squaredNorms(_ x: Matrix) -> [Double] {
        (0..<x.rows).map { row in
            var sum = 0.0
            for value in x.row(row) { sum += value * value }
            return sum
        }
    }

    /// `sum(term(x[i, k], y[j, k]) for k)` for every pair of rows.
    @inline(__always)
    private static func combine(
        _ x: Matrix,
        _ y: Matrix,
        _ term: (Double, Double) -> Double
    ) -> Matrix {
        precondition(x.columns == y.columns, "rows of different widths")
        let width = x.columns
        var result = Matrix(rows: x.rows, columns: y.rows)
        x.values.withUnsafeBufferPointer { left in
            y.values.withUnsafeBufferPointer { right in
                result.values.withUnsafeMutableBufferPointer { cells in
                    for i in 0..<x.rows {
                        for j in 0..<y.rows {
                            var sum = 0.0
                            for k in 0..<width {
                                sum += term(left[i * width + k], right[j * width + k])
                            }
                            cells[i * y.rows + j] = sum
                        }
                    }
                }
            }
        }
        return result
    }
}

extension Matrix {
    /// The matrix with `transform` applied to every cell.
    func map(_ transform: (Double) -> Double) -> Matrix {
        Matrix(rows: rows, columns: columns, values: values.map(transform))
    }

    /// Cell by cell `combine(self, other)`, for matrices of one shape.
    func combined(with other: Matrix, _ combine: (Double, Double) -> Double) -> Matrix {
        precondition(rows == other.rows && columns == other.columns, "shapes differ")
        return Matrix(
            rows: rows,
            columns: columns,
            values: zip(values, other.values).map { combine($0, $1) }
        )
    }

    /// Each row `r` times `weights`: `self @ weights` for a `columns × k` matrix, summed
    /// in index order.
    func multiplied(by weights: Matrix) -> Matrix {
        precondition(columns == weights.rows, "inner sizes differ")
        var result = Matrix(rows: rows, columns: weights.columns)
        let width = weights.columns
        values.withUnsafeBufferPointer { left in
            weights.values.withUnsafeBufferPointer { right in
                result.values.withUnsafeMutableBufferPointer { cells in
                    for row in 0..<rows {
                        for output in 0..<width {
                            var sum = 0.0
                            for inner in 0..<columns {
                                sum += left[row * columns + inner] * right[inner * width + output]
                            }
                            cells[row * width + output] = sum
                        }
                    }
                }
            }
        }
        return result
    }
}

/// libm functions the kernels need beyond ``Foundationless``.
enum KernelMath {
    static func sine(_ value: Double) -> Double {
        #if canImport(Glibc)
            Glibc.sin(value)
        #else
            Darwin.sin(value)
        #endif
    }

    /// `array ** exponent` as numpy computes it for a scalar exponent: exponents 2, 0.5,
    /// 1 and -1 take the fast paths of `square`, `sqrt`, a copy and `reciprocal`, anything
    /// else is `pow`.
    static func power(_ base: Double, _ exponent: Double) -> Double {
        switch exponent {
        case 2: base * base
        case 0.5: base.squareRoot()
        case 1: base
        case -1: 1 / base
        default: base.power(exponent)
        }
    }
}
