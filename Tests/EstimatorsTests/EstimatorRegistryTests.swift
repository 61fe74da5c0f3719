import Estimators
import Pickle
import Testing

/// Objects the registry must refuse, with messages that name the class and attribute.
@Suite struct EstimatorRegistryTests {
    /// A pickled object of class `module.name`, made by the machine itself from opcodes:
    /// STACK_GLOBAL, NEWOBJ and, when `state` is given, BUILD with a dict of it.
    static func object(_ module: String, _ name: String, state: [(String, PickleValue)]?)
        throws -> PickleValue
    {
        func text(_ string: String) -> [UInt8] {
            let bytes = Array(string.utf8)
            return [0x8C, UInt8(bytes.count)] + bytes  // SHORT_BINUNICODE
        }
        var bytes: [UInt8] = [0x80, 0x04] + text(module) + text(name) + [0x93]  // STACK_GLOBAL
        bytes += [0x29, 0x81]  // EMPTY_TUPLE NEWOBJ
        if let state {
            bytes += [0x7D]  // EMPTY_DICT
            for (key, value) in state {
                bytes += text(key)
                switch value {
                case .string(let string): bytes += text(string)
                case .int(let integer): bytes += [0x4B, UInt8(integer)]  // BININT1
                default: bytes += [0x4E]  // NONE
                }
                bytes += [0x73]  // SETITEM
            }
            bytes += [0x62]  // BUILD
        }
        return try PickleMachine().load(bytes + [0x2E])  // STOP
    }

    @Test func aClassFromAnotherLibraryIsNamedAsUnsupported() throws {
        let value = try Self.object("catboost.core", "CatBoostClassifier", state: [])
        #expect {
            try EstimatorRegistry.model(from: value)
        } throws: { error in
            let failure = error as? EstimatorError
            return failure?.code == .unsupportedEstimator
                && failure?.className == "catboost.core.CatBoostClassifier"
        }
    }

    @Test func anUnsupportedEstimatorIsNamedAndPointsToTheList() throws {
        let value = try Self.object(
            "sklearn.manifold._t_sne",
            "TSNE",
            state: [("perplexity", .int(30))]
        )
        #expect {
            try EstimatorRegistry.model(from: value)
        } throws: { error in
            let failure = error as? EstimatorError
            return failure?.code == .unsupportedEstimator
                && failure?.className == "sklearn.manifold._t_sne.TSNE"
                && failure?.description.contains("`augur estimators` lists them") == true
        }
    }

    @Test func aMissingAttributeIsNamed() throws {
        let value = try Self.object(
            "sklearn.linear_model._base",
            "LinearRegression",
            state: [("fit_intercept", .none), ("n_features_in_", .int(4))]
        )
        #expect {
            try EstimatorRegistry.model(from: value)
        } throws: { error in
            let failure = error as? EstimatorError
            return failure?.code == .invalidAttribute && failure?.attribute == "coef_"
        }
    }

    /// The classes the estimator catalog promises (docs/estimators.md lists every class the
    /// registry holds; this pins the ones users rely on, so none is dropped by accident).
    static let promised: [String] = [
        "LinearRegression", "Ridge", "RidgeCV", "Lasso", "LassoCV", "ElasticNet", "ElasticNetCV",
        "LogisticRegression", "LogisticRegressionCV", "SGDClassifier", "SGDRegressor",
        "LinearSVC", "LinearSVR", "Perceptron", "RidgeClassifier", "RidgeClassifierCV",
        "PassiveAggressiveClassifier", "PassiveAggressiveRegressor", "BayesianRidge",
        "ARDRegression", "HuberRegressor", "QuantileRegressor", "PoissonRegressor",
        "GammaRegressor", "TweedieRegressor",
        "DecisionTreeClassifier", "DecisionTreeRegressor", "ExtraTreeClassifier",
        "ExtraTreeRegressor", "RandomForestClassifier", "RandomForestRegressor",
        "ExtraTreesClassifier", "ExtraTreesRegressor", "GradientBoostingClassifier",
        "GradientBoostingRegressor", "HistGradientBoostingClassifier",
        "HistGradientBoostingRegressor", "AdaBoostClassifier", "AdaBoostRegressor",
        "BaggingClassifier", "BaggingRegressor", "IsolationForest", "VotingClassifier",
        "VotingRegressor", "StackingClassifier", "StackingRegressor",
        "StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler", "Normalizer",
        "Binarizer", "PolynomialFeatures", "SplineTransformer", "PowerTransformer",
        "QuantileTransformer", "KBinsDiscretizer", "OneHotEncoder", "OrdinalEncoder",
        "TargetEncoder", "SimpleImputer", "MissingIndicator", "VarianceThreshold", "SelectKBest",
        "SelectPercentile", "SelectFromModel", "RFE", "RFECV", "PCA", "TruncatedSVD",
        "FunctionTransformer",
        "Pipeline", "ColumnTransformer", "FeatureUnion", "TransformedTargetRegressor",
        "GridSearchCV", "RandomizedSearchCV", "MultiOutputClassifier", "MultiOutputRegressor",
        "OneVsRestClassifier", "OneVsOneClassifier",
        "SVC", "NuSVC", "SVR", "NuSVR", "OneClassSVM",
        "GaussianNB", "MultinomialNB", "ComplementNB", "BernoulliNB", "CategoricalNB",
        "LinearDiscriminantAnalysis", "QuadraticDiscriminantAnalysis",
        "KernelRidge", "GaussianProcessRegressor", "GaussianProcessClassifier", "KernelPCA",
        "MLPClassifier", "MLPRegressor", "CalibratedClassifierCV", "IsotonicRegression",
        "FastICA", "NMF", "MiniBatchNMF",
        "XGBClassifier", "XGBRegressor", "XGBRFClassifier", "XGBRFRegressor", "LGBMClassifier",
        "LGBMRegressor", "Booster",
        "KNeighborsClassifier", "KNeighborsRegressor", "RadiusNeighborsClassifier",
        "RadiusNeighborsRegressor", "NearestCentroid",
        "CountVectorizer", "TfidfVectorizer", "HashingVectorizer", "TfidfTransformer",
    ]

    @Test func everyPromisedClassIsRegistered() {
        let missing = Self.promised.filter { !EstimatorRegistry.supportedClassNames.contains($0) }
        #expect(missing.isEmpty, "not registered: \(missing)")
    }
}
