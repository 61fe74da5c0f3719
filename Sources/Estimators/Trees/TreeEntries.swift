extension EstimatorRegistry {
    /// Single decision trees.
    static let treeEntries: [String: Entry] = [
        "DecisionTreeClassifier": Entry(
            "Trees and ensembles",
            [.predict, .predictProba],
            castsInputsToFloat32: true
        ) { object, _ throws(EstimatorError) in .classifier(try DecisionTreeClassifier(object)) },
        "DecisionTreeRegressor": Entry(
            "Trees and ensembles",
            [.predict],
            castsInputsToFloat32: true
        ) { object, _ throws(EstimatorError) in .regressor(try DecisionTreeRegressor(object)) },
    ]
}
