import Pickle

extension EstimatorRegistry {
    /// XGBoost's and LightGBM's scikit-learn wrappers, and the boosters inside them, which
    /// are also what their own saved model files load as (see `ModelFile`).
    static let boosterEntries: [String: Entry] = {
        let family = "XGBoost and LightGBM"
        let classifier = Entry(
            family,
            [.predict, .predictProba],
            note: "objectives binary:logistic, binary:logitraw, binary:hinge, multi:softprob, "
                + "multi:softmax; gbtree only"
        ) { object, _ throws(EstimatorError) in try .xgboostClassifier(object) }
        let regressor = Entry(
            family,
            [.predict],
            note: "reg:squarederror, reg:logistic, reg:absoluteerror, count:poisson, reg:gamma, "
                + "reg:tweedie and the other single-output objectives; gbtree only"
        ) { object, _ throws(EstimatorError) in
            .regressor(
                try XGBoostRegressor(try XGBoostBooster.inside(object), className: object.name)
            )
        }
        return [
            "XGBClassifier": classifier,
            "XGBRFClassifier": classifier,
            "XGBRegressor": regressor,
            "XGBRFRegressor": regressor,
            "LGBMClassifier": Entry(
                family,
                [.predict, .predictProba, .decisionFunction],
                note: "decision_function is LightGBM 4.7's raw score; no linear_tree"
            ) { object, _ throws(EstimatorError) in try .lightGBMClassifier(object) },
            "LGBMRegressor": Entry(family, [.predict], note: "no linear_tree") {
                object,
                _ throws(EstimatorError) in
                .regressor(
                    try LightGBMRegressor(
                        try LightGBMBooster.inside(object),
                        className: object.name
                    )
                )
            },
            "Booster": Entry(
                family,
                [.predict, .predictProba, .decisionFunction],
                note: "a saved model file (XGBoost .json/.ubj, LightGBM .txt): a classifier for "
                    + "binary:logistic, multi:softprob, multi:softmax, binary, multiclass and "
                    + "multiclassova (LightGBM's with decision_function), else a regressor"
            ) { object, _ throws(EstimatorError) in try .savedBooster(object) },
        ]
    }()
}

extension Estimator {
    fileprivate static func xgboostClassifier(_ object: FittedObject) throws(EstimatorError)
        -> Estimator
    {
        let booster = try XGBoostBooster.inside(object)
        return .classifier(
            try XGBoostClassifier(
                booster,
                classCount: try object.integer("n_classes_"),
                className: object.name
            )
        )
    }

    fileprivate static func lightGBMClassifier(_ object: FittedObject) throws(EstimatorError)
        -> Estimator
    {
        let booster = try LightGBMBooster.inside(object)
        return .classifier(
            try LightGBMClassifier(
                booster,
                classes: try object.classLabels("_classes"),
                className: object.name
            )
        )
    }

    /// A booster on its own: what XGBoost's or LightGBM's `save_model` wrote. Classification
    /// objectives serve as classifiers of classes `0..<n`, the rest as regressors.
    fileprivate static func savedBooster(_ object: FittedObject) throws(EstimatorError)
        -> Estimator
    {
        if object.qualifiedName.hasPrefix("xgboost.") {
            let booster = try XGBoostBooster(object)
            switch booster.objective {
            case .logistic("binary:logistic"), .softprob, .softmax:
                let classes = booster.objective.isMulticlass ? booster.groupCount : 2
                return .classifier(
                    try XGBoostClassifier(booster, classCount: classes, className: object.name)
                )
            default:
                return .regressor(try XGBoostRegressor(booster, className: object.name))
            }
        }
        if object.qualifiedName.hasPrefix("lightgbm.") {
            let booster = try LightGBMBooster(object)
            switch booster.objective {
            case .binary, .multiclass, .multiclassOneVsAll:
                let count = Int64(booster.objective.classCount ?? 2)
                return .classifier(
                    try LightGBMClassifier(
                        booster,
                        classes: .integers(Array(0..<count)),
                        className: object.name
                    )
                )
            default:
                return .regressor(try LightGBMRegressor(booster, className: object.name))
            }
        }
        throw EstimatorError(
            .unsupportedEstimator,
            className: object.qualifiedName,
            "is not supported; \(EstimatorRegistry.supportedSummary)"
        )
    }
}

extension XGBoostBooster {
    /// The booster a pickled `xgboost.core.Booster` holds as `handle` bytes.
    init(_ object: FittedObject) throws(EstimatorError) {
        guard case .bytes(let raw) = try object.value("handle") else {
            throw object.error("handle", "expected the model's bytes")
        }
        try self.init(bytes: raw, className: object.qualifiedName)
    }

    /// The booster of an `XGBClassifier`/`XGBRegressor`; refuses a `missing` other than NaN.
    static func inside(_ wrapper: FittedObject) throws(EstimatorError) -> XGBoostBooster {
        if let missing = wrapper.optional("missing") {
            guard case .float(let value) = missing, value.isNaN else {
                throw EstimatorError(
                    .unsupportedOption,
                    className: wrapper.qualifiedName,
                    attribute: "missing",
                    "only missing=nan (the default) is supported"
                )
            }
        }
        return try XGBoostBooster(try FittedObject(try wrapper.value("_Booster")))
    }
}

extension LightGBMBooster {
    /// The booster a pickled `lightgbm.basic.Booster` holds as `_handle` text, limited to
    /// its `best_iteration` as `Booster.predict` is.
    init(_ object: FittedObject) throws(EstimatorError) {
        guard case .string(let text) = try object.value("_handle") else {
            throw object.error("_handle", "expected the model text")
        }
        var best = 0
        if case .int(let value)? = object.optional("best_iteration") { best = Int(value) }
        try self.init(text: text, bestIteration: best, className: object.qualifiedName)
    }

    /// The booster of an `LGBMClassifier`/`LGBMRegressor`, checked against its width.
    static func inside(_ wrapper: FittedObject) throws(EstimatorError) -> LightGBMBooster {
        let booster = try LightGBMBooster(try FittedObject(try wrapper.value("_Booster")))
        if wrapper.optional("_n_features") != nil {
            let width = try wrapper.integer("_n_features")
            guard width == booster.featureCount else {
                throw wrapper.error(
                    "_n_features",
                    "is \(width), but the booster takes \(booster.featureCount) features"
                )
            }
        }
        return booster
    }
}

extension FittedObject {
    /// The qualified class name, for booster errors.
    fileprivate var name: String { qualifiedName }
}
