import Pickle

/// `sklearn.compose.TransformedTargetRegressor`: the fitted regressor's predictions mapped
/// back through `transformer_.inverse_transform`, as a column per target.
struct TransformedTargetRegressor: Regressor {
    let regressor: any Regressor
    let inverse: TargetInverse
    /// `_training_dim == 1`: the target was 1-D, so one value per row comes back.
    let targetCount: Int?

    var inputWidth: Int { regressor.inputWidth }
    var textColumns: Set<Int> { regressor.textColumns }
    var acceptsMissing: Bool { regressor.acceptsMissing }

    func predict(_ input: Matrix) throws(InputError) -> Matrix {
        inverse.apply(try regressor.predict(input))
    }
}

/// The inverse of a fitted target transformer: an element-wise numpy ufunc (the
/// `inverse_func` of a `FunctionTransformer`, the identity when it has none) or a
/// `StandardScaler`'s `inverse_transform`.
enum TargetInverse: Sendable {
    case function(@Sendable (Double) -> Double)
    /// `X *= scale_` then `X += mean_`, each when fitted with it.
    case scaler(scale: [Double]?, mean: [Double]?)

    /// The ufuncs served, by name; numpy calls the same libm functions.
    static let functions: [String: @Sendable (Double) -> Double] = [
        "exp": { $0.exp() },
        "expm1": { $0.expm1() },
        "log": { $0.log() },
        "log1p": { $0.log1p() },
        "sqrt": { $0.squareRoot() },
    ]

    init(_ object: FittedObject, width: Int) throws(EstimatorError) {
        switch object.className {
        case "FunctionTransformer":
            if object.optional("inv_kw_args") != nil,
                case .dict(let arguments)? = object.optional("inv_kw_args"),
                !arguments.entries.isEmpty
            {
                throw EstimatorError(
                    .unsupportedOption,
                    className: object.qualifiedName,
                    attribute: "inv_kw_args",
                    "keyword arguments to inverse_func are not supported"
                )
            }
            switch object.optional("inverse_func") {
            case nil: self = .function { $0 }
            case .global(let module, let name)?:
                guard module == "numpy" || module.hasPrefix("numpy."),
                    let function = Self.functions[name]
                else {
                    throw EstimatorError(
                        .unsupportedOption,
                        className: object.qualifiedName,
                        attribute: "inverse_func",
                        "\(module).\(name) is not supported; supported: numpy "
                            + Self.functions.keys.sorted().joined(separator: ", ")
                    )
                }
                self = .function(function)
            case let other?:
                throw EstimatorError(
                    .unsupportedOption,
                    className: object.qualifiedName,
                    attribute: "inverse_func",
                    "only numpy ufuncs are supported, found \(other.kindName)"
                )
            }
        case "StandardScaler":
            let scale =
                object.boolean("with_std", default: true) && object.optional("scale_") != nil
                ? try object.doubles("scale_", count: width) : nil
            let mean =
                object.boolean("with_mean", default: true) && object.optional("mean_") != nil
                ? try object.doubles("mean_", count: width) : nil
            self = .scaler(scale: scale, mean: mean)
        default:
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                "only FunctionTransformer and StandardScaler are supported as the target "
                    + "transformer"
            )
        }
    }

    func apply(_ predictions: Matrix) -> Matrix {
        var output = predictions
        switch self {
        case .function(let function):
            for index in output.values.indices {
                output.values[index] = function(output.values[index])
            }
        case .scaler(let scale, let mean):
            for row in 0..<output.rows {
                for column in 0..<output.columns {
                    if let scale { output[row, column] *= scale[column] }
                    if let mean { output[row, column] += mean[column] }
                }
            }
        }
        return output
    }
}

extension EstimatorRegistry {
    static func transformedTargetRegressor(_ object: FittedObject, depth: Int)
        throws(EstimatorError) -> Estimator
    {
        let inner = try FittedObject(try object.value("regressor_"))
        guard case .regressor(let regressor) = try estimator(inner, depth: depth + 1) else {
            throw object.error("regressor_", "expected a regressor")
        }
        let dimensions =
            object.optional("_training_dim") == nil
            ? 1 : try object.integer("_training_dim")
        let targets = regressor.targetCount ?? 1
        guard dimensions == 1 ? targets == 1 : dimensions == 2 else {
            throw object.error("_training_dim", "\(dimensions) does not fit \(targets) targets")
        }
        let inverse = try TargetInverse(
            try FittedObject(try object.value("transformer_")),
            width: targets
        )
        return .regressor(
            TransformedTargetRegressor(
                regressor: regressor,
                inverse: inverse,
                targetCount: dimensions == 1 ? nil : targets
            )
        )
    }
}
