extension EstimatorRegistry {
    /// Linear models: a weighted sum of the features, then a link or a class rule.
    static let linearEntries: [String: Entry] = [
        "LinearRegression": Entry("Linear models", [.predict]) {
            object,
            _ throws(EstimatorError) in .regressor(try LinearRegressor(object))
        },
        "LogisticRegression": Entry(
            "Linear models",
            [.predict, .predictProba, .decisionFunction]
        ) { object, _ throws(EstimatorError) in
            .classifier(try LogisticRegressionClassifier(object))
        },
    ]
}
