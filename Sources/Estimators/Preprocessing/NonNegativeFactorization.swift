/// `NMF.transform` and `MiniBatchNMF.transform`: the activations `W` that best rebuild each
/// row from the fixed `components_` (`H`), found by the fitted solver with `H` held fixed,
/// as the version's `_fit_transform(update_H=False)` (or `_solve_W`) finds them.
///
/// The solvers stop on measures of the whole batch (the coordinate descent's summed
/// violation, the multiplicative update's divergence and its start from the batch's mean),
/// so a row's answer depends on the rows sent with it, in scikit-learn as here.
struct NonNegativeFactorization: Transformer {
    enum Solver: Sendable {
        /// `solver='cd'`: cyclic coordinate descent (`_update_cdnmf_fast`).
        case coordinateDescent
        /// `solver='mu'`: multiplicative updates, converged on the beta divergence.
        case multiplicativeUpdate
        /// `MiniBatchNMF`: multiplicative updates until `W` moves less than `tol`.
        case miniBatch
    }

    /// `H`: a row per component, a column per feature.
    let components: Matrix
    let solver: Solver
    let beta: Double
    /// `gamma`, the exponent of each multiplicative step.
    let gamma: Double
    let tolerance: Double
    let maxIterations: Int
    let l1: Double
    let l2: Double
    /// Before scikit-learn 1.3 only exact zeros were raised to `EPSILON` before division.
    let raisesOnlyZeros: Bool
    /// `H @ H.T`.
    let gram: Matrix
    /// `H.sum(axis=1)`.
    let componentSums: [Double]

    var inputWidth: Int { components.columns }
    var outputWidth: Int { components.rows }
    private var componentCount: Int { components.rows }
    private var name: String { solver == .miniBatch ? "MiniBatchNMF" : "NMF" }

    /// `np.finfo(np.float32).eps`, which the solvers put in place of zeros.
    static let epsilon = Double(Float.ulpOfOne)

    init(_ object: FittedObject, miniBatch: Bool) throws(EstimatorError) {
        let array = try object.array("components_")
        guard array.shape.count == 2, array.shape[0] > 0, array.shape[1] > 0 else {
            throw object.error("components_", "expected a 2-D array, found shape \(array.shape)")
        }
        // transform refuses float64 rows against float32 components (a TypeError).
        guard array.dtype.kind == .float, array.dtype.itemSize == 8 else {
            throw object.unsupported("components_", "components of dtype \(array.dtype)")
        }
        let components = Matrix(
            rows: array.shape[0],
            columns: array.shape[1],
            values: try object.doubles("components_")
        )
        self.components = components
        beta = try Self.betaLoss(object)
        if miniBatch {
            solver = .miniBatch
            maxIterations = try object.integer("_transform_max_iter")
            gamma = try object.number("_gamma")
        } else {
            switch object.string("solver") {
            case "cd":
                solver = .coordinateDescent
                guard beta == 2 else {
                    throw object.unsupported("beta_loss", "solver 'cd' takes only 'frobenius'")
                }
                if object.boolean("shuffle", default: false) {
                    throw object.unsupported(
                        "shuffle",
                        "shuffle=True draws a permutation per iteration from random_state"
                    )
                }
            case "mu": solver = .multiplicativeUpdate
            default:
                throw object.unsupported("solver", "expected 'cd' or 'mu'")
            }
            maxIterations = try object.integer("max_iter")
            gamma = beta < 1 ? 1 / (2 - beta) : beta > 2 ? 1 / (beta - 1) : 1
        }
        guard maxIterations >= 1 else {
            throw object.error("max_iter", "expected at least one iteration")
        }
        tolerance = try object.number("tol")
        (l1, l2) = try Self.regularization(object, featureCount: components.columns)
        raisesOnlyZeros = object.version < ScikitLearnVersion(1, 3)
        let count = components.rows
        var gram = Matrix(rows: count, columns: count)
        for first in 0..<count {
            for second in 0..<count {
                var sum = 0.0
                for feature in 0..<components.columns {
                    sum += components[first, feature] * components[second, feature]
                }
                gram[first, second] = sum
            }
        }
        self.gram = gram
        componentSums = (0..<count).map { NumpyReductions.sum(components.row($0)) }
    }

    /// `beta_loss` as a number: 'frobenius' 2, 'kullback-leibler' 1, 'itakura-saito' 0.
    private static func betaLoss(_ object: FittedObject) throws(EstimatorError) -> Double {
        switch object.string("beta_loss") {
        case "frobenius": return 2
        case "kullback-leibler": return 1
        case "itakura-saito": return 0
        case nil: return try object.number("beta_loss")
        case let other?: throw object.unsupported("beta_loss", "'\(other)' is not known")
        }
    }

