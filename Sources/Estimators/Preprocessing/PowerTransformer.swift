/// `sklearn.preprocessing.PowerTransformer`: a Yeo-Johnson or Box-Cox transform per
/// column with its fitted `lambdas_`, then the fitted `StandardScaler` with `standardize`.
struct PowerTransformer: Transformer {
    enum Method: String {
        case yeoJohnson = "yeo-johnson"
        case boxCox = "box-cox"
    }

    let method: Method
    let lambdas: [Double]
    let scaler: ColumnAffineMap?
    /// scikit-learn 1.9 calls scipy's Yeo-Johnson (expm1/log1p); earlier versions their own
    /// (power then subtract one).
    let usesScipyYeoJohnson: Bool

    var inputWidth: Int { lambdas.count }
    var outputWidth: Int { lambdas.count }
    var acceptsMissing: Bool { true }

    init(_ object: FittedObject) throws(EstimatorError) {
        guard let method = Method(rawValue: object.string("method") ?? "yeo-johnson") else {
            throw object.unsupported("method", "expected 'yeo-johnson' or 'box-cox'")
        }
        self.method = method
        let width = try object.featureCount()
        lambdas = try object.doubles("lambdas_", count: width)
        if object.boolean("standardize", default: true) {
            let scaler = try Scalers.standard(try object.nested("_scaler"))
            guard scaler.inputWidth == width else {
                throw object.error("_scaler", "takes \(scaler.inputWidth) features, not \(width)")
            }
            self.scaler = scaler
        } else {
            scaler = nil
        }
        usesScipyYeoJohnson = object.version >= ScikitLearnVersion(1, 9)
    }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        var output = input
        for row in 0..<input.rows {
            for column in 0..<input.columns {
                let value = input[row, column]
                let lambda = lambdas[column]
                switch method {
                case .boxCox:
                    guard value.isNaN || value > 0 else {
                        throw InputError(
                            row: row,
                            column: column,
                            "Box-Cox needs strictly positive values; found \(value)"
                        )
                    }
                    output[row, column] = Self.boxCox(value, lambda)
                case .yeoJohnson:
                    output[row, column] =
                        usesScipyYeoJohnson
                        ? Self.yeoJohnsonScipy(value, lambda) : Self.yeoJohnson(value, lambda)
                }
            }
        }
        return scaler?.transform(output) ?? output
    }

    /// `scipy.special.boxcox`.
    static func boxCox(_ x: Double, _ lambda: Double) -> Double {
        if abs(lambda) < 1e-19 { return x.log() }
        return (lambda * x.log()).expm1() / lambda
    }

    /// scikit-learn's own `_yeo_johnson_transform` (before 1.9).
    static func yeoJohnson(_ x: Double, _ lambda: Double) -> Double {
        if x >= 0 {
            if abs(lambda) < Double.ulpOfOne { return x.log1p() }
            return ((x + 1).power(lambda) - 1) / lambda
        }
        if abs(lambda - 2) > Double.ulpOfOne {
            return -((-x + 1).power(2 - lambda) - 1) / (2 - lambda)
        }
        return -(-x).log1p()
    }

    /// `scipy.stats.yeojohnson` with a given lambda.
    static func yeoJohnsonScipy(_ x: Double, _ lambda: Double) -> Double {
        if x >= 0 {
            if abs(lambda) < Double.ulpOfOne { return x.log1p() }
            return (lambda * x.log1p()).expm1() / lambda
        }
        if abs(lambda - 2) > Double.ulpOfOne {
            return -((2 - lambda) * (-x).log1p()).expm1() / (2 - lambda)
        }
        return -(-x).log1p()
    }
}
