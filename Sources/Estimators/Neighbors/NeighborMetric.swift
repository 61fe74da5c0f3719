import Arrays
import Pickle

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A distance of `sklearn.metrics.DistanceMetric`, computed as its Cython code computes it
/// (term by term, in feature order, with libm's `pow`), so that equal distances stay equal
/// and a search keeps the neighbors scikit-learn keeps.
///
/// scikit-learn compares "reduced" distances where it can (the squared distance for
/// euclidean, the sum of powers for minkowski) and converts the few it returns.
enum NeighborMetric: Sendable, Equatable {
    case euclidean
    case manhattan
    case chebyshev
    /// `p` finite, at least 1; `weights` the optional `w`, one per feature.
    case minkowski(p: Double, weights: [Double]?)
    /// Euclidean with each squared difference divided by the feature's `V`.
    case seuclidean(variances: [Double])
    /// `(x-y)ᵀ VI (x-y)` under the root; `inverse` is `VI`, row-major, width × width.
    case mahalanobis(inverse: [Double])
    /// The great-circle angle between two (latitude, longitude) points in radians.
    case haversine

    /// The exponent a KD tree's node bounds are raised to (`dist_metric.p`).
    var exponent: Double {
        switch self {
        case .euclidean: 2
        case .manhattan: 1
        case .chebyshev: .infinity
        case .minkowski(let p, _): p
        // Only the metrics above are used with KD trees.
        case .seuclidean, .mahalanobis, .haversine: 2
        }
    }

    /// `rdist`: the reduced distance between two rows of `width` values.
    func reducedDistance(
        _ left: UnsafePointer<Double>,
        _ right: UnsafePointer<Double>,
        width: Int
    ) -> Double {
        var total = 0.0
        switch self {
        case .euclidean:
            for j in 0..<width {
                let difference = left[j] - right[j]
                total += difference * difference
            }
        case .manhattan:
            for j in 0..<width { total += abs(left[j] - right[j]) }
        case .chebyshev:
            for j in 0..<width { total = fmax(total, abs(left[j] - right[j])) }
        case .minkowski(let p, let weights):
            if let weights {
                for j in 0..<width {
                    total += weights[j] * Foundationless.pow(abs(left[j] - right[j]), p)
                }
            } else {
                for j in 0..<width { total += Foundationless.pow(abs(left[j] - right[j]), p) }
            }
        case .seuclidean(let variances):
            for j in 0..<width {
                let difference = left[j] - right[j]
                total += difference * difference / variances[j]
            }
        case .mahalanobis(let inverse):
            total = withUnsafeTemporaryAllocation(of: Double.self, capacity: width) { buffer in
                for i in 0..<width { buffer[i] = left[i] - right[i] }
                var sum = 0.0
                for i in 0..<width {
                    var row = 0.0
                    for j in 0..<width { row += inverse[i * width + j] * buffer[j] }
                    sum += row * buffer[i]
                }
                return sum
            }
        case .haversine:
            let latitude = sin(0.5 * (left[0] - right[0]))
            let longitude = sin(0.5 * (left[1] - right[1]))
            total = latitude * latitude + cos(left[0]) * cos(right[0]) * longitude * longitude
        }
        return total
    }

    /// `dist`: the distance itself, as `DistanceMetric.dist` computes it.
    func distance(
        _ left: UnsafePointer<Double>,
        _ right: UnsafePointer<Double>,
        width: Int
    ) -> Double {
        distance(fromReduced: reducedDistance(left, right, width: width))
    }

    /// `_rdist_to_dist`.
    func distance(fromReduced reduced: Double) -> Double {
        switch self {
        case .euclidean, .seuclidean, .mahalanobis: reduced.squareRoot()
        case .manhattan, .chebyshev: reduced
        case .minkowski(let p, _): Foundationless.pow(reduced, 1 / p)
        case .haversine: 2 * asin(reduced.squareRoot())
        }
    }

    /// `_dist_to_rdist`.
    func reduced(fromDistance distance: Double) -> Double {
        switch self {
        case .euclidean, .seuclidean, .mahalanobis: distance * distance
        case .manhattan, .chebyshev: distance
        case .minkowski(let p, _): Foundationless.pow(distance, p)
        case .haversine:
            sin(0.5 * distance) * sin(0.5 * distance)
        }
    }

    /// The `DistanceMetric` class that computes the metric (without its 64-bit suffix).
    var className: String {
        switch self {
        case .euclidean: "EuclideanDistance"
        case .manhattan: "ManhattanDistance"
        case .chebyshev: "ChebyshevDistance"
        case .minkowski: "MinkowskiDistance"
        case .seuclidean: "SEuclideanDistance"
        case .mahalanobis: "MahalanobisDistance"
        case .haversine: "HaversineDistance"
        }
    }

    /// The name scikit-learn gives the metric, for messages.
    var name: String {
        switch self {
        case .euclidean: "euclidean"
        case .manhattan: "manhattan"
        case .chebyshev: "chebyshev"
        case .minkowski: "minkowski"
        case .seuclidean: "seuclidean"
        case .mahalanobis: "mahalanobis"
        case .haversine: "haversine"
        }
    }
}

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
                    + "is not supported; supported: euclidean, manhattan, chebyshev, minkowski"
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
        switch name {
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
                let values = try object.reading("effective_metric_params_") {
                    () throws(ArrayError) -> [Double]? in
                    try ArrayDecoder.array(raw)?.doubles()
                }
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
            guard let raw = parameter("V"),
                let variances = try Self.doubles(raw, object),
                variances.count == width, variances.allSatisfy({ $0 > 0 })
            else {
                throw object.error("effective_metric_params_", "V must hold \(width) variances")
            }
            self = .seuclidean(variances: variances)
            known = ["V"]
        case "mahalanobis":
            // Brute force answers mahalanobis through scipy and numpy's partition, whose
            // choice among equidistant rows is not reproduced; the ball tree's walk is.
            guard object.string("_fit_method") == "ball_tree" else {
                throw EstimatorError(
                    .unsupportedOption,
                    className: object.qualifiedName,
                    attribute: "metric",
                    "metric 'mahalanobis' is supported with algorithm='ball_tree' only"
                )
            }
            self = .mahalanobis(inverse: try Self.treeMatrix(object, width: width))
            known = ["V", "VI"]
        case "haversine":
            guard width == 2 else {
                throw object.error("_fit_X", "haversine needs 2 features, found \(width)")
            }
            self = .haversine
            known = []
        default:
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "metric",
                "metric '\(name)' is not supported; supported: euclidean, manhattan, "
                    + "chebyshev, minkowski (with p and w), seuclidean, mahalanobis (ball "
                    + "tree), haversine"
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

    private static func doubles(_ value: PickleValue, _ object: FittedObject)
        throws(EstimatorError) -> [Double]?
    {
        try object.reading("effective_metric_params_") { () throws(ArrayError) -> [Double]? in
            try ArrayDecoder.array(value)?.doubles()
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
