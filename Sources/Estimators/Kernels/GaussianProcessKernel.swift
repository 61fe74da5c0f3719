import Arrays
import Pickle

/// A fitted kernel of `sklearn.gaussian_process.kernels` (`kernel_` of a Gaussian process,
/// or the `kernel` of a `KernelRidge`), evaluated as its `__call__(X, Y)` is with `Y` the
/// training rows, and its `diag(X)`.
indirect enum GaussianProcessKernel: Sendable {
    /// `ConstantKernel`: the same value everywhere.
    case constant(Double)
    /// `WhiteKernel`: zero between distinct arrays; its noise level on the diagonal.
    case white(noiseLevel: Double)
    /// `RBF`; one length scale, or one per feature (anisotropic).
    case rbf(lengthScale: [Double])
    /// `Matern`: closed forms for nu 0.5, 1.5, 2.5 and infinity, the modified Bessel
    /// function of the second kind for any other nu.
    case matern(lengthScale: [Double], nu: Double)
    case rationalQuadratic(lengthScale: Double, alpha: Double)
    case expSineSquared(lengthScale: Double, periodicity: Double)
    case dotProduct(sigma0: Double)
    /// `PairwiseKernel`: a kernel of `pairwise_kernels` by name.
    case pairwise(PairwiseKernel)
    case sum(GaussianProcessKernel, GaussianProcessKernel)
    case product(GaussianProcessKernel, GaussianProcessKernel)
    case exponentiation(GaussianProcessKernel, exponent: Double)

    /// Whether the kernel refuses negative inputs (a chi-squared `PairwiseKernel`).
    var refusesNegative: Bool {
        switch self {
        case .pairwise(let kernel): kernel.refusesNegative
        case .sum(let first, let second), .product(let first, let second):
            first.refusesNegative || second.refusesNegative
        case .exponentiation(let kernel, _): kernel.refusesNegative
        default: false
        }
    }

    /// `kernel(X, Y)` for two distinct arrays.
    func matrix(_ x: Matrix, _ y: Matrix) -> Matrix {
        switch self {
        case .constant(let value):
            return Matrix(rows: x.rows, columns: y.rows, repeating: value)
        case .white:
            return Matrix(rows: x.rows, columns: y.rows)
        case .rbf(let lengthScale):
            return RowPairs.squaredEuclidean(
                Self.scaled(x, lengthScale),
                Self.scaled(y, lengthScale)
            ).map { (-0.5 * $0).exp() }
        case .matern(let lengthScale, let nu):
            let distances = RowPairs.euclidean(
                Self.scaled(x, lengthScale),
                Self.scaled(y, lengthScale)
            )
            return distances.map { Self.matern($0, nu: nu) }
        case .rationalQuadratic(let lengthScale, let alpha):
            let scale = 2 * alpha * KernelMath.power(lengthScale, 2)
            return RowPairs.squaredEuclidean(x, y).map {
                KernelMath.power(1 + $0 / scale, -alpha)
            }
        case .expSineSquared(let lengthScale, let periodicity):
            let frequency = Double.pi / periodicity
            return RowPairs.euclidean(x, y).map { distance in
                let ratio = KernelMath.sine(frequency * distance) / lengthScale
                return (-2 * (ratio * ratio)).exp()
            }
        case .dotProduct(let sigma0):
            let offset = KernelMath.power(sigma0, 2)
            return RowPairs.dot(x, y).map { $0 + offset }
        case .pairwise(let kernel):
            return kernel.matrix(x, y)
        case .sum(let first, let second):
            return first.matrix(x, y).combined(with: second.matrix(x, y), +)
        case .product(let first, let second):
            return first.matrix(x, y).combined(with: second.matrix(x, y), *)
        case .exponentiation(let kernel, let exponent):
            return kernel.matrix(x, y).map { KernelMath.power($0, exponent) }
        }
    }

    /// `kernel.diag(X)`: each row's kernel with itself.
    func diagonal(_ x: Matrix) -> [Double] {
        switch self {
        case .constant(let value): return [Double](repeating: value, count: x.rows)
        case .white(let noiseLevel): return [Double](repeating: noiseLevel, count: x.rows)
        case .rbf, .matern, .rationalQuadratic, .expSineSquared:
            return [Double](repeating: 1, count: x.rows)
        case .dotProduct(let sigma0):
            let offset = KernelMath.power(sigma0, 2)
            return RowPairs.squaredNorms(x).map { $0 + offset }
        case .pairwise(let kernel):
            // `np.apply_along_axis(self, 1, X)`: each row as both arguments.
            return (0..<x.rows).map { row in
                let single = Matrix(rows: 1, columns: x.columns, values: Array(x.row(row)))
                return kernel.matrix(single, single, same: true).values[0]
            }
        case .sum(let first, let second):
            return zip(first.diagonal(x), second.diagonal(x)).map { $0 + $1 }
        case .product(let first, let second):
            return zip(first.diagonal(x), second.diagonal(x)).map { $0 * $1 }
        case .exponentiation(let kernel, let exponent):
            return kernel.diagonal(x).map { KernelMath.power($0, exponent) }
        }
    }

    /// `X / length_scale`, column by column for an anisotropic scale.
    private static func scaled(_ x: Matrix, _ lengthScale: [Double]) -> Matrix {
        var result = x
        for index in result.values.indices {
            result.values[index] /= lengthScale[lengthScale.count == 1 ? 0 : index % x.columns]
        }
        return result
    }

    /// `Matern.__call__` from a distance, in scikit-learn's order of operations.
    private static func matern(_ distance: Double, nu: Double) -> Double {
        switch nu {
        case 0.5:
            return (-distance).exp()
        case 1.5:
            let scaled = distance * 3.0.squareRoot()
            return (1 + scaled) * (-scaled).exp()
        case 2.5:
            let scaled = distance * 5.0.squareRoot()
            return (1 + scaled + scaled * scaled / 3) * (-scaled).exp()
        case .infinity:
            return (-(distance * distance) / 2).exp()
        default:
            // A zero distance is moved to machine epsilon, where the formula is defined.
            let moved = distance == 0 ? Double.ulpOfOne : distance
            let scaled = (2 * nu).squareRoot() * moved
            let coefficient = Foundationless.pow(2, 1 - nu) / ModifiedBessel.gamma(nu)
            return coefficient * KernelMath.power(scaled, nu)
                * ModifiedBessel.secondKind(order: nu, scaled)
        }
    }
}

