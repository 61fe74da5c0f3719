extension EstimatorRegistry {
    /// Multi-layer perceptrons.
    static let neuralEntries: [String: Entry] = [
        "MLPClassifier": Entry(
            "Neural networks",
            [.predict, .predictProba],
            note: "binary, multiclass and multilabel targets"
        ) { object, _ throws(EstimatorError) in try perceptronClassifier(object) },
        "MLPRegressor": Entry("Neural networks", [.predict]) { object, _ throws(EstimatorError) in
            .regressor(try PerceptronRegressor(object))
        },
    ]
}
