import Pickle

/// A kernel of `sklearn.metrics.pairwise.pairwise_kernels`, by name, with the parameters
/// it takes (`KERNEL_PARAMS`): what `KernelRidge`, `KernelPCA` and the `PairwiseKernel`
/// of Gaussian processes compute. Each mirrors its function's formula in its order.
enum PairwiseKernel: Sendable, Equatable {
    case linear
    case polynomial(gamma: Double, degree: Double, coef0: Double)
    case sigmoid(gamma: Double, coef0: Double)
    /// `exp(-gamma * ||x - y||²)`, the distance by the dot-product expansion.
    case rbf(gamma: Double)
    case laplacian(gamma: Double)
    case cosine
    case chi2(gamma: Double)
    case additiveChi2

    /// Reads a kernel name and its parameters; `gamma` nil is the functions' default,
    /// `1 / n_features` (`chi2` has none: it takes 1).
    init(
        name: String,
        gamma: Double?,
        degree: Double,
        coef0: Double,
        width: Int,
        owner: FittedObject,
        attribute: String
    ) throws(EstimatorError) {
        let resolved = gamma ?? 1 / Double(width)
        switch name {
        case "linear": self = .linear
        case "poly", "polynomial":
            self = .polynomial(gamma: resolved, degree: degree, coef0: coef0)
        case "sigmoid": self = .sigmoid(gamma: resolved, coef0: coef0)
        case "rbf": self = .rbf(gamma: resolved)
        case "laplacian": self = .laplacian(gamma: resolved)
        case "cosine": self = .cosine
        case "chi2": self = .chi2(gamma: gamma ?? 1)
        case "additive_chi2": self = .additiveChi2
        case "precomputed":
            throw owner.unsupported(attribute, "a precomputed kernel is not supported")
        default:
            throw owner.unsupported(attribute, "kernel '\(name)' is not supported")
        }
    }

    /// Whether the kernel refuses negative inputs (the chi-squared kernels raise).
    var refusesNegative: Bool {
        switch self {
        case .chi2, .additiveChi2: true
        default: false
        }
    }

    /// `pairwise_kernels(X, Y, metric=name, **params)`; `same` when scikit-learn passes
    /// one array as both (`Y=None`), which zeroes the diagonal of its distances.
    func matrix(_ x: Matrix, _ y: Matrix, same: Bool = false) -> Matrix {
        switch self {
        case .linear:
            return RowPairs.dot(x, y)
        case .polynomial(let gamma, let degree, let coef0):
            return RowPairs.dot(x, y).map { KernelMath.power($0 * gamma + coef0, degree) }
        case .sigmoid(let gamma, let coef0):
            return RowPairs.dot(x, y).map { ($0 * gamma + coef0).tanh() }
        case .rbf(let gamma):
            return Self.squaredDistances(x, y, same: same).map { ($0 * -gamma).exp() }
        case .laplacian(let gamma):
            return RowPairs.cityblock(x, y).map { (-gamma * $0).exp() }
        case .cosine:
            return RowPairs.dot(Self.normalised(x), Self.normalised(y))
        case .chi2(let gamma):
            return Self.additiveChi2(x, y).map { ($0 * gamma).exp() }
        case .additiveChi2:
            return Self.additiveChi2(x, y)
        }
    }

    /// `euclidean_distances(X, Y, squared=True)`: `-2 X·Y + |X|² + |Y|²`, clipped at 0,
    /// with a zero diagonal when X is Y.
    private static func squaredDistances(_ x: Matrix, _ y: Matrix, same: Bool) -> Matrix {
        let xNorms = RowPairs.squaredNorms(x)
        let yNorms = same ? xNorms : RowPairs.squaredNorms(y)
        var distances = RowPairs.dot(x, y)
        for i in 0..<x.rows {
            for j in 0..<y.rows {
                var distance = -2 * distances[i, j]
                distance += xNorms[i]
                distance += yNorms[j]
                // numpy's maximum keeps NaN.
                distances[i, j] = distance.isNaN ? distance : max(distance, 0)
                if same, i == j { distances[i, j] = 0 }
            }
        }
        return distances
    }

    /// `normalize(X)`: each row over its Euclidean norm, a zero norm taken as 1.
    private static func normalised(_ x: Matrix) -> Matrix {
        let norms = RowPairs.squaredNorms(x).map { $0.squareRoot() }
        var result = x
        for row in 0..<x.rows {
            let norm = norms[row] == 0 ? 1 : norms[row]
            for column in 0..<x.columns { result[row, column] /= norm }
        }
        return result
    }

    /// `_chi2_kernel_fast`: `-Σ (x - y)² / (x + y)` over the columns where `x + y != 0`.
    private static func additiveChi2(_ x: Matrix, _ y: Matrix) -> Matrix {
        var result = Matrix(rows: x.rows, columns: y.rows)
        for i in 0..<x.rows {
            for j in 0..<y.rows {
                var sum = 0.0
                for k in 0..<x.columns {
                    let difference = x[i, k] - y[j, k]
                    let total = x[i, k] + y[j, k]
                    if total != 0 { sum += difference * difference / total }
                }
                result[i, j] = -sum
            }
        }
        return result
    }
}

extension PairwiseKernel {
    /// The kernel of an estimator that names it by string (`KernelRidge`, `KernelPCA`),
    /// with its `gamma`, `degree` and `coef0` (`kernel_params` is only read for callables,
    /// which are refused).
    static func named(
        _ name: String,
        of object: FittedObject,
        gamma gammaAttribute: String,
        width: Int
    ) throws(EstimatorError) -> PairwiseKernel {
        let gamma: Double? =
            object.optional(gammaAttribute) == nil ? nil : try object.number(gammaAttribute)
        return try PairwiseKernel(
            name: name,
            gamma: gamma,
            degree: try object.number("degree", default: 3),
            coef0: try object.number("coef0", default: 1),
            width: width,
            owner: object,
            attribute: "kernel"
        )
    }

    /// The first negative value of a row, for the chi-squared kernels, which refuse it.
    static func requireNonNegative(_ input: Matrix, by estimator: String) throws(InputError) {
        guard let index = input.values.firstIndex(where: { $0 < 0 }) else { return }
        throw InputError(
            row: index / input.columns,
            column: index % input.columns,
            "a negative value, which the chi-squared kernel of \(estimator) does not accept"
        )
    }
}
