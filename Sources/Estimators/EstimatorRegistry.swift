import Pickle

/// Turns the value graph of a model file into a servable ``Model``, by the scikit-learn
/// class names it knows. Anything else is refused with a message that lists what is
/// supported.
public enum EstimatorRegistry {
    /// The classes Augur can serve, by class name (module paths moved between
    /// scikit-learn versions; the class names did not).
    static let builders: [String: @Sendable (FittedObject) throws(EstimatorError) -> Estimator] = [
        "LinearRegression": { object throws(EstimatorError) in
            .regressor(try LinearRegressor(object))
        },
        "LogisticRegression": { object throws(EstimatorError) in
            .classifier(try LogisticRegressionClassifier(object))
        },
        "StandardScaler": { object throws(EstimatorError) in
            .transformer(try StandardScaler(object))
        },
        "DecisionTreeClassifier": { object throws(EstimatorError) in
            .classifier(try DecisionTreeClassifier(object))
        },
        "DecisionTreeRegressor": { object throws(EstimatorError) in
            .regressor(try DecisionTreeRegressor(object))
        },
        "RandomForestClassifier": { object throws(EstimatorError) in
            .classifier(try ForestClassifier(object, build: FittedObject.init))
        },
        "RandomForestRegressor": { object throws(EstimatorError) in
            .regressor(try ForestRegressor(object, build: FittedObject.init))
        },
        "Pipeline": { object throws(EstimatorError) in try pipeline(object) },
    ]

    /// The class names ``model(from:)`` accepts, sorted, for messages and docs.
    public static var supportedClassNames: [String] { builders.keys.sorted() }

    /// Builds the model held by a model file's value graph.
    public static func model(from root: PickleValue) throws(EstimatorError) -> Model {
        let object = try FittedObject(root)
        let estimator = try estimator(object)
        let featureNames = try firstStep(of: object).featureNames()
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
            estimator: estimator
        )
    }

    static func estimator(_ object: FittedObject) throws(EstimatorError) -> Estimator {
        guard let build = builders[object.className]
        else {
            throw EstimatorError(
                .unsupportedEstimator,
                className: object.qualifiedName,
                "is not supported; supported: \(supportedClassNames.joined(separator: ", "))"
            )
        }
        return try build(object)
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

    /// The object whose `feature_names_in_` describes the model's input.
    static func firstStep(of object: FittedObject) throws(EstimatorError) -> FittedObject {
        guard object.className == "Pipeline", object.optional("feature_names_in_") == nil else {
            return object
        }
        return try steps(of: object).first.map(firstStep(of:)) ?? object
    }

    private static func pipeline(_ object: FittedObject) throws(EstimatorError) -> Estimator {
        let steps = try steps(of: object)
        guard let last = steps.last else {
            throw object.error("steps", "the pipeline has no estimator")
        }
        var transformers: [any Transformer] = []
        var width: Int?
        var inputWidth: Int?
        for step in steps.dropLast() {
            guard case .transformer(let transformer) = try estimator(step) else {
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
        let final = try estimator(last)
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
