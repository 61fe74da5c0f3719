extension EstimatorRegistry {
    /// Estimators made of other estimators.
    static let composeEntries: [String: Entry] = [
        "Pipeline": Entry(
            "Composition",
            [.predict, .predictProba, .decisionFunction, .transform, .scoreSamples],
            note: "the outputs of its last step; `None` and `\"passthrough\"` steps are skipped"
        ) { object, depth throws(EstimatorError) in try pipeline(object, depth: depth) }
    ]

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

    static func pipeline(_ object: FittedObject, depth: Int) throws(EstimatorError)
        -> Estimator
    {
        let steps = try steps(of: object)
        guard let last = steps.last else {
            throw object.error("steps", "the pipeline has no estimator")
        }
        var transformers: [(name: String, step: any Transformer)] = []
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
            transformers.append((step.className, transformer))
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
                PipelineClassifier(
                    pipeline: pipeline,
                    final: classifier,
                    finalName: last.className,
                    inputWidth: modelWidth
                )
            )
        case .regressor(let regressor):
            return .regressor(
                PipelineRegressor(
                    pipeline: pipeline,
                    final: regressor,
                    finalName: last.className,
                    inputWidth: modelWidth
                )
            )
        case .transformer(let transformer):
            return .transformer(
                PipelineTransformer(
                    pipeline: Pipeline(
                        transformers: transformers + [(last.className, transformer)]
                    ),
                    inputWidth: modelWidth,
                    outputWidth: transformer.outputWidth
                )
            )
        case .multiOutputClassifier(let classifier):
            return .multiOutputClassifier(
                PipelineMultiOutputClassifier(
                    pipeline: pipeline,
                    final: classifier,
                    finalName: last.className,
                    inputWidth: modelWidth
                )
            )
        case .outlierDetector(let detector):
            return .outlierDetector(
                PipelineOutlierDetector(
                    pipeline: pipeline,
                    final: detector,
                    finalName: last.className,
                    inputWidth: modelWidth
                )
            )
        }
    }
}
