extension EstimatorRegistry {
    /// Estimators made of other estimators.
    static let composeEntries: [String: Entry] = [
        "Pipeline": Entry(
            "Composition",
            [.predict, .predictProba, .decisionFunction, .transform, .scoreSamples],
            note: "the outputs of its last step (transform when it has one); `None` "
                + "and `\"passthrough\"` steps are skipped"
        ) { object, depth throws(EstimatorError) in try pipeline(object, depth: depth) },
        "ColumnTransformer": Entry(
            "Composition",
            [.transform],
            note: "columns by name, index, mask, slice or `make_column_selector`, as resolved "
                + "at fit time; `remainder` drop, passthrough or an estimator; sparse output "
                + "made dense"
        ) { object, depth throws(EstimatorError) in try columnTransformer(object, depth: depth) },
        "FeatureUnion": Entry("Composition", [.transform], note: "with `transformer_weights`") {
            object,
            depth throws(EstimatorError) in try featureUnion(object, depth: depth)
        },
        "TransformedTargetRegressor": Entry(
            "Composition",
            [.predict],
            note: "`inverse_func` a numpy ufunc (exp, expm1, log, log1p, sqrt) or a fitted "
                + "StandardScaler"
        ) { object, depth throws(EstimatorError) in
            try transformedTargetRegressor(object, depth: depth)
        },
        "GridSearchCV": Entry(
            "Composition",
            ModelOutput.allCases,
            note: "the outputs of `best_estimator_` (needs `refit=True`)"
        ) { object, depth throws(EstimatorError) in try searchBest(object, depth: depth) },
        "RandomizedSearchCV": Entry(
            "Composition",
            ModelOutput.allCases,
            note: "the outputs of `best_estimator_` (needs `refit=True`)"
        ) { object, depth throws(EstimatorError) in try searchBest(object, depth: depth) },
        "MultiOutputClassifier": Entry(
            "Composition",
            [.predict, .predictProba],
            note: "predict_proba when every member has it"
        ) { object, depth throws(EstimatorError) in try multiOutputClassifier(object, depth: depth)
        },
        "MultiOutputRegressor": Entry("Composition", [.predict]) {
            object,
            depth throws(EstimatorError) in try multiOutputRegressor(object, depth: depth)
        },
        "OneVsRestClassifier": Entry(
            "Composition",
            [.predict, .predictProba, .decisionFunction],
            note: "binary, multiclass and multilabel targets; predict_proba and "
                + "decision_function when "
                + "every member has them"
        ) { object, depth throws(EstimatorError) in try oneVsRest(object, depth: depth) },
        "OneVsOneClassifier": Entry("Composition", [.predict, .decisionFunction]) {
            object,
            depth throws(EstimatorError) in try oneVsOne(object, depth: depth)
        },
        "VotingClassifier": Entry(
            "Trees and ensembles",
            [.predict, .predictProba, .transform],
            note: "predict_proba with voting='soft'; transform gives the members' "
                + "probabilities (soft, not served with flatten_transform=False) or their "
                + "encoded labels (hard)"
        ) { object, depth throws(EstimatorError) in try votingClassifier(object, depth: depth) },
        "VotingRegressor": Entry(
            "Trees and ensembles",
            [.predict, .transform],
            note: "transform gives the members' predictions"
        ) { object, depth throws(EstimatorError) in try votingRegressor(object, depth: depth) },
        "StackingClassifier": Entry(
            "Trees and ensembles",
            [.predict, .predictProba, .decisionFunction, .transform],
            note: "the final estimator's outputs; transform gives its input"
        ) { object, depth throws(EstimatorError) in try stackingClassifier(object, depth: depth) },
        "StackingRegressor": Entry(
            "Trees and ensembles",
            [.predict, .transform],
            note: "transform gives the final estimator's input"
        ) { object, depth throws(EstimatorError) in try stackingRegressor(object, depth: depth) },
    ]