extension GaussianProcessKernel {
    /// Kernels nested deeper than this are refused: a sum of many terms nests one level per
    /// term, and a kernel that contains itself would never end.
    static let maximumDepth = 64

    /// Reads a pickled kernel object, checking it against `width` features.
    init(_ value: PickleValue, width: Int, depth: Int = 0) throws(EstimatorError) {
        let object = try FittedObject(value)
        guard depth < Self.maximumDepth else {
            throw object.error("k1", "kernels nest more than \(Self.maximumDepth) deep")
        }
        func child(_ attribute: String) throws(EstimatorError) -> GaussianProcessKernel {
            try GaussianProcessKernel(try object.value(attribute), width: width, depth: depth + 1)
        }
        switch object.className {
        case "ConstantKernel":
            self = .constant(try object.number("constant_value"))
        case "WhiteKernel":
            self = .white(noiseLevel: try object.number("noise_level"))
        case "RBF":
            self = .rbf(lengthScale: try object.lengthScales(width: width))
        case "Matern":
            let nu = try object.number("nu")
            guard nu == .infinity || (nu > 0 && nu <= ModifiedBessel.largestCheckedOrder) else {
                throw object.unsupported(
                    "nu",
                    "nu=\(nu) is not supported; nu must be inf or in (0, "
                        + "\(ModifiedBessel.largestCheckedOrder)]"
                )
            }
            self = .matern(lengthScale: try object.lengthScales(width: width), nu: nu)
        case "RationalQuadratic":
            self = .rationalQuadratic(
                lengthScale: try object.scalarLengthScale(),
                alpha: try object.number("alpha")
            )
        case "ExpSineSquared":
            self = .expSineSquared(
                lengthScale: try object.scalarLengthScale(),
                periodicity: try object.number("periodicity")
            )
        case "DotProduct":
            self = .dotProduct(sigma0: try object.number("sigma_0"))
        case "PairwiseKernel":
            self = .pairwise(try object.pairwiseKernel(width: width))
        case "Sum": self = .sum(try child("k1"), try child("k2"))
        case "Product": self = .product(try child("k1"), try child("k2"))
        case "Exponentiation":
            self = .exponentiation(try child("kernel"), exponent: try object.number("exponent"))
        default:
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                "is not a supported Gaussian process kernel"
            )
        }
    }
}

