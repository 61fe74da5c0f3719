import Arrays
import Pickle

extension NeighborMetric {
    /// The metric of a fitted neighbors estimator: `effective_metric_` with
    /// `effective_metric_params_`, which `fit` has already reduced (minkowski with p=2 is
    /// euclidean, and so on). Anything else, a callable included, is refused by name.
    init(_ object: FittedObject, width: Int) throws(EstimatorError) {
        let raw = try object.value("effective_metric_")
        guard case .string(let name) = raw else {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "metric",
                "a metric given as \(raw.kindName) (a callable or a DistanceMetric object) "
                    + "is not supported; supported: "
                    + Self.supportedNames.joined(separator: ", ")
            )
        }
        let params = object.optional("effective_metric_params_")
        var entries: [(key: String, value: PickleValue)] = []
        if case .dict(let dict)? = params {
            for entry in dict.entries {
                guard case .string(let key) = entry.key else { continue }
                if case .none = entry.value { continue }
                entries.append((key, entry.value))
            }
        }
        func parameter(_ key: String) -> PickleValue? {
            entries.last { $0.key == key }?.value
        }
        let known: Set<String>
        switch Optional(name) {
        case "euclidean", "l2":
            self = .euclidean
            known = []
        case "manhattan", "cityblock", "l1":
            self = .manhattan
            known = []
        case "chebyshev", "infinity":
            self = .chebyshev
            known = []
        case "minkowski", "p":
            var p = try object.number("p")
            if let given = try Self.number(parameter("p"), object) { p = given }
            guard p >= 1, p.isFinite else {
                throw EstimatorError(
                    .unsupportedOption,
                    className: object.qualifiedName,
                    attribute: "p",
                    "minkowski with p=\(p) is not supported (p must be finite and at least 1)"
                )
            }
            var weights: [Double]?
            if let raw = parameter("w") {
                let values = try Self.doubles(raw, object)
                guard let values, values.count == width, values.allSatisfy({ $0 >= 0 }) else {
                    throw object.error(
                        "effective_metric_params_",
                        "w must hold \(width) non-negative weights"
                    )
                }
                weights = values
            }
            if weights == nil, p == 1 {
                self = .manhattan
            } else if weights == nil, p == 2 {
                self = .euclidean
            } else {
                self = .minkowski(p: p, weights: weights)
            }
            known = ["p", "w"]
        case "seuclidean":
            guard let raw = parameter("V") else {
                throw Self.unpredictable(object, "seuclidean", "V")
            }
            guard let variances = try Self.doubles(raw, object), variances.count == width,
                variances.allSatisfy({ $0 > 0 })
            else {
                throw object.error("effective_metric_params_", "V must hold \(width) variances")
            }
            self = .seuclidean(variances: variances)
            known = ["V"]
        case "mahalanobis":
            guard object.string("_fit_method") == "ball_tree" else {
                // Brute force hands `VI` to scipy's cdist; given only `V`, scikit-learn's
                // own search fails.
                guard let raw = parameter("VI") else {
                    throw Self.unpredictable(object, "mahalanobis", "VI")
                }
                guard let inverse = try Self.doubles(raw, object), inverse.count == width * width
                else {
                    throw object.error(
                        "effective_metric_params_",
                        "VI must hold a \(width) × \(width) matrix"
                    )
                }
                self = .mahalanobis(inverse: inverse)
                known = ["V", "VI"]
                break
            }
            self = .mahalanobis(inverse: try Self.treeMatrix(object, width: width))
            known = ["V", "VI"]
        case "haversine":
            guard width == 2 else {
                throw object.error("_fit_X", "haversine needs 2 features, found \(width)")
            }
            self = .haversine
            known = []
        case "sqeuclidean":
            self = .squaredEuclidean
            known = []
        case "braycurtis":
            self = .brayCurtis
            known = []
        case "canberra":
            self = .canberra
            known = []
        case "hamming":
            self = .hamming
            known = []
        case "precomputed":
            self = .precomputed
            known = []
        case "correlation":
            self = .correlation
            known = []
        case let name? where BooleanDistance(rawValue: name) != nil:
            self = .boolean(BooleanDistance(rawValue: name)!)
            known = []
        case "cosine":
            try Self.requireBrute(object, name)
            self = .cosine
            known = []
        case "nan_euclidean":
            try Self.requireBrute(object, name)
            self = .nanEuclidean
            known = []
        default:
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "metric",
                "metric '\(name)' is not supported; supported: "
                    + Self.supportedNames.joined(separator: ", ")
            )
        }
        if let unknown = entries.first(where: { !known.contains($0.key) }) {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "metric_params",
                "parameter '\(unknown.key)' of metric '\(name)' is not supported"
            )
        }
    }

    /// A model whose metric misses the parameter scikit-learn's own search needs: it fails
    /// to predict (the parameter is derived only when both sides are the training rows).
    private static func unpredictable(_ object: FittedObject, _ metric: String, _ key: String)
        -> EstimatorError
    {
        EstimatorError(
            .unsupportedOption,
            className: object.qualifiedName,
            attribute: "metric_params",
            "metric '\(metric)' without \(key) in metric_params is not supported: "
                + "scikit-learn itself cannot predict with it"
        )
    }

    /// Refuses a metric that only brute force computes when the model holds another search
    /// (scikit-learn refuses to fit one, so only an altered file can).
    private static func requireBrute(_ object: FittedObject, _ metric: String)
        throws(EstimatorError)
    {
        guard object.string("_fit_method") != "brute" else { return }
        throw EstimatorError(
            .unsupportedOption,
            className: object.qualifiedName,
            attribute: "algorithm",
            "metric '\(metric)' is supported with brute force only"
        )
    }

    /// The metric names served, for messages.
    static let supportedNames =
        [
            "euclidean", "manhattan", "chebyshev", "minkowski (with p and w)",
            "seuclidean (with V)", "mahalanobis (VI, or V with a ball tree)", "haversine",
            "sqeuclidean", "braycurtis", "canberra", "hamming", "correlation (brute force)",
            "cosine (brute force)", "nan_euclidean (brute force)", "precomputed",
        ] + BooleanDistance.allCases.map(\.rawValue)

    private static func doubles(_ value: PickleValue, _ object: FittedObject)
        throws(EstimatorError) -> [Double]?
    {
        try object.reading("effective_metric_params_") { () throws(ArrayError) -> [Double]? in
            try ArrayDecoder.numbers(value)
        }
    }

    /// `VI` as the fitted tree's `DistanceMetric` holds it (its state is `(p, vec, mat)`),
    /// the matrix its searches multiply by.
    private static func treeMatrix(_ object: FittedObject, width: Int) throws(EstimatorError)
        -> [Double]
    {
        guard case .object(let tree) = try object.value("_tree"),
            case .tuple(let state)? = tree.state,
            state.count >= 12, case .object(let metric) = state[11],
            case .tuple(let metricState)? = metric.state, metricState.count >= 3
        else {
            throw object.error("_tree", "the tree does not hold a pickled DistanceMetric")
        }
        let matrix = try object.reading("_tree") { () throws(ArrayError) -> [Double]? in
            try ArrayDecoder.array(metricState[2])?.doubles()
        }
        guard let matrix, matrix.count == width * width else {
            throw object.error("_tree", "the mahalanobis matrix does not fit \(width) features")
        }
        return matrix
    }

    private static func number(_ value: PickleValue?, _ object: FittedObject)
        throws(EstimatorError) -> Double?
    {
        guard let value else { return nil }
        let number = try object.reading("effective_metric_params_") {
            () throws(ArrayError) in try ArrayDecoder.number(value)
        }
        guard let number else {
            throw object.error("effective_metric_params_", "p is not a number")
        }
        return number
    }
}
