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
    /// The squared euclidean distance, which brute force ranks by its expanded form.
    case squaredEuclidean
    /// `Σ|x-y| / Σ(|x|+|y|)`, zero when both rows are zero.
    case brayCurtis
    /// `Σ |x-y| / (|x|+|y|)`, skipping features where both are zero.
    case canberra
    /// The share of features that differ.
    case hamming
    /// A dissimilarity of the rows read as booleans (nonzero is true).
    case boolean(BooleanDistance)
    /// One minus the correlation of the two rows (brute force only, through scipy).
    case correlation
    /// One minus the dot product of the rows divided by their norms (brute force only).
    case cosine
    /// The euclidean distance over the coordinates both rows have, scaled up to the full
    /// width; NaN when they share none (brute force only).
    case nanEuclidean
    /// Request rows are distances to the training rows; ``NeighborSearch`` reads them
    /// directly, so the row-to-row methods below are never asked for it.
    case precomputed

    /// The exponent a KD tree's node bounds are raised to (`dist_metric.p`).
    var exponent: Double {
        switch self {
        case .euclidean: 2
        case .manhattan: 1
        case .chebyshev: .infinity
        case .minkowski(let p, _): p
        // Only the metrics above are used with KD trees.
        default: 2
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
        case .squaredEuclidean:
            for j in 0..<width {
                let difference = left[j] - right[j]
                total += difference * difference
            }
        case .brayCurtis:
            var denominator = 0.0
            for j in 0..<width {
                total += abs(left[j] - right[j])
                denominator += abs(left[j]) + abs(right[j])
            }
            total = denominator > 0 ? total / denominator : 0
        case .canberra:
            for j in 0..<width {
                let denominator = abs(left[j]) + abs(right[j])
                if denominator > 0 { total += abs(left[j] - right[j]) / denominator }
            }
        case .hamming:
            var unequal = 0
            for j in 0..<width where left[j] != right[j] { unequal += 1 }
            total = Double(unequal) / Double(width)
        case .boolean(let kind):
            total = kind.distance(BooleanCounts(left, right, width: width))
        case .correlation:
            total = CorrelationDistance.distance(left, right, width: width)
        case .cosine:
            total = CosineDistance.distance(left, right, width: width)
        case .nanEuclidean:
            total = NanEuclideanDistance.distance(left, right, width: width)
        case .precomputed:
            total = 0
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
        case .minkowski(let p, _): Foundationless.pow(reduced, 1 / p)
        case .haversine: 2 * asin(reduced.squareRoot())
        // The others' reduced distance is the distance.
        default: reduced
        }
    }

    /// `_dist_to_rdist`.
    func reduced(fromDistance distance: Double) -> Double {
        switch self {
        case .euclidean, .seuclidean, .mahalanobis: distance * distance
        case .minkowski(let p, _): Foundationless.pow(distance, p)
        case .haversine:
            sin(0.5 * distance) * sin(0.5 * distance)
        default: distance
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
        case .squaredEuclidean: "SqEuclideanDistance"
        case .brayCurtis: "BrayCurtisDistance"
        case .canberra: "CanberraDistance"
        case .hamming: "HammingDistance"
        case .boolean(let kind): kind.className
        case .correlation: "correlation"
        case .cosine: "cosine"
        case .nanEuclidean: "nan_euclidean"
        case .precomputed: "precomputed"
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
        case .squaredEuclidean: "sqeuclidean"
        case .brayCurtis: "braycurtis"
        case .canberra: "canberra"
        case .hamming: "hamming"
        case .boolean(let kind): kind.rawValue
        case .correlation: "correlation"
        case .cosine: "cosine"
        case .nanEuclidean: "nan_euclidean"
        case .precomputed: "precomputed"
        }
    }
}
