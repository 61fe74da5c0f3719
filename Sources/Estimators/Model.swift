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

    // What requests consult on every call, derived from `estimator` once at load rather
    // than by walking a composite per request (or per string cell).

    /// The outputs this model offers.
    public let outputs: [ModelOutput]
    /// Input columns where a request may send strings (categories for encoders).
    public let textColumns: Set<Int>
    /// Whether the first step takes NaN (a `null` in the request).
    public let acceptsMissing: Bool
    /// The class name without its module, for messages.
    public let estimatorName: String
    /// The numpy dtype of `predict`'s labels; nil for models that predict numbers or only
    /// transform.
    public let labelDataType: LabelDataType?

    /// `classes_` for classifiers, and for multilabel classifiers, whose `classes_` name
    /// the columns of their label indicator matrix.
    public var classes: ClassLabels? {
        switch estimator {
        case .classifier(let classifier): classifier.classes
        case .multiOutputClassifier(let classifier): classifier.targets.indicatorLabels
        default: nil
        }
    }

    /// Whether the model is a multilabel classifier: `predict` gives a 0 or 1 per label,
    /// `predict_proba` and `decision_function` a number per label.
    public var isMultilabel: Bool {
        if case .multiOutputClassifier(let classifier) = estimator {
            classifier.targets.indicatorLabels != nil
        } else {
            false
        }
    }

    /// `classes_` for multi-output classifiers: one list per output (`[0, 1]` for each
    /// label of a multilabel one).
    public var classesPerOutput: [ClassLabels]? {
        if case .multiOutputClassifier(let classifier) = estimator {
            classifier.classesPerOutput
        } else {
            nil
        }
    }

    public init(
        estimatorClass: String,
        sklearnVersion: String?,
        inputWidth: Int,
        featureNames: [String]?,
        castsInputsToFloat32: Bool = false,
        estimator: Estimator,
        labelDataType: LabelDataType? = nil
    ) {
        self.estimatorClass = estimatorClass
        self.sklearnVersion = sklearnVersion
        self.inputWidth = inputWidth
        self.featureNames = featureNames
        self.castsInputsToFloat32 = castsInputsToFloat32
        self.estimator = estimator
        outputs = estimator.outputs
        textColumns = estimator.textColumns
        acceptsMissing = estimator.acceptsMissing
        // The file's dtype when the registry found one; otherwise judged from the labels.
        self.labelDataType = labelDataType ?? estimator.labelDataType
        estimatorName = String(
            estimatorClass.split(separator: ".").last ?? Substring(estimatorClass)
        )
    }

    /// Computes one output for a batch of rows (`input.columns == inputWidth`).
    ///
    /// - Precondition: `outputs` contains `output`.
    public func compute(_ output: ModelOutput, _ input: Matrix) throws(InputError)
        -> ModelResult
    {
        if !acceptsMissing {
            try input.requireNoMissing(by: estimatorName)
        }
        // Every kind may transform: a transformer, or a predictor that also selects or
        // stacks features.
        if output == .transform, let transformation = estimator.transformation {
            let transformed = try transformation.transform(input)
            return transformation.transformsToOneValuePerRow
                ? .numbers(transformed.values) : .matrix(transformed)
        }
        switch (output, estimator) {
        case (.predict, .classifier(let classifier)):
            return .labels(classifier.classes.take(try classifier.predictClassIndices(input)))
        case (.predictProba, .classifier(let classifier)):
            return .matrix(try classifier.predictProbabilities(input))
        case (.decisionFunction, .classifier(let classifier)):
            let scores = try classifier.decisionFunction(input)
            return scores.columns == 1 ? .numbers(scores.values) : .matrix(scores)
        case (.predict, .regressor(let regressor)):
            let predictions = try regressor.predict(input)
            return regressor.targetCount == nil
                ? .numbers(predictions.values) : .matrix(predictions)
        case (.scoreSamples, .transformer(let transformer)) where transformer.hasScoreSamples:
            return .numbers(try transformer.scoreSamples(input))
        case (.predict, .outlierDetector(let detector)):
            return .labels(.integers(try detector.predict(input).map(Int64.init)))
        case (.decisionFunction, .outlierDetector(let detector)):
            return .numbers(try detector.decisionFunction(input))
        case (.scoreSamples, .outlierDetector(let detector)):
            return .numbers(try detector.scoreSamples(input))
        case (.predict, .multiOutputClassifier(let classifier)):
            let indices = try classifier.predictClassIndices(input)
            return .labelColumns(
                zip(classifier.classesPerOutput, indices).map { $0.take($1) }
            )
        case (.predictProba, .multiOutputClassifier(let classifier)):
            if case .labelIndicator = classifier.targets {
                return .matrix(try classifier.predictLabelProbabilities(input))
            }
            return .matrices(try classifier.predictProbabilities(input))
        case (.decisionFunction, .multiOutputClassifier(let classifier)):
            return .matrix(try classifier.decisionFunction(input))
        default:
            preconditionFailure("\(estimatorName) has no \(output.rawValue)")
        }
    }
}

/// One output for a batch: a value per row, or a row of values per row.
public enum ModelResult: Sendable, Equatable {
    /// Class labels (or outlier flags, -1 and 1), one per row.
    case labels(ClassLabels)
    /// One number per row: regression targets, binary decision values, scores.
    case numbers([Double])
    /// Several numbers per row: probabilities, per-class decision values, transformed
    /// features, multi-target predictions, a multilabel model's scores per label.
    case matrix(Matrix)
    /// Multi-output labels: one list of labels (one per row) for each output; scikit-learn
    /// returns them as a 2-D array with a row per input row (a multilabel model's 0 and 1
    /// per label).
    case labelColumns([ClassLabels])
    /// Multi-output probabilities: one matrix per output, as scikit-learn's list of arrays.
    case matrices([Matrix])
}
