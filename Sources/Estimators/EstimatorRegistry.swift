import Pickle

/// Turns the value graph of a model file into a servable ``Model``, by the scikit-learn
/// class names it knows. Anything else is refused with a message that lists what is
/// supported.
public enum EstimatorRegistry {
    /// How to build one class, and what its page in the README says of it.
    struct Entry: Sendable {
        /// The section of the estimator list, e.g. "Linear models".
        let family: String
        /// Every output the class can have; some depend on how it was fitted (a hinge-loss
        /// `SGDClassifier` has no `predict_proba`), which ``note`` then says.
        let outputs: [ModelOutput]
        let note: String
        /// Whether the class casts its input to float32 before comparing it with
        /// thresholds (trees), so values beyond float32's range are refused.
        let castsInputsToFloat32: Bool
        /// The dtype of `predict`'s labels, for a class whose labels are not its
        /// `classes_` (cluster labels are `int32`); nil to read it from `classes_`.
        let labelDataType: LabelDataType?
        let build: @Sendable (FittedObject, _ depth: Int) throws(EstimatorError) -> Estimator

        init(
            _ family: String,
            _ outputs: [ModelOutput],
            note: String = "",
            castsInputsToFloat32: Bool = false,
            labelDataType: LabelDataType? = nil,
            build:
                @escaping @Sendable (FittedObject, _ depth: Int) throws(EstimatorError)
                -> Estimator
        ) {
            self.family = family
            self.outputs = outputs
            self.note = note
            self.castsInputsToFloat32 = castsInputsToFloat32
            self.labelDataType = labelDataType
            self.build = build
        }
    }

    /// The classes Augur can serve, by class name (module paths moved between
    /// scikit-learn versions; the class names did not). Each family registers its own.
    static let entries: [String: Entry] = {
        var all: [String: Entry] = [:]
        for family in [
            linearEntries, treeEntries, ensembleEntries, preprocessingEntries,
            composeEntries, encoderEntries, baselineEntries, clusterEntries, svmEntries,
            naiveBayesEntries, discriminantEntries, kernelEntries, boosterEntries,
            neuralEntries, calibrationEntries, decompositionEntries,
            neighborsEntries, textEntries,
        ] {
            all.merge(family) { first, _ in preconditionFailure("a class registered twice") }
        }
        return all
    }()

    /// The Python packages whose classes may be served (XGBoost's and LightGBM's wrappers
    /// follow scikit-learn's conventions); a class of any other package is refused by name.
    static let servedPackages = ["sklearn.", "xgboost.", "lightgbm."]

    /// Whether `qualifiedName` (`module.Class`) belongs to a package Augur serves classes of.
    public static func isFromServedPackage(_ qualifiedName: String) -> Bool {
        servedPackages.contains(where: qualifiedName.hasPrefix)
    }

    /// The class names ``model(from:)`` accepts, sorted, for messages and docs.
    public static var supportedClassNames: [String] { entries.keys.sorted() }

    /// What load errors say instead of listing every class: there are too many to read.
    public static var supportedSummary: String {
        "Augur serves \(entries.count) estimator classes; `augur estimators` lists them"
    }

    /// One supported class, as the estimator list in the README shows it.
    public struct Description: Sendable {
        public let className: String
        public let family: String
        public let outputs: [ModelOutput]
        public let note: String
    }

    /// Every supported class, sorted by family and then by name.
    public static var catalog: [Description] {
        entries.map {
            Description(
                className: $0.key,
                family: $0.value.family,
                outputs: $0.value.outputs,
                note: $0.value.note
            )
        }
        .sorted { ($0.family, $0.className) < ($1.family, $1.className) }
    }

    /// Estimators nested deeper than this (pipelines in pipelines) are refused; it also
    /// stops a pipeline that contains itself.
    static let maxNesting = 16

    /// Builds the model held by a model file's value graph.
    public static func model(from root: PickleValue) throws(EstimatorError) -> Model {
        let object = try FittedObject(root)
        try refuseTargetEncoder(object)
        let estimator = try estimator(object)
        let first = try firstStep(of: object)
        let featureNames = try first.featureNames()
        if let featureNames, featureNames.count != estimator.inputWidth {
            throw object.error(
                "feature_names_in_",
                "\(featureNames.count) names for \(estimator.inputWidth) features"
            )
        }
        return Model(
            estimatorClass: object.qualifiedName,
            sklearnVersion: object.string("_sklearn_version"),
            inputWidth: estimator.inputWidth,
            featureNames: featureNames,
            castsInputsToFloat32: entries[first.className]?.castsInputsToFloat32 ?? false,
            estimator: estimator,
            labelDataType: labelDataType(of: object)
        )
    }

    /// Builds one fitted estimator of any kind (a transformer too) to check it, as
    /// ``model(from:)`` builds each part; for reports that look at parts one by one.
    public static func check(_ value: PickleValue) throws(EstimatorError) {
        _ = try estimator(try FittedObject(value))
    }

    static func estimator(_ object: FittedObject, depth: Int = 0) throws(EstimatorError)
        -> Estimator
    {
        guard let build = entries[object.className]?.build
        else {
            throw EstimatorError(
                .unsupportedEstimator,
                className: object.qualifiedName,
                "is not supported; \(supportedSummary)"
            )
        }
        guard depth < maxNesting else {
            throw EstimatorError(
                .invalidAttribute,
                className: object.qualifiedName,
                "estimators nest more than \(maxNesting) deep (does a pipeline contain itself?)"
            )
        }
        let estimator = try build(object, depth)
        try checkDeclaredWidth(object, estimator.inputWidth)
        return estimator
    }

    /// `n_features_in_`, when the object records it, must be the width its weights or
    /// trees were fitted for: rows are checked against one, the model indexes the other.
    static func checkDeclaredWidth(_ object: FittedObject, _ width: Int) throws(EstimatorError) {
        guard object.optional("n_features_in_") != nil else { return }
        let declared = try object.integer("n_features_in_")
        guard declared == width else {
            throw object.error(
                "n_features_in_",
                "is \(declared), but the fitted state takes \(width) features"
            )
        }
    }
}
