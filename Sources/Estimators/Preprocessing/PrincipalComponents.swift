/// `PCA`: the projection of ``LinearProjection``, and `score_samples`, each row's
/// log-likelihood under the probabilistic PCA model whose precision matrix
/// `get_precision` computes.
struct PrincipalComponents: Transformer {
    let projection: LinearProjection
    /// `mean_`, which `score_samples` subtracts whatever the version's `transform` does.
    let mean: [Double]
    /// `get_precision()`, or nil when the model's covariance is singular: scikit-learn's
    /// `score_samples` then raises, so it is not offered.
    let precision: Matrix?
    /// `0.5 * (n_features * log(2π) - log det(precision))`, subtracted from every row's.
    let normalisation: Double

    var inputWidth: Int { projection.inputWidth }
    var outputWidth: Int { projection.outputWidth }
    var hasScoreSamples: Bool { precision != nil }

    init(_ object: FittedObject) throws(EstimatorError) {
        projection = try LinearProjection(object, centred: true)
        let width = projection.inputWidth
        mean = try object.doubles("mean_", count: width)
        precision = try Self.precision(object, components: projection.components)
        guard let precision, let logDeterminant = LowerUpper(precision)?.logDeterminant else {
            normalisation = 0
            return
        }
        normalisation = 0.5 * (Double(width) * (2 * Double.pi).log() - logDeterminant)
    }

    func transform(_ input: Matrix) -> Matrix {
        projection.transform(input)
    }

    /// `-0.5 * sum(Xr * (Xr @ precision), axis=1) - normalisation`, `Xr = X - mean_`.
    func scoreSamples(_ input: Matrix) -> [Double] {
        guard let precision else { preconditionFailure("score_samples without a precision") }
        let width = inputWidth
        return (0..<input.rows).map { row in
            let centred = (0..<width).map { input[row, $0] - mean[$0] }
            var sum = 0.0
            for column in 0..<width {
                var product = 0.0
                for inner in 0..<width { product += centred[inner] * precision[inner, column] }
                sum += centred[column] * product
            }
            return -0.5 * sum - normalisation
        }
    }

    /// `get_precision`: the inverse of `get_covariance` when there is no noise variance,
    /// else the matrix inversion lemma over the components, as scikit-learn computes it.
    private static func precision(_ object: FittedObject, components: Matrix)
        throws(EstimatorError) -> Matrix?
    {
        let (count, width) = (components.rows, components.columns)
        let noise = try object.number("noise_variance_")
        let variances = try object.doubles("explained_variance_", count: count)
        var weighted = components
        if object.boolean("whiten", default: false) {
            for component in 0..<count {
                let scale = variances[component].squareRoot()
                for column in 0..<width { weighted[component, column] *= scale }
            }
        }
        let differences = variances.map { $0 > noise ? $0 - noise : 0 }
        if noise == 0 {
            var covariance = Matrix(rows: width, columns: width)
            for row in 0..<width {
                for column in 0..<width {
                    var sum = 0.0
                    for component in 0..<count {
                        sum +=
                            weighted[component, row] * differences[component]
                            * weighted[component, column]
                    }
                    covariance[row, column] = sum + (row == column ? noise : 0)
                }
            }
            return LowerUpper(covariance)?.inverse
        }
        var inner = Matrix(rows: count, columns: count)
        for row in 0..<count {
            for column in 0..<count {
                var sum = 0.0
                for feature in 0..<width {
                    sum += weighted[row, feature] * weighted[column, feature]
                }
                inner[row, column] = sum / noise + (row == column ? 1 / differences[row] : 0)
            }
        }
        guard let innerInverse = LowerUpper(inner)?.inverse else { return nil }
        var precision = Matrix(rows: width, columns: width)
        for row in 0..<width {
            let left = (0..<count).map { component in
                var sum = 0.0
                for other in 0..<count {
                    sum += weighted[other, row] * innerInverse[other, component]
                }
                return sum
            }
            for column in 0..<width {
                var sum = 0.0
                for component in 0..<count { sum += left[component] * weighted[component, column] }
                precision[row, column] =
                    sum / -(noise * noise) + (row == column ? 1 / noise : 0)
            }
        }
        return precision
    }
}

/// An LU factorisation with partial pivoting, as LAPACK's `getrf` gives numpy's `inv`
/// and `slogdet`; nil for a singular matrix, which numpy's `inv` refuses.
struct LowerUpper {
    /// L below the diagonal (unit diagonal implied) and U on and above it.
    private var factors: Matrix
    /// The original row of each factor row.
    private var rows: [Int]
    private var swaps = 0

    init?(_ matrix: Matrix) {
        precondition(matrix.rows == matrix.columns, "LU of a non-square matrix")
        factors = matrix
        rows = Array(0..<matrix.rows)
        let size = matrix.rows
        for pivot in 0..<size {
            var best = pivot
            for row in pivot..<size where abs(factors[row, pivot]) > abs(factors[best, pivot]) {
                best = row
            }
            guard factors[best, pivot] != 0, !factors[best, pivot].isNaN else { return nil }
            if best != pivot {
                for column in 0..<size {
                    let kept = factors[pivot, column]
                    factors[pivot, column] = factors[best, column]
                    factors[best, column] = kept
                }
                rows.swapAt(pivot, best)
                swaps += 1
            }
            for row in (pivot + 1)..<size {
                let factor = factors[row, pivot] / factors[pivot, pivot]
                factors[row, pivot] = factor
                for column in (pivot + 1)..<size {
                    factors[row, column] -= factor * factors[pivot, column]
                }
            }
        }
    }

    /// `fast_logdet`: log |det|, or -inf when the determinant is not positive.
    var logDeterminant: Double {
        var sign = swaps % 2 == 0 ? 1.0 : -1.0
        var sum = 0.0
        for index in 0..<factors.rows {
            let diagonal = factors[index, index]
            if diagonal < 0 { sign = -sign }
            sum += abs(diagonal).log()
        }
        return sign > 0 ? sum : -Double.infinity
    }

    /// The inverse, one column of the identity solved at a time.
    var inverse: Matrix {
        let size = factors.rows
        var result = Matrix(rows: size, columns: size)
        for column in 0..<size {
            var solution = rows.map { $0 == column ? 1.0 : 0.0 }
            for row in 0..<size {
                for earlier in 0..<row {
                    solution[row] -= factors[row, earlier] * solution[earlier]
                }
            }
            for row in (0..<size).reversed() {
                for later in (row + 1)..<size {
                    solution[row] -= factors[row, later] * solution[later]
                }
                solution[row] /= factors[row, row]
            }
            for row in 0..<size { result[row, column] = solution[row] }
        }
        return result
    }
}
