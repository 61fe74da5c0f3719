import Pickle

/// `sklearn.preprocessing.Normalizer`: each row divided by its l1, l2 or max norm; a norm
/// below ten machine epsilons counts as 1, as `_handle_zeros_in_scale` makes it.
struct Normalizer: Transformer {
    enum Norm: String {
        case l1, l2, max
    }

    let norm: Norm
    let inputWidth: Int

    var outputWidth: Int { inputWidth }

    init(_ object: FittedObject) throws(EstimatorError) {
        inputWidth = try object.featureCount()
        guard let norm = Norm(rawValue: object.string("norm") ?? "l2") else {
            throw object.unsupported("norm", "expected 'l1', 'l2' or 'max'")
        }
        self.norm = norm
    }

    func transform(_ input: Matrix) -> Matrix {
        var output = input
        for row in 0..<input.rows {
            let values = input.row(row)
            var scale: Double
            switch norm {
            case .l1: scale = NumpyReductions.sum(values.map { abs($0) }[...])
            case .l2:
                scale = 0
                for value in values { scale += value * value }
                scale = scale.squareRoot()
            case .max: scale = values.map { abs($0) }.max() ?? 0
            }
            if scale < 10 * Double.ulpOfOne { scale = 1 }
            for column in 0..<input.columns { output[row, column] /= scale }
        }
        return output
    }
}

/// `sklearn.preprocessing.Binarizer`: 1 above `threshold`, else 0.
struct Binarizer: Transformer {
    let threshold: Double
    let inputWidth: Int

    var outputWidth: Int { inputWidth }

    init(_ object: FittedObject) throws(EstimatorError) {
        inputWidth = try object.featureCount()
        threshold = try object.number("threshold")
    }

    func transform(_ input: Matrix) -> Matrix {
        Matrix(
            rows: input.rows,
            columns: input.columns,
            values: input.values.map { $0 > threshold ? 1 : 0 }
        )
    }
}

/// `sklearn.preprocessing.FunctionTransformer` whose `func` is a numpy ufunc (or None,
/// the identity). The pickle names the ufunc as a global; it is read as a name and
/// mapped to the same libm function, never looked up or called in Python's sense.
struct ElementwiseFunction: Transformer {
    /// The ufuncs served, by numpy name.
    static let functions: [String: @Sendable (Double) -> Double] = [
        "log1p": { $0.log1p() },
        "expm1": { $0.expm1() },
        "log": { $0.log() },
        "exp": { $0.exp() },
        "sqrt": { $0.squareRoot() },
        "absolute": { abs($0) },
        "square": { $0 * $0 },
        "negative": { -$0 },
        "reciprocal": { 1 / $0 },
        "tanh": { $0.tanh() },
    ]

    /// Modules numpy has pickled its ufuncs under.
    static let ufuncModules: Set<String> = [
        "numpy", "numpy.core._multiarray_umath", "numpy._core._multiarray_umath",
        "numpy.core.umath", "numpy._core.umath",
    ]

    let function: (@Sendable (Double) -> Double)?
    let inputWidth: Int
    /// With `validate=False` scikit-learn passes the input through unchecked, NaN included.
    let acceptsMissing: Bool

    var outputWidth: Int { inputWidth }
    var validatesInput: Bool { !acceptsMissing }

    /// Whether `object` is a FunctionTransformer that recorded no `n_features_in_`
    /// (scikit-learn before 1.2 with validate=False): it takes rows of any width and gives
    /// the same width, so inside a composite its neighbours fix its width.
    static func takesAnyWidth(_ object: FittedObject) -> Bool {
        object.className == "FunctionTransformer" && object.optional("n_features_in_") == nil
    }

    /// `width` is the number of features a composite hands a transformer that recorded
    /// none (see ``takesAnyWidth(_:)``); nil when it stands alone.
    init(_ object: FittedObject, width: Int? = nil) throws(EstimatorError) {
        if object.optional("n_features_in_") != nil {
            inputWidth = try object.featureCount()
        } else if let width {
            inputWidth = width
        } else {
            throw object.unsupported(
                "n_features_in_",
                "absent (written before scikit-learn 1.2 with validate=False): the fitted "
                    + "transformer takes any number of features; Augur serves it only as a "
                    + "step of a Pipeline, ColumnTransformer or FeatureUnion whose other "
                    + "steps fix the number"
            )
        }
        if object.optional("kw_args") != nil {
            throw object.unsupported("kw_args", "keyword arguments to func are not supported")
        }
        acceptsMissing = !object.boolean("validate", default: false)
        switch object.optional("func") {
        case nil:
            function = nil
        case .global(let module, let name)?:
            guard Self.ufuncModules.contains(module), let function = Self.functions[name] else {
                throw object.unsupported(
                    "func",
                    "\(module).\(name) is not supported; supported numpy ufuncs: "
                        + Self.functions.keys.sorted().joined(separator: ", ")
                )
            }
            self.function = function
        case let other?:
            throw object.unsupported(
                "func",
                "expected a numpy ufunc, found \(other.kindName)"
            )
        }
    }

    func transform(_ input: Matrix) -> Matrix {
        guard let function else { return input }
        return Matrix(rows: input.rows, columns: input.columns, values: input.values.map(function))
    }
}
