/// The kernel an estimator compares rows with its training rows by: a `pairwise_kernels`
/// kernel named by a string, or a Gaussian process kernel object.
enum FittedKernel: Sendable {
    case named(PairwiseKernel)
    case object(GaussianProcessKernel)

    /// Reads the `kernel` of `KernelRidge` or `KernelPCA`: a name with `gamma` (read from
    /// `gammaAttribute`), `degree` and `coef0`, or a Gaussian process kernel object (whose
    /// `kernel_params` would be passed to its call, which takes none).
    init(_ object: FittedObject, gamma gammaAttribute: String, width: Int)
        throws(EstimatorError)
    {
        let raw = try object.value("kernel")
        if case .string(let name) = raw {
            self = .named(
                try PairwiseKernel.named(name, of: object, gamma: gammaAttribute, width: width)
            )
            return
        }
        guard case .object(let kernel) = raw,
            kernel.qualifiedName?.hasPrefix("sklearn.gaussian_process.kernels.") == true
        else {
            throw object.unsupported(
                "kernel",
                "a callable kernel is not supported; name one or use a Gaussian process kernel"
            )
        }
        if object.optional("kernel_params") != nil {
            throw object.unsupported(
                "kernel_params",
                "parameters for a kernel object are not supported"
            )
        }
        self = .object(try GaussianProcessKernel(raw, width: width))
    }

    var refusesNegative: Bool {
        switch self {
        case .named(let kernel): kernel.refusesNegative
        case .object(let kernel): kernel.refusesNegative
        }
    }

    /// `kernel(X, Y)` for the request's rows `x` and the training rows `y`.
    func matrix(_ x: Matrix, _ y: Matrix) -> Matrix {
        switch self {
        case .named(let kernel): kernel.matrix(x, y)
        case .object(let kernel): kernel.matrix(x, y)
        }
    }

    /// Refuses what the kernel's own validation refuses: negative values for the
    /// chi-squared kernels.
    func check(_ input: Matrix, by estimator: String) throws(InputError) {
        if refusesNegative { try PairwiseKernel.requireNonNegative(input, by: estimator) }
    }
}

/// Training rows read from a fitted estimator (`X_fit_`, `X_train_`).
extension FittedObject {
    func trainingRows(_ attribute: String) throws(EstimatorError) -> Matrix {
        let shape = try array(attribute).shape
        guard shape.count == 2, shape[0] > 0, shape[1] > 0 else {
            throw error(attribute, "expected a non-empty 2-D array, found shape \(shape)")
        }
        return Matrix(rows: shape[0], columns: shape[1], values: try doubles(attribute))
    }

    /// A 1-D array of `count` values, or a 2-D array of `count` rows: the weights of the
    /// training rows, one column per target; `twoDimensional` tells which it was.
    func sampleWeights(_ attribute: String, count: Int) throws(EstimatorError)
        -> (weights: Matrix, twoDimensional: Bool)
    {
        let shape = try array(attribute).shape
        guard (shape.count == 1 || shape.count == 2), shape[0] == count,
            shape.count == 1 || shape[1] > 0
        else {
            throw error(attribute, "expected \(count) rows, found shape \(shape)")
        }
        let columns = shape.count == 2 ? shape[1] : 1
        return (
            Matrix(rows: count, columns: columns, values: try doubles(attribute)),
            shape.count == 2
        )
    }
}
