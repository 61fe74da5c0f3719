import Pickle

/// Turns the value graph of a model file into a servable ``Model``, by the scikit-learn
/// class names it knows. Anything else is refused with a message that lists what is
/// supported.
public enum EstimatorRegistry {
    /// The classes Augur can serve, by class name (module paths moved between
    /// scikit-learn versions; the class names did not).
    static let builders:
        [String: @Sendable (FittedObject, _ depth: Int) throws(EstimatorError) -> Estimator] = [
            "LinearRegression": { object, _ throws(EstimatorError) in
                .regressor(try LinearRegressor(object))
            },
            "LogisticRegression": { object, _ throws(EstimatorError) in
                .classifier(try LogisticRegressionClassifier(object))
            },
            "StandardScaler": { object, _ throws(EstimatorError) in
                .transformer(try StandardScaler(object))
            },
            "DecisionTreeClassifier": { object, _ throws(EstimatorError) in
                .classifier(try DecisionTreeClassifier(object))
            },
            "DecisionTreeRegressor": { object, _ throws(EstimatorError) in
                .regressor(try DecisionTreeRegressor(object))
            },
            "RandomForestClassifier": { object, _ throws(EstimatorError) in
                .classifier(try ForestClassifier(object, build: FittedObject.init))
            },
            "RandomForestRegressor": { object, _ throws(EstimatorError) in
                .regressor(try ForestRegressor(object, build: FittedObject.init))
            },
            "Pipeline": { object, depth throws(EstimatorError) in try pipeline(object, depth: depth)
            },
        ]

    /// The class names ``model(from:)`` accepts, sorted, for messages and docs.
    public static var supportedClassNames: [String] { builders.keys.sorted() }

    /// Estimators nested deeper than this (pipelines in pipelines) are refused; it also
    /// stops a pipeline that contains itself.
    static let maxNesting = 16

    /// Classes that cast their input to float32 before comparing it with thresholds.
    static let float32Input: Set<String> = [
        "DecisionTreeClassifier", "DecisionTreeRegressor", "RandomForestClassifier",
        "RandomForestRegressor",
    ]

    /// Builds the model held by a model file's value graph.
    public static func model(from root: PickleValue) throws(EstimatorError) -> Model {
        let object = try FittedObject(root)
        let estimator = try estimator(object)
        if case .transformer = estimator {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                "ends in a transformer; Augur serves models that predict"
            )
        }
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
            castsInputsToFloat32: float32Input.contains(first.className),
            estimator: estimator
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
        guard let build = builders[object.className]
        else {
            throw EstimatorError(
                .unsupportedEstimator,
                className: object.qualifiedName,
                "is not supported; supported: \(supportedClassNames.joined(separator: ", "))"
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

    /// The pipeline's steps other than `None`/`"passthrough"`, in order.
    static func steps(of object: FittedObject) throws(EstimatorError) -> [FittedObject] {
        guard case .list(let list) = try object.value("steps") else {
            throw object.error("steps", "expected a list of (name, estimator) pairs")
        }
        var steps: [FittedObject] = []
        for item in list.items {
            guard case .tuple(let pair) = item, pair.count == 2 else {
                throw object.error("steps", "expected (name, estimator) pairs")
            }
            switch pair[1] {
            case .none, .string("passthrough"): continue
            default: steps.append(try FittedObject(pair[1]))
            }
        }
        return steps
    }

    /// The object whose `feature_names_in_` and input type describe the model's input.
    static func firstStep(of object: FittedObject, depth: Int = 0) throws(EstimatorError)
        -> FittedObject
    {
        guard object.className == "Pipeline", depth < maxNesting,
            let first = try steps(of: object).first
        else {
            return object
        }
        let inner = try firstStep(of: first, depth: depth + 1)
        return object.optional("feature_names_in_") == nil ? inner : object
    }

    private static func pipeline(_ object: FittedObject, depth: Int) throws(EstimatorError)
        -> Estimator
    {
        let steps = try steps(of: object)
        guard let last = steps.last else {
            throw object.error("steps", "the pipeline has no estimator")
        }
        var transformers: [any Transformer] = []
        var width: Int?
        var inputWidth: Int?
        for step in steps.dropLast() {
            guard case .transformer(let transformer) = try estimator(step, depth: depth + 1) else {
                throw EstimatorError(
                    .unsupportedOption,
                    className: step.qualifiedName,
                    "only the last step of a pipeline may be a predictor"
                )
            }
            if let width, width != transformer.inputWidth {
                throw EstimatorError(
                    .invalidAttribute,
                    className: step.qualifiedName,
                    "takes \(transformer.inputWidth) features, the step before gives \(width)"
                )
            }
            inputWidth = inputWidth ?? transformer.inputWidth
            width = transformer.outputWidth
            transformers.append(transformer)
        }
        let final = try estimator(last, depth: depth + 1)
        if let width, width != final.inputWidth {
            throw EstimatorError(
                .invalidAttribute,
                className: last.qualifiedName,
                "takes \(final.inputWidth) features, the step before gives \(width)"
            )
        }
        let pipeline = Pipeline(transformers: transformers)
        let modelWidth = inputWidth ?? final.inputWidth
        switch final {
        case .classifier(let classifier):
            return .classifier(
                PipelineClassifier(pipeline: pipeline, final: classifier, inputWidth: modelWidth)
            )
        case .regressor(let regressor):
            return .regressor(
                PipelineRegressor(pipeline: pipeline, final: regressor, inputWidth: modelWidth)
            )
        case .transformer(let transformer):
            return .transformer(
                PipelineTransformer(
                    pipeline: Pipeline(transformers: transformers + [transformer]),
                    inputWidth: modelWidth,
                    outputWidth: transformer.outputWidth
                )
            )
        }
    }
}