    /// Whether `object` (or the estimator that first sees its rows) reads them as float32.
    static func castsInputsToFloat32(_ object: FittedObject) -> Bool {
        let first = (try? firstStep(of: object)) ?? object
        return entries[first.className]?.castsInputsToFloat32 ?? false
    }

    /// A search's refitted best estimator, served as it is.
    static func searchBest(_ object: FittedObject, depth: Int) throws(EstimatorError)
        -> Estimator
    {
        guard object.optional("best_estimator_") != nil else {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "best_estimator_",
                "a search fitted with refit=False has no estimator to serve"
            )
        }
        return try estimator(
            try FittedObject(try object.value("best_estimator_")),
            depth: depth + 1
        )
    }

    /// The estimator inside a wrapper that sees the wrapper's rows first, if any.
    static func innerFirst(of object: FittedObject) throws(EstimatorError) -> FittedObject? {
        switch object.className {
        case "Pipeline": return try steps(of: object).first
        case "GridSearchCV", "RandomizedSearchCV":
            return try object.optional("best_estimator_").map { value throws(EstimatorError) in
                try FittedObject(value)
            }
        case "TransformedTargetRegressor":
            return try FittedObject(try object.value("regressor_"))
        default: return nil
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
        guard depth < maxNesting, let first = try innerFirst(of: object) else {
            return object
        }
        let inner = try firstStep(of: first, depth: depth + 1)
        return object.optional("feature_names_in_") == nil ? inner : object
    }

    /// A pipeline; `width` is the number of features a composite hands it, which fixes the
    /// width of its leading steps when none of its steps records one.
    static func pipeline(_ object: FittedObject, depth: Int, width routedWidth: Int? = nil)
        throws(EstimatorError) -> Estimator
    {
        let steps = try steps(of: object)
        guard let last = steps.last else {
            throw object.error("steps", "the pipeline has no estimator")
        }
        // A FunctionTransformer that recorded no width takes the width of the step before it;
        // a leading one takes that of the first step that records one.
        var built: [Estimator?] = []
        for step in steps {
            built.append(
                ElementwiseFunction.takesAnyWidth(step)
                    ? nil : try estimator(step, depth: depth + 1)
            )
        }
        let leadingWidth = built.lazy.compactMap { $0?.inputWidth }.first ?? routedWidth
        func stepWidth(_ step: FittedObject, after previous: Int?) throws(EstimatorError) -> Int {
            guard let width = previous ?? leadingWidth else {
                throw step.unsupported(
                    "n_features_in_",
                    "absent (written before scikit-learn 1.2 with validate=False), and no "
                        + "other step of the pipeline records its number of features"
                )
            }
            return width
        }
        var transformers: [(name: String, step: any Transformer)] = []
        var width: Int?
        var inputWidth: Int?
        for (step, estimator) in zip(steps, built).dropLast() {
            let transformer: any Transformer
            if let estimator {
                guard let stepTransformer = estimator.transformation else {
                    throw EstimatorError(
                        .unsupportedOption,
                        className: step.qualifiedName,
                        "has no transform; only the last step of a pipeline may lack one"
                    )
                }
                transformer = stepTransformer
            } else {
                transformer = try ElementwiseFunction(
                    step,
                    width: try stepWidth(step, after: width)
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
        let final: Estimator
        if let builtLast = built[built.count - 1] {
            final = builtLast
        } else {
            final = .transformer(
                try ElementwiseFunction(last, width: try stepWidth(last, after: width))
            )
        }
        if let width, width != final.inputWidth {
            throw EstimatorError(
                .invalidAttribute,
                className: last.qualifiedName,
                "takes \(final.inputWidth) features, the step before gives \(width)"
            )
        }
        try Pipeline.checkDenseWidths(transformers, final: final, finalName: last.className)
        let pipeline = Pipeline(
            transformers: transformers,
            finalCastsToFloat32: castsInputsToFloat32(last)
        )
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
