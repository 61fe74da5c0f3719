extension EstimatorRegistry {
    /// libsvm's support vector machines, with dense kernels.
    static let svmEntries: [String: Entry] = {
        let kernels = "fitted on dense data; kernels linear, poly, rbf and sigmoid"
        let classifier = Entry(
            svmFamily,
            [.predict, .predictProba, .decisionFunction],
            note: "\(kernels); `predict_proba` only with `probability=True`; "
                + "`decision_function_shape` ovr or ovo; `break_ties`"
        ) { object, _ throws(EstimatorError) in
            .classifier(try SupportVectorClassifier(object))
        }
        let regressor = Entry(svmFamily, [.predict], note: kernels) {
            object,
            _ throws(EstimatorError) in .regressor(try SupportVectorRegressor(object))
        }
        return [
            "SVC": classifier,
            "NuSVC": classifier,
            "SVR": regressor,
            "NuSVR": regressor,
            "OneClassSVM": Entry(
                svmFamily,
                [.predict, .decisionFunction, .scoreSamples],
                note: "\(kernels); `predict` is -1 where the decision function is 0, as libsvm "
                    + "decides"
            ) { object, _ throws(EstimatorError) in .outlierDetector(try OneClassSVM(object)) },
        ]
    }()

    private static let svmFamily = "Support vector machines"
}
