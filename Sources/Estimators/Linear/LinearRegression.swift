/// The linear regressors: `predict` is `X @ coef_.T + intercept_`, through the inverse of
/// a link for the generalised linear models (`PoissonRegressor`, `GammaRegressor`,
/// `TweedieRegressor`). Serves `LinearRegression`, the ridge, lasso and elastic-net
/// families, SGD, passive-aggressive, Bayesian, Huber, quantile and linear SVR models.
struct LinearRegressor: Regressor {
    /// The inverse link scikit-learn applies to the weighted sum.
    enum Link: Sendable {
        case identity
        /// `LogLink`: predictions are `exp` of the weighted sum.
        case log
    }

    let function: LinearFunction
    let link: Link

    var inputWidth: Int { function.inputWidth }
    /// A 2-D `coef_` (a model fitted on a 2-D `y`) gives a 2-D prediction.
    var targetCount: Int? { function.isTwoDimensional ? function.outputCount : nil }

    init(_ object: FittedObject, link: Link = .identity) throws(EstimatorError) {
        function = try LinearFunction(object)
        self.link = link
    }

    func predict(_ input: Matrix) -> Matrix {
        var predictions = function.scores(input)
        if link == .log {
            for index in predictions.values.indices {
                predictions.values[index] = predictions.values[index].exp()
            }
        }
        return predictions
    }

    /// `TweedieRegressor`'s link: `auto` is the identity for `power <= 0`, else the log.
    static func tweedieLink(_ object: FittedObject) throws(EstimatorError) -> Link {
        switch object.string("link") ?? "auto" {
        case "identity": return .identity
        case "log": return .log
        case "auto": return try object.number("power") <= 0 ? .identity : .log
        case let other:
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "link",
                "link '\(other)' is not supported; expected 'auto', 'identity' or 'log'"
            )
        }
    }
}

extension Double {
    func exp() -> Double {
        Foundationless.exp(self)
    }
}
