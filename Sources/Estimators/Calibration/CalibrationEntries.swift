extension EstimatorRegistry {
    /// Probability calibration and isotonic regression.
    static let calibrationEntries: [String: Entry] = [
        "CalibratedClassifierCV": Entry(
            "Calibration",
            [.predict, .predictProba],
            note: "method 'sigmoid', 'isotonic' or 'temperature', ensemble or not, prefit "
                + "(or a FrozenEstimator); the estimator any supported classifier"
        ) { object, depth throws(EstimatorError) in
            .classifier(try CalibratedClassifier(object, depth: depth))
        },
        "IsotonicRegression": Entry(
            "Calibration",
            [.predict, .transform],
            note: "one input column; `transform` gives predict's values, one per row"
        ) { object, _ throws(EstimatorError) in
            .regressor(IsotonicRegressor(function: try IsotonicFunction(object)))
        },
        "FrozenEstimator": Entry(
            "Calibration",
            ModelOutput.allCases,
            note: "the outputs of the estimator it wraps"
        ) { object, depth throws(EstimatorError) in
            try estimator(try object.nested("estimator"), depth: depth + 1)
        },
    ]
}
