extension EstimatorRegistry {
    /// Linear models: a weighted sum of the features, then a link or a class rule.
    static let linearEntries: [String: Entry] = {
        var entries: [String: Entry] = [:]
        for name in [
            "LinearRegression", "Ridge", "RidgeCV", "Lasso", "LassoCV", "ElasticNet",
            "ElasticNetCV", "SGDRegressor", "LinearSVR", "PassiveAggressiveRegressor",
            "HuberRegressor", "QuantileRegressor", "MultiTaskLasso", "MultiTaskLassoCV",
            "MultiTaskElasticNet", "MultiTaskElasticNetCV", "Lars", "LarsCV", "LassoLars",
            "LassoLarsCV", "LassoLarsIC", "OrthogonalMatchingPursuit",
            "OrthogonalMatchingPursuitCV", "TheilSenRegressor",
        ] {
            entries[name] = linearRegressor(
                note: name.hasPrefix("MultiTask")
                    ? "a 2-D prediction, one column per task"
                    : multiTarget.contains(name)
                        ? "a 2-D prediction for a model fitted on a 2-D `y`" : ""
            )
        }
        for name in ["BayesianRidge", "ARDRegression"] {
            entries[name] = linearRegressor(
                note: "the predictive mean; `return_std` is not served"
            )
        }
        for name in ["PoissonRegressor", "GammaRegressor"] {
            entries[name] = Entry(linearFamily, [.predict], note: "log link") {
                object,
                _ throws(EstimatorError) in
                .regressor(try LinearRegressor(object, link: .log))
            }
        }
        entries["TweedieRegressor"] = Entry(
            linearFamily,
            [.predict],
            note: "identity link for `power <= 0` with `link='auto'`, else log"
        ) { object, _ throws(EstimatorError) in
            .regressor(try LinearRegressor(object, link: try LinearRegressor.tweedieLink(object)))
        }
        for name in ["LogisticRegression", "LogisticRegressionCV"] {
            entries[name] = Entry(
                linearFamily,
                [.predict, .predictProba, .decisionFunction],
                note: "binary, multinomial and one-vs-rest (`multi_class`), every solver"
            ) { object, _ throws(EstimatorError) in
                .classifier(try LogisticRegression.classifier(object))
            }
        }
        entries["SGDClassifier"] = Entry(
            linearFamily,
            [.predict, .predictProba, .decisionFunction],
            note: "`predict_proba` only with `loss='log_loss'` (`'log'` before 1.3) or "
                + "`'modified_huber'`"
        ) { object, _ throws(EstimatorError) in .classifier(try SGD.classifier(object)) }
        for name in ["Perceptron", "PassiveAggressiveClassifier", "LinearSVC"] {
            entries[name] = Entry(linearFamily, [.predict, .decisionFunction]) {
                object,
                _ throws(EstimatorError) in
                .classifier(
                    try LinearClassifier(
                        object,
                        classes: try object.classLabels(),
                        probabilities: nil
                    )
                )
            }
        }
        for name in ["RidgeClassifier", "RidgeClassifierCV"] {
            entries[name] = Entry(
                linearFamily,
                [.predict, .decisionFunction],
                note: "binary, multiclass and multilabel targets"
            ) { object, _ throws(EstimatorError) in try RidgeClassification.estimator(object) }
        }
        return entries
    }()

    private static let linearFamily = "Linear models"

    /// The regressors that take a 2-D `y` and then predict a 2-D array.
    private static let multiTarget: Set<String> = [
        "LinearRegression", "Ridge", "RidgeCV", "Lasso", "LassoCV", "ElasticNet",
        "ElasticNetCV", "Lars", "LarsCV", "LassoLars", "LassoLarsCV",
        "OrthogonalMatchingPursuit",
    ]

    /// `predict` is `X @ coef_.T + intercept_`.
    private static func linearRegressor(note: String) -> Entry {
        Entry(linearFamily, [.predict], note: note) { object, _ throws(EstimatorError) in
            .regressor(try LinearRegressor(object))
        }
    }
}
