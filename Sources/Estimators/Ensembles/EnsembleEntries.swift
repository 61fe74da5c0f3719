extension EstimatorRegistry {
    /// Forests, boosting, bagging and other estimators built from many others.
    static let ensembleEntries: [String: Entry] = [
        "RandomForestClassifier": Entry(
            "Trees and ensembles",
            [.predict, .predictProba],
            castsInputsToFloat32: true
        ) { object, _ throws(EstimatorError) in
            .classifier(try ForestClassifier(object, build: FittedObject.init))
        },
        "RandomForestRegressor": Entry(
            "Trees and ensembles",
            [.predict],
            castsInputsToFloat32: true
        ) { object, _ throws(EstimatorError) in
            .regressor(try ForestRegressor(object, build: FittedObject.init))
        },
    ]
}
