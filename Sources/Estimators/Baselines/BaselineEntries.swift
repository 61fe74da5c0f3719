extension EstimatorRegistry {
    /// Estimators that predict without looking at the rows, as baselines to compare with.
    static let baselineEntries: [String: Entry] = [
        "DummyClassifier": Entry(
            "Baselines",
            [.predict, .predictProba],
            note: "strategies 'prior', 'most_frequent' and 'constant' (not the random ones); "
                + "multi-output when fitted on a 2-D y; files that record `n_features_in_` "
                + "(not those of 1.3 and before)"
        ) { object, _ throws(EstimatorError) in try DummyClassifier(object).estimator },
        "DummyRegressor": Entry(
            "Baselines",
            [.predict],
            note:
                "every strategy; multi-output when fitted on a 2-D y; files that record `n_features_in_` "
                + "(not those of 1.3 and before)"
        ) { object, _ throws(EstimatorError) in .regressor(try DummyRegressor(object)) },
    ]
}