    /// The L1 and L2 penalties on `W` (`l1_reg_W`, `l2_reg_W`): `alpha_W` scaled by the
    /// number of features; scikit-learn 1.1 kept its unscaled `alpha` when `alpha_W` and
    /// `alpha_H` were left at their defaults.
    private static func regularization(_ object: FittedObject, featureCount: Int)
        throws(EstimatorError) -> (Double, Double)
    {
        let features = Double(featureCount)
        let alpha = try object.number("alpha_W", default: 0)
        if object.optional("_l1_reg_W") != nil {
            let l1 = try object.number("_l1_reg_W")
            let l2 = try object.number("_l2_reg_W")
            let scaled = alpha != 0 || object.string("alpha_H") != "same"
            return scaled ? (features * l1, features * l2) : (l1, l2)
        }
        let ratio = try object.number("l1_ratio", default: 0)
        return (features * alpha * ratio, features * alpha * (1.0 - ratio))
    }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        if solver != .miniBatch {
            if let index = input.values.firstIndex(where: { $0 < 0 }) {
                throw InputError(
                    row: index / input.columns,
                    column: index % input.columns,
                    "a negative value, which NMF does not accept"
                )
            }
            if beta <= 0, let index = input.values.firstIndex(of: 0) {
                throw InputError(
                    row: index / input.columns,
                    column: index % input.columns,
                    "a zero, which NMF with beta_loss <= 0 does not accept"
                )
            }
        }
        switch solver {
        case .coordinateDescent: return coordinateDescent(input)
        case .multiplicativeUpdate: return multiplicativeUpdate(input)
        case .miniBatch: return try miniBatch(input)
        }
    }

    /// `X @ H.T`: each row's dot product with each component, in feature order.
    private func projections(_ input: Matrix) -> Matrix {
        var result = Matrix(rows: input.rows, columns: componentCount)
        for row in 0..<input.rows {
            for component in 0..<componentCount {
                var sum = 0.0
                for feature in 0..<input.columns {
                    sum += input[row, feature] * components[component, feature]
                }
                result[row, component] = sum
            }
        }
        return result
    }

    /// `left @ right` for row-major matrices, each sum in order.
    private static func product(_ left: Matrix, _ right: Matrix) -> Matrix {
        var result = Matrix(rows: left.rows, columns: right.columns)
        for row in 0..<left.rows {
            for column in 0..<right.columns {
                var sum = 0.0
                for inner in 0..<left.columns {
                    sum += left[row, inner] * right[inner, column]
                }
                result[row, column] = sum
            }
        }
        return result
    }

    /// `W @ H`.
    private func reconstruction(_ activations: Matrix) -> Matrix {
        Self.product(activations, components)
    }

    /// `_fit_coordinate_descent` with `update_H=False`, from `W = 0`, coordinates in order.
    private func coordinateDescent(_ input: Matrix) -> Matrix {
        let count = componentCount
        var hessians = gram
        if l2 != 0 {
            for component in 0..<count { hessians[component, component] += l2 }
        }
        var targets = projections(input)
        if l1 != 0 {
            for index in targets.values.indices { targets.values[index] -= l1 }
        }
        var activations = Matrix(rows: input.rows, columns: count)
        var initialViolation = 0.0
        for iteration in 1...maxIterations {
            var violation = 0.0
            for component in 0..<count {
                for row in 0..<input.rows {
                    var gradient = -targets[row, component]
                    for other in 0..<count {
                        gradient += hessians[component, other] * activations[row, other]
                    }
                    let current = activations[row, component]
                    let projected = current == 0 ? (gradient < 0 ? gradient : 0) : gradient
                    violation += abs(projected)
                    let hessian = hessians[component, component]
                    if hessian != 0 {
                        // Cython's max(candidate, 0.): the candidate unless 0 is greater.
                        let candidate = current - gradient / hessian
                        activations[row, component] = 0 > candidate ? 0 : candidate
                    }
                }
            }
            if iteration == 1 { initialViolation = violation }
            if initialViolation == 0 { break }
            if violation / initialViolation <= tolerance { break }
        }
        return activations
    }

    /// `W` filled with `sqrt(X.mean() / n_components)`.
    private func initialActivations(_ input: Matrix) -> Matrix {
        let mean = NumpyReductions.sum(input.values) / Double(input.values.count)
        return Matrix(
            rows: input.rows,
            columns: componentCount,
            repeating: (mean / Double(componentCount)).squareRoot()
        )
    }

    /// `_fit_multiplicative_update` with `update_H=False`, checking the divergence every
    /// ten iterations.
    private func multiplicativeUpdate(_ input: Matrix) -> Matrix {
        var activations = initialActivations(input)
        let initialError = divergence(input, activations)
        var previousError = initialError
        let targets = beta == 2 ? projections(input) : nil
        // scikit-learn keeps `H.sum(axis=1)` across iterations and, for the
        // Kullback-Leibler loss, adds the penalties to it in place each time.
        var sums = componentSums
        for iteration in 1...maxIterations {
            update(&activations, input, targets: targets, sums: &sums, keepsSums: true)
            if beta < 1 {
                for index in activations.values.indices
                where activations.values[index] < Double.ulpOfOne {
                    activations.values[index] = 0
                }
            }
            if tolerance > 0, iteration % 10 == 0 {
                let error = divergence(input, activations)
                if (previousError - error) / initialError < tolerance { break }
                previousError = error
            }
        }
        return activations
    }

    /// `MiniBatchNMF._solve_W`: multiplicative updates until `W` moves less than `tol`
    /// (relative, in Frobenius norm).
    private func miniBatch(_ input: Matrix) throws(InputError) -> Matrix {
        var activations = initialActivations(input)
        var previous = activations
        let targets = beta == 2 ? projections(input) : nil
        for _ in 0..<maxIterations {
            var sums = componentSums
            update(&activations, input, targets: targets, sums: &sums, keepsSums: false)
            try Self.requireFinite(activations, previous, input)
            var change = 0.0
            var size = 0.0
            for index in activations.values.indices {
                let difference = activations.values[index] - previous.values[index]
                change += difference * difference
                size += activations.values[index] * activations.values[index]
            }
            if tolerance > 0, change.squareRoot() / size.squareRoot() <= tolerance { break }
            previous = activations
        }
        return activations
    }

    /// `_solve_W` measures each step with scipy's `norm`, which refuses NaN and infinity in
    /// `W - W_buffer` and `W`: a batch whose mean is negative (MiniBatchNMF does not check
    /// for negative values, but starts from the square root of the mean) or whose values
    /// overflow is refused, naming the first negative value for the first cause and the
    /// first row that went non-finite for the second.
    private static func requireFinite(
        _ activations: Matrix,
        _ previous: Matrix,
        _ input: Matrix
    ) throws(InputError) {
        let finite = zip(activations.values, previous.values).allSatisfy {
            ($0 - $1).isFinite && $0.isFinite
        }
        if finite { return }
        if NumpyReductions.sum(input.values) < 0,
            let index = input.values.firstIndex(where: { $0 < 0 })
        {
            throw InputError(
                row: index / input.columns,
                column: index % input.columns,
                "a negative value that makes the batch's mean negative, which MiniBatchNMF "
                    + "does not accept"
            )
        }
        let index = activations.values.indices.first {
            !((activations.values[$0] - previous.values[$0]).isFinite
                && activations.values[$0].isFinite)
        }
        throw InputError(
            row: (index ?? 0) / activations.columns,
            column: nil,
            "MiniBatchNMF's solution for this row is not finite (its values overflow)"
        )
    }

    /// numpy's `x ** exponent`, with the exact shortcuts numpy takes for a few exponents.
    private static func power(_ value: Double, _ exponent: Double) -> Double {
        switch exponent {
        case -1: return 1 / value
        case 0: return 1
        case 0.5: return value.squareRoot()
        case 1: return value
        case 2: return value * value
        default: return value.power(exponent)
        }
    }

    /// `_multiplicative_update_w`: `W *= (numerator / denominator) ** gamma`.
    private func update(
        _ activations: inout Matrix,
        _ input: Matrix,
        targets: Matrix?,
        sums: inout [Double],
        keepsSums: Bool
    ) {
        let epsilon = Self.epsilon
        let tooSmall: (Double) -> Bool =
            raisesOnlyZeros ? { $0 == 0 } : { $0 < epsilon }
        var numerator: Matrix
        var denominator: Matrix
        if let targets {
            numerator = targets
            denominator = Self.product(activations, gram)
        } else {
            var ratios = reconstruction(activations)
            var powers = ratios
            if beta - 1 < 0 {
                for index in powers.values.indices where tooSmall(powers.values[index]) {
                    powers.values[index] = epsilon
                }
            }
            if beta - 2 < 0 {
                for index in ratios.values.indices where tooSmall(ratios.values[index]) {
                    ratios.values[index] = epsilon
                }
            }
            for index in ratios.values.indices {
                let x = input.values[index]
                if beta == 1 {
                    ratios.values[index] = x / ratios.values[index]
                } else if beta == 0 {
                    let reciprocal = 1 / ratios.values[index]
                    ratios.values[index] = reciprocal * reciprocal * x
                } else {
                    ratios.values[index] = Self.power(ratios.values[index], beta - 2) * x
                }
            }
            numerator = Self.product(ratios, Self.transposed(components))
            if beta == 1 {
                denominator = Matrix(rows: input.rows, columns: componentCount)
            } else {
                for index in powers.values.indices {
                    powers.values[index] = Self.power(powers.values[index], beta - 1)
                }
                denominator = Self.product(powers, Self.transposed(components))
            }
        }
        if beta == 1, targets == nil {
            // The denominator is a view of the component sums, changed in place.
            if l1 > 0 {
                for index in sums.indices { sums[index] += l1 }
            }
            if l2 > 0 {
                for row in 0..<input.rows {
                    for component in 0..<componentCount {
                        denominator[row, component] =
                            sums[component] + l2 * activations[row, component]
                    }
                }
                for index in denominator.values.indices where denominator.values[index] == 0 {
                    denominator.values[index] = epsilon
                }
            } else {
                for index in sums.indices where sums[index] == 0 { sums[index] = epsilon }
                for row in 0..<input.rows {
                    for component in 0..<componentCount {
                        denominator[row, component] = sums[component]
                    }
                }
            }
            if !keepsSums { sums = componentSums }
        } else {
            if l1 > 0 {
                for index in denominator.values.indices { denominator.values[index] += l1 }
            }
            if l2 > 0 {
                for index in denominator.values.indices {
                    denominator.values[index] += l2 * activations.values[index]
                }
            }
            for index in denominator.values.indices where denominator.values[index] == 0 {
                denominator.values[index] = epsilon
            }
        }
        for index in numerator.values.indices {
            var delta = numerator.values[index] / denominator.values[index]
            if gamma != 1 { delta = Self.power(delta, gamma) }
            activations.values[index] *= delta
        }
    }

    private static func transposed(_ matrix: Matrix) -> Matrix {
        var result = Matrix(rows: matrix.columns, columns: matrix.rows)
        for row in 0..<matrix.rows {
            for column in 0..<matrix.columns { result[column, row] = matrix[row, column] }
        }
        return result
    }

    /// `_beta_divergence(X, W, H, beta, square_root=True)`, the convergence measure.
    private func divergence(_ input: Matrix, _ activations: Matrix) -> Double {
        let rebuilt = reconstruction(activations)
        if beta == 2 {
            var sum = 0.0
            for index in input.values.indices {
                let difference = input.values[index] - rebuilt.values[index]
                sum += difference * difference
            }
            return (sum / 2.0 * 2).squareRoot()
        }
        let epsilon = Self.epsilon
        var xs: [Double] = []
        var rebuiltAtX: [Double] = []
        for index in input.values.indices where input.values[index] > epsilon {
            xs.append(input.values[index])
            let value = rebuilt.values[index]
            let small = raisesOnlyZeros ? value == 0 : value < epsilon
            rebuiltAtX.append(small ? epsilon : value)
        }
        var result: Double
        if beta == 1 {
            var activationSums = [Double](repeating: 0, count: componentCount)
            for row in 0..<activations.rows {
                for component in 0..<componentCount {
                    activationSums[component] += activations[row, component]
                }
            }
            var total = 0.0
            for component in 0..<componentCount {
                total += activationSums[component] * componentSums[component]
            }
            result = 0
            for (x, value) in zip(xs, rebuiltAtX) { result += x * (x / value).log() }
            result += total - NumpyReductions.sum(xs)
        } else if beta == 0 {
            var ratios = 0.0
            var logs = 0.0
            for (x, value) in zip(xs, rebuiltAtX) {
                ratios += x / value
                logs += (x / value).log()
            }
            result = ratios - Double(input.values.count) - logs
        } else {
            var powers = 0.0
            for value in rebuilt.values { powers += Self.power(value, beta) }
            var cross = 0.0
            var own = 0.0
            for (x, value) in zip(xs, rebuiltAtX) {
                cross += x * Self.power(value, beta - 1)
                own += Self.power(x, beta)
            }
            result = own - beta * cross
            result += powers * (beta - 1)
            result /= beta * (beta - 1)
        }
        return (2 * max(result, 0)).squareRoot()
    }
}
