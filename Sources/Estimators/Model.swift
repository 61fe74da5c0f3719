/// A model ready to serve: an immutable predictor plus what clients need to know about it.
public struct Model: Sendable {
    /// The Python class of the top-level estimator, e.g. `sklearn.pipeline.Pipeline`.
    public let estimatorClass: String
    /// `_sklearn_version` from the file, when the file records it.
    public let sklearnVersion: String?
    /// Features per row (`n_features_in_`).
    public let inputWidth: Int
    /// `feature_names_in_`, when the model was fitted on named columns.
    public let featureNames: [String]?
    public let estimator: Estimator

    /// The outputs this model offers.
    public var outputs: [ModelOutput] {
        switch estimator {
        case .classifier: [.predict, .predictProba]
        case .regressor: [.predict]
        case .transformer: []
        }
    }

    /// `classes_` for classifiers.
    public var classes: ClassLabels? {
        if case .classifier(let classifier) = estimator { classifier.classes } else { nil }
    }

    public init(
        estimatorClass: String,
        sklearnVersion: String?,
        inputWidth: Int,
        featureNames: [String]?,
        estimator: Estimator
    ) {
        self.estimatorClass = estimatorClass
        self.sklearnVersion = sklearnVersion
        self.inputWidth = inputWidth
        self.featureNames = featureNames
        self.estimator = estimator
    }
}
