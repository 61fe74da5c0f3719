extension EstimatorRegistry {
    /// Multi-layer perceptrons.
    static let neuralEntries: [String: Entry] = [
        "MLPClassifier": Entry(
            "Neural networks",
            [.predict, .predictProba],
            note: "binary and multiclass targets"
        ) { object, _ throws(EstimatorError) in .classifier(try PerceptronClassifier(object)) },
        "MLPRegressor": Entry("Neural networks", [.predict]) { object, _ throws(EstimatorError) in
            .regressor(try PerceptronRegressor(object))
        },
    ]
}
