/// `sklearn.linear_model.LinearRegression` (and any single-target linear model whose
/// `predict` is `X @ coef_ + intercept_`).
struct LinearRegressor: Regressor {
    let coefficients: [Double]
    let intercept: Double

    var inputWidth: Int { coefficients.count }

    init(_ object: FittedObject) throws(EstimatorError) {
        let coef = try object.array("coef_")
        guard coef.shape.count == 1 || (coef.shape.count == 2 && coef.shape[0] == 1) else {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "coef_",
                "multi-target models (coef_ of shape \(coef.shape)) are not supported yet"
            )
        }
        coefficients = try object.doubles("coef_")
        intercept = try object.number("intercept_")
    }

    func predict(_ input: Matrix) -> Matrix {
        Matrix(
            rows: input.rows,
            columns: 1,
            values: (0..<input.rows).map { row in
                LinearAlgebra.dot(input.row(row), coefficients) + intercept
            }
        )
    }
}

enum LinearAlgebra {
    static func dot(_ row: ArraySlice<Double>, _ weights: [Double]) -> Double {
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

extension Double {
    func exp() -> Double {
        Foundationless.exp(self)
    }
}
