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
    /// Whether the model's first step casts inputs to float32 (trees and forests do), so a
    /// value beyond float32's range is refused as scikit-learn refuses it.
    public let castsInputsToFloat32: Bool
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
        castsInputsToFloat32: Bool = false,
        estimator: Estimator
    ) {
        self.estimatorClass = estimatorClass
        self.sklearnVersion = sklearnVersion
        self.inputWidth = inputWidth
        self.featureNames = featureNames
        self.castsInputsToFloat32 = castsInputsToFloat32
        self.estimator = estimator
    }
}
