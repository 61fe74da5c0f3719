extension EstimatorRegistry {
    /// Single decision trees.
    static let treeEntries: [String: Entry] = {
        let classifier = Entry(
            "Trees and ensembles",
            [.predict, .predictProba],
            note: "multi-output when fitted on a 2-D y",
            castsInputsToFloat32: true
        ) { object, _ throws(EstimatorError) in try .treeClassifier(object) }
        let regressor = Entry(
            "Trees and ensembles",
            [.predict],
            note: "multi-output when fitted on a 2-D y",
            castsInputsToFloat32: true
        ) { object, _ throws(EstimatorError) in .regressor(try DecisionTreeRegressor(object)) }
        return [
            "DecisionTreeClassifier": classifier,
            "ExtraTreeClassifier": classifier,
            "DecisionTreeRegressor": regressor,
            "ExtraTreeRegressor": regressor,
        ]
    }()
}
