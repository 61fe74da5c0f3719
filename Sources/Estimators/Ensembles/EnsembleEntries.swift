extension EstimatorRegistry {
    /// Forests, boosting, bagging and other estimators built from many others.
    static let ensembleEntries: [String: Entry] = {
        let forestClassifier = Entry(
            "Trees and ensembles",
            [.predict, .predictProba],
            note: "multi-output when fitted on a 2-D y",
            castsInputsToFloat32: true
        ) { object, _ throws(EstimatorError) in
            try ClassificationForest(object).estimator(multiOutput: object.hasLabelsPerOutput)
        }
        let forestRegressor = Entry(
            "Trees and ensembles",
            [.predict],
            note: "multi-output when fitted on a 2-D y",
            castsInputsToFloat32: true
        ) { object, _ throws(EstimatorError) in .regressor(try ForestRegressor(object)) }
        return [
            "RandomForestClassifier": forestClassifier,
            "ExtraTreesClassifier": forestClassifier,
            "RandomForestRegressor": forestRegressor,
            "ExtraTreesRegressor": forestRegressor,
            "GradientBoostingClassifier": Entry(
                "Trees and ensembles",
                [.predict, .predictProba, .decisionFunction],
                note: "init 'zero', the default, or a DummyClassifier that is not random",
                castsInputsToFloat32: true
            ) { object, _ throws(EstimatorError) in
                .classifier(try GradientBoostingClassifier(object))
            },
            "GradientBoostingRegressor": Entry(
                "Trees and ensembles",
                [.predict],
                note: "init 'zero', DummyRegressor or the default",
                castsInputsToFloat32: true
            ) { object, _ throws(EstimatorError) in
                .regressor(try GradientBoostingRegressor(object))
            },
            "HistGradientBoostingClassifier": Entry(
                "Trees and ensembles",
                [.predict, .predictProba, .decisionFunction],
                note: "categorical features, also from a pandas category dtype"
            ) { object, _ throws(EstimatorError) in
                .classifier(try HistGradientBoostingClassifier(object))
            },
            "HistGradientBoostingRegressor": Entry(
                "Trees and ensembles",
                [.predict],
                note: "categorical features, also from a pandas category dtype"
            ) { object, _ throws(EstimatorError) in
                .regressor(try HistGradientBoostingRegressor(object))
            },
            "AdaBoostClassifier": Entry(
                "Trees and ensembles",
                [.predict, .predictProba, .decisionFunction],
                note: "over decision trees; SAMME, and SAMME.R in files from before 1.6",
                castsInputsToFloat32: true
            ) { object, _ throws(EstimatorError) in .classifier(try AdaBoostClassifier(object)) },
            "AdaBoostRegressor": Entry(
                "Trees and ensembles",
                [.predict],
                note: "over decision trees",
                castsInputsToFloat32: true
            ) { object, _ throws(EstimatorError) in .regressor(try AdaBoostRegressor(object)) },
            "BaggingClassifier": Entry(
                "Trees and ensembles",
                [.predict, .predictProba],
                note: "over decision trees",
                castsInputsToFloat32: true
            ) { object, _ throws(EstimatorError) in .classifier(try BaggingClassifier(object)) },
            "BaggingRegressor": Entry(
                "Trees and ensembles",
                [.predict],
                note: "over decision trees",
                castsInputsToFloat32: true
            ) { object, _ throws(EstimatorError) in .regressor(try BaggingRegressor(object)) },
            "IsolationForest": Entry(
                "Trees and ensembles",
                [.predict, .decisionFunction, .scoreSamples],
                // It casts to float32, but from 1.6 takes values that overflow it; the
                // model refuses them itself for older files.
                castsInputsToFloat32: false
            ) { object, _ throws(EstimatorError) in .outlierDetector(try IsolationForest(object)) },
        ]
    }()
}
