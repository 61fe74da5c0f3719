extension EstimatorRegistry {
    /// Scalers, imputers, feature selectors and decompositions: steps that `transform`.
    static let preprocessingEntries: [String: Entry] = [
        "StandardScaler": transformer { object throws(EstimatorError) in
            .transformer(try Scalers.standard(object))
        },
        "MinMaxScaler": transformer { object throws(EstimatorError) in
            .transformer(try Scalers.minMax(object))
        },
        "MaxAbsScaler": transformer { object throws(EstimatorError) in
            .transformer(try Scalers.maxAbs(object))
        },
        "RobustScaler": transformer { object throws(EstimatorError) in
            .transformer(try Scalers.robust(object))
        },
        "Normalizer": transformer { object throws(EstimatorError) in
            .transformer(try Normalizer(object))
        },
        "Binarizer": transformer { object throws(EstimatorError) in
            .transformer(try Binarizer(object))
        },
        "PolynomialFeatures": transformer { object throws(EstimatorError) in
            .transformer(try PolynomialFeatures(object))
        },
        "FunctionTransformer": transformer(
            note: "when `func` is None or a numpy ufunc (log1p, expm1, log, exp, sqrt, "
                + "absolute, square, negative, reciprocal, tanh), without `kw_args`; one "
                + "fitted before 1.2 with `validate=False` only inside a Pipeline, "
                + "ColumnTransformer or FeatureUnion"
        ) { object throws(EstimatorError) in .transformer(try ElementwiseFunction(object)) },
        "SplineTransformer": transformer(note: "`sparse_output=True` is served dense") {
            object throws(EstimatorError) in
            .transformer(try SplineTransformer(object))
        },
        "PowerTransformer": transformer { object throws(EstimatorError) in
            .transformer(try PowerTransformer(object))
        },
        "QuantileTransformer": transformer { object throws(EstimatorError) in
            .transformer(try QuantileTransformer(object))
        },
        "KBinsDiscretizer": transformer(note: "`encode='onehot'` is served dense") {
            object throws(EstimatorError) in
            .transformer(try KBinsDiscretizer(object))
        },
        "SimpleImputer": transformer(note: "numeric columns") { object throws(EstimatorError) in
            .transformer(try SimpleImputer(object))
        },
        "MissingIndicator": transformer(note: "flags served as 0 and 1") {
            object throws(EstimatorError) in
            .transformer(try MissingIndicator(object))
        },
        "PCA": Entry(
            "Preprocessing",
            [.transform, .scoreSamples],
            note: "score_samples, the probabilistic PCA log-likelihood, unless the covariance "
                + "is singular"
        ) { object, _ throws(EstimatorError) in .transformer(try PrincipalComponents(object)) },
        "TruncatedSVD": transformer { object throws(EstimatorError) in
            .transformer(try LinearProjection(object, centred: false))
        },
        "VarianceThreshold": transformer { object throws(EstimatorError) in
            .transformer(
                ColumnSelector(
                    support: try SupportMask.varianceThreshold(object),
                    acceptsMissing: true
                )
            )
        },
        "SelectKBest": transformer { object throws(EstimatorError) in
            .transformer(
                ColumnSelector(support: try SupportMask.kBest(object), acceptsMissing: false)
            )
        },
        "SelectPercentile": transformer { object throws(EstimatorError) in
            .transformer(
                ColumnSelector(support: try SupportMask.percentile(object), acceptsMissing: false)
            )
        },
        "SelectFpr": transformer { object throws(EstimatorError) in
            .transformer(
                ColumnSelector(
                    support: try SupportMask.pValues(object, .fpr),
                    acceptsMissing: false
                )
            )
        },
        "SelectFdr": transformer { object throws(EstimatorError) in
            .transformer(
                ColumnSelector(
                    support: try SupportMask.pValues(object, .fdr),
                    acceptsMissing: false
                )
            )
        },
        "SelectFwe": transformer { object throws(EstimatorError) in
            .transformer(
                ColumnSelector(
                    support: try SupportMask.pValues(object, .fwe),
                    acceptsMissing: false
                )
            )
        },
        "GenericUnivariateSelect": transformer { object throws(EstimatorError) in
            .transformer(
                ColumnSelector(support: try SupportMask.generic(object), acceptsMissing: false)
            )
        },
        "SelectFromModel": Entry(
            "Preprocessing",
            [.transform],
            note: "estimators with `coef_`, decision trees and forests; `importance_getter='auto'`"
        ) { object, depth throws(EstimatorError) in
            .transformer(
                ColumnSelector(
                    support: try SupportMask.fromModel(object),
                    acceptsMissing: SupportMask.estimatorAcceptsMissing(object, depth: depth)
                )
            )
        },
        "RFE": Entry(
            "Preprocessing",
            [.predict, .predictProba, .decisionFunction, .transform],
            note: recursiveEliminationNote
        ) { object, depth throws(EstimatorError) in
            try recursiveElimination(object, depth: depth)
        },
        "RFECV": Entry(
            "Preprocessing",
            [.predict, .predictProba, .decisionFunction, .transform],
            note: recursiveEliminationNote
        ) { object, depth throws(EstimatorError) in
            try recursiveElimination(object, depth: depth)
        },
    ]

    private static let recursiveEliminationNote =
        "`transform` selects the columns; the other outputs are those of its `estimator_` "
        + "on the selected columns"

    /// An entry for a class that only transforms.
    private static func transformer(
        note: String = "",
        _ build: @escaping @Sendable (FittedObject) throws(EstimatorError) -> Estimator
    ) -> Entry {
        Entry("Preprocessing", [.transform], note: note) { object, _ throws(EstimatorError) in
            try build(object)
        }
    }
}