extension FittedObject {
    /// `length_scale`: one number, or one per feature as `_check_length_scale` requires (a
    /// single-element array is squeezed to a number).
    fileprivate func lengthScales(width: Int) throws(EstimatorError) -> [Double] {
        let scales = try numbers("length_scale")
        guard scales.count == 1 || scales.count == width else {
            throw error(
                "length_scale",
                "\(scales.count) length scales for \(width) features"
            )
        }
        return scales
    }

    /// A length scale the kernel only takes as one number.
    fileprivate func scalarLengthScale() throws(EstimatorError) -> Double {
        let scales = try numbers("length_scale")
        guard scales.count == 1 else {
            throw unsupported("length_scale", "only a single length scale is supported")
        }
        return scales[0]
    }

    /// A number, a numpy array of numbers, or a Python list or tuple of numbers.
    func numbers(_ attribute: String) throws(EstimatorError) -> [Double] {
        let raw = try value(attribute)
        let items: [PickleValue]
        switch raw {
        case .list(let list): items = list.items
        case .tuple(let tuple): items = tuple
        default:
            if case .int = raw { return [try number(attribute)] }
            if case .float = raw { return [try number(attribute)] }
            let values = try doubles(attribute)
            guard !values.isEmpty else { throw error(attribute, "expected numbers, found none") }
            return values
        }
        var values: [Double] = []
        for item in items {
            guard
                let value = try reading(
                    attribute,
                    { () throws(ArrayError) in
                        try ArrayDecoder.number(item)
                    }
                )
            else {
                throw error(attribute, "expected numbers, found \(item.kindName)")
            }
            values.append(value)
        }
        guard !values.isEmpty else { throw error(attribute, "expected numbers, found none") }
        return values
    }

    /// `PairwiseKernel`: `metric` by name, `gamma`, and `degree`/`coef0` from
    /// `pairwise_kernels_kwargs` (the kernel functions' defaults otherwise).
    fileprivate func pairwiseKernel(width: Int) throws(EstimatorError) -> PairwiseKernel {
        guard let metric = string("metric") else {
            throw unsupported("metric", "only a kernel named by a string is supported")
        }
        var degree = 3.0
        var coef0 = 1.0
        if case .dict(let arguments)? = optional("pairwise_kernels_kwargs") {
            for name in arguments.stringKeys {
                guard let raw = arguments[name],
                    let value = try reading(
                        "pairwise_kernels_kwargs",
                        { () throws(ArrayError) in
                            try ArrayDecoder.number(raw)
                        }
                    )
                else {
                    throw unsupported("pairwise_kernels_kwargs", "'\(name)' is not a number")
                }
                switch name {
                case "degree": degree = value
                case "coef0": coef0 = value
                default:
                    throw unsupported("pairwise_kernels_kwargs", "'\(name)' is not supported")
                }
            }
        }
        return try PairwiseKernel(
            name: metric,
            gamma: try number("gamma"),
            degree: degree,
            coef0: coef0,
            width: width,
            owner: self,
            attribute: "metric"
        )
    }
}
