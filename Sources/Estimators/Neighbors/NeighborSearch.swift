import Arrays

/// The fitted search of a neighbors estimator: brute force over `_fit_X`, or the pickled
/// KD tree or ball tree (`_fit_method`). Each answers as scikit-learn's code for that
/// method answers, equidistant points included.
struct NeighborSearch: Sendable {
    enum Method: Sendable {
        /// scikit-learn's pairwise-distance reductions (`ArgKmin`, `RadiusNeighbors`):
        /// every training row pushed in order into a heap.
        case brute
        /// `pairwise_distances_chunked` with numpy: each row's distances to every training
        /// row, the k nearest chosen by `argpartition` (numpy 1's introselect, which numpy 2
        /// also runs where its SIMD sorting is unavailable), the rows within a radius taken
        /// in index order.
        case pairwise
        case tree(BinaryTree)
    }

    /// `_fit_X`, row-major.
    let points: [Double]
    let count: Int
    let width: Int
    let metric: NeighborMetric
    let method: Method
    /// Whether brute force ranks rows by the expanded squared euclidean distance
    /// `‖x‖² - 2x·y + ‖y‖²` (scikit-learn's GEMM-based euclidean reductions, used when
    /// `effective_metric_` is exactly "euclidean") rather than by the metric itself.
    let expandsEuclidean: Bool
    /// `‖y‖²` of each training row, for ``expandsEuclidean``.
    let squaredNorms: [Double]
    /// Whether every `‖y‖²` is finite, which screening needs.
    let normsAreFinite: Bool
    /// For correlation, each training row centred on its mean, and the centred rows' norms.
    let centeredPoints: [Double]
    let centeredNorms: [Double]
    /// For cosine, each training row divided by its norm.
    let normalizedPoints: [Double]
    /// Whether rows may hold missing values: nan_euclidean models of scikit-learn 1.6 and
    /// later, whose searches accept NaN (earlier ones refuse it in `kneighbors`).
    let acceptsMissing: Bool

    init(
        points: [Double],
        width: Int,
        metric: NeighborMetric,
        method: Method,
        metricName: String,
        acceptsMissing: Bool = false
    ) {
        self.acceptsMissing = acceptsMissing
        self.points = points
        self.width = width
        count = points.count / width
        self.metric = metric
        self.method = method
        expandsEuclidean = metricName == "euclidean" && metric == .euclidean
        if expandsEuclidean, case .brute = method {
            squaredNorms = Self.mapRows(points, width) { Self.squaredNorm($0, width) }
        } else {
            squaredNorms = []
        }
        normsAreFinite = squaredNorms.allSatisfy(\.isFinite)
        if metric == .correlation {
            let centered = Array(
                Self.mapRows(points, width) { CorrelationDistance.centered($0, width) }.joined()
            )
            centeredNorms = Self.mapRows(centered, width) { CorrelationDistance.norm($0, width) }
            centeredPoints = centered
        } else {
            centeredPoints = []
            centeredNorms = []
        }
        normalizedPoints =
            metric == .cosine
            ? Array(Self.mapRows(points, width) { CosineDistance.normalized($0, width) }.joined())
            : []
    }

    /// `transform` of each row of the row-major `rows`, `width` values each.
    private static func mapRows<Result>(
        _ rows: [Double],
        _ width: Int,
        _ transform: (UnsafePointer<Double>) -> Result
    ) -> [Result] {
        rows.withUnsafeBufferPointer { rows in
            (0..<(rows.count / width)).map { transform(rows.baseAddress! + $0 * width) }
        }
    }

    /// `‖x‖²` as OpenBLAS's `ddot` computes it on x86-64 (its Haswell kernel, which
    /// scikit-learn's squared row norms call): blocks of 16 into four vectors of four
    /// fused multiply-add lanes, reduced pairwise, then the remainder one product at a
    /// time without fusing.
    static func squaredNorm(_ row: UnsafePointer<Double>, _ width: Int) -> Double {
        let blocked = width & ~15
        var total = 0.0
        if blocked > 0 {
            var lanes = [Double](repeating: 0, count: 16)
            for start in stride(from: 0, to: blocked, by: 16) {
                for lane in 0..<16 {
                    lanes[lane].addProduct(row[start + lane], row[start + lane])
                }
            }
            // Each vector's halves, then the four vectors, then the two lanes left.
            var halves = [Double](repeating: 0, count: 8)
            for vector in 0..<4 {
                for lane in 0..<2 {
                    halves[vector * 2 + lane] =
                        lanes[vector * 4 + lane] + lanes[vector * 4 + lane + 2]
                }
            }
            let low = (halves[0] + halves[2]) + (halves[4] + halves[6])
            let high = (halves[1] + halves[3]) + (halves[5] + halves[7])
            total = low + high
        }
        for j in blocked..<width { total += row[j] * row[j] }
        return total
    }

    /// A dot product accumulated in order with fused multiply-adds, as OpenBLAS's `dgemm`
    /// kernels accumulate each entry of scikit-learn's `-2 X·Yᵀ`.
    @inline(__always)
    static func dot(_ left: UnsafePointer<Double>, _ right: UnsafePointer<Double>, _ width: Int)
        -> Double
    {
        var total = 0.0
        for j in 0..<width { total.addProduct(left[j], right[j]) }
        return total
    }

    /// The reduced distance brute force ranks training row `row` by.
    @inline(__always)
    func bruteReduced(
        _ point: UnsafePointer<Double>,
        _ pointNorm: Double,
        _ points: UnsafePointer<Double>,
        _ row: Int
    ) -> Double {
        let other = points + row * width
        guard expandsEuclidean else { return metric.reducedDistance(point, other, width: width) }
        let expanded = (pointNorm + -2 * Self.dot(point, other, width)) + squaredNorms[row]
        // Cancellation may leave a tiny negative value; scikit-learn clips it to zero.
        return expanded > 0 ? expanded : 0
    }

    /// The `k` nearest training rows of `point`, nearest first, with their distances
    /// (`kneighbors`). A row farther than every finite distance keeps the heap's
    /// placeholders, as scikit-learn does: row 0, at `DBL_MAX` for brute force and at
    /// infinity for trees.
    func nearest(_ point: UnsafePointer<Double>, count k: Int) -> [(distance: Double, index: Int)] {
        let heap: NeighborHeap
        switch method {
        case .tree(let tree):
            heap = tree.nearest(point, count: k)
        case .pairwise:
            let distances = pairwiseDistances(point)
            let chosen = NumpyPartition.argpartition(distances, kth: k - 1)[..<k]
            return Self.argsorted(chosen.map { (distances[$0], $0) })
        case .brute:
            if let screened = screenedNearest(point, count: k) { return screened }
            var brute = NeighborHeap(size: k, empty: .greatestFiniteMagnitude)
            let norm = expandsEuclidean ? Self.squaredNorm(point, width) : 0
            points.withUnsafeBufferPointer { points in
                for row in 0..<count {
                    brute.push(bruteReduced(point, norm, points.baseAddress!, row), row)
                }
            }
            heap = brute
        }
        return heap.sorted().map { pair in
            // Rounding below zero is clamped; NaN (a boolean metric's 0/0) is kept, as
            // scikit-learn keeps it, and makes a distance-weighted answer NaN.
            let distance = metric.distance(fromReduced: pair.distance < 0 ? 0 : pair.distance)
            return (distance, pair.index)
        }
    }

    /// The k nearest in the order numpy's `argsort` leaves them, NaN (nan_euclidean with
    /// no shared coordinate) last. Up to 17 values its quicksort is an insertion sort, so
    /// equal distances keep argpartition's order, which decides the order weights are
    /// summed in; beyond, equal distances are taken in index order.
    static func argsorted(_ chosen: [(distance: Double, index: Int)])
        -> [(distance: Double, index: Int)]
    {
        func less(_ left: Double, _ right: Double) -> Bool {
            left < right || (right.isNaN && !left.isNaN)
        }
        guard chosen.count <= 17 else {
            return chosen.sorted {
                less($0.distance, $1.distance)
                    || (!less($1.distance, $0.distance) && $0.index < $1.index)
            }
        }
        var sorted = chosen
        for position in sorted.indices.dropFirst() {
            let item = sorted[position]
            var slot = position
            while slot > 0, less(item.distance, sorted[slot - 1].distance) {
                sorted[slot] = sorted[slot - 1]
                slot -= 1
            }
            sorted[slot] = item
        }
        return sorted
    }

    /// Every training row within `radius` of `point`, with its distance
    /// (`radius_neighbors`), in the order scikit-learn finds them.
    func within(_ point: UnsafePointer<Double>, radius: Double) -> [(distance: Double, index: Int)]
    {
        switch method {
        case .tree(let tree):
            return tree.within(point, radius: radius)
        case .pairwise:
            let distances = pairwiseDistances(point)
            return distances.indices.filter { distances[$0] <= radius }.map {
                (distances[$0], $0)
            }
        case .brute:
            if let screened = screenedWithin(point, radius: radius) { return screened }
            let bound = metric.reduced(fromDistance: radius)
            let norm = expandsEuclidean ? Self.squaredNorm(point, width) : 0
            var found: [(distance: Double, index: Int)] = []
            points.withUnsafeBufferPointer { points in
                for row in 0..<count {
                    let reduced = bruteReduced(point, norm, points.baseAddress!, row)
                    if reduced <= bound {
                        found.append((metric.distance(fromReduced: reduced), row))
                    }
                }
            }
            return found
        }
    }
}

extension NeighborSearch {
    /// A row's distance to every training row, as `pairwise_distances` gives them: for
    /// `precomputed` the row itself.
    func pairwiseDistances(_ point: UnsafePointer<Double>) -> [Double] {
        if metric == .precomputed { return Array(UnsafeBufferPointer(start: point, count: count)) }
        if metric == .correlation { return correlations(point) }
        if metric == .cosine { return cosines(point) }
        if case .mahalanobis(let inverse) = metric {
            return points.withUnsafeBufferPointer { points in
                (0..<count).map {
                    ScipyMahalanobis.distance(
                        point,
                        points.baseAddress! + $0 * width,
                        inverse: inverse,
                        width: width
                    )
                }
            }
        }
        return points.withUnsafeBufferPointer { points in
            (0..<count).map {
                metric.distance(point, points.baseAddress! + $0 * width, width: width)
            }
        }
    }

    /// The correlation distances of a row to every training row, the row centred once.
    private func correlations(_ point: UnsafePointer<Double>) -> [Double] {
        let centered = CorrelationDistance.centered(point, width)
        return centered.withUnsafeBufferPointer { centered in
            let norm = CorrelationDistance.norm(centered.baseAddress!, width)
            return centeredPoints.withUnsafeBufferPointer { points in
                (0..<count).map { row in
                    CorrelationDistance.distance(
                        centered.baseAddress!,
                        norm,
                        points.baseAddress! + row * width,
                        centeredNorms[row],
                        width: width
                    )
                }
            }
        }
    }

    /// The cosine distances of a row to every training row, the row normalized once.
    private func cosines(_ point: UnsafePointer<Double>) -> [Double] {
        let normalized = CosineDistance.normalized(point, width)
        return normalized.withUnsafeBufferPointer { normalized in
            normalizedPoints.withUnsafeBufferPointer { points in
                (0..<count).map { row in
                    CosineDistance.distance(
                        normalized: normalized.baseAddress!,
                        points.baseAddress! + row * width,
                        width: width
                    )
                }
            }
        }
    }

    /// Refuses rows scikit-learn refuses beyond the usual checks: a negative precomputed
    /// distance.
    func validate(_ input: Matrix) throws(InputError) {
        guard metric == .precomputed else { return }
        if let index = input.values.firstIndex(where: { $0 < 0 }) {
            throw InputError(
                row: index / input.columns,
                column: index % input.columns,
                "negative value \(input.values[index]) in a row of precomputed distances"
            )
        }
    }

    /// The metrics scikit-learn's brute force hands to its pairwise-distance reductions
    /// (`ArgKmin`, `RadiusNeighbors`) for float64 rows; the others go through
    /// `pairwise_distances_chunked`.
    static func reductionMetrics(_ version: ScikitLearnVersion) -> Set<String> {
        var names: Set<String> = [
            "euclidean", "l2", "manhattan", "cityblock", "l1", "chebyshev", "minkowski",
            "seuclidean", "haversine", "braycurtis", "canberra",
        ]
        if version >= .init(1, 3) { names.insert("sqeuclidean") }
        return names
    }

    /// The search a fitted neighbors estimator holds: `_fit_X`, `effective_metric_`,
    /// `_fit_method` and, for trees, `_tree`.
    init(_ object: FittedObject) throws(EstimatorError) {
        if case .object(let stored) = try object.value("_fit_X"),
            let name = stored.qualifiedName, name.hasPrefix("scipy.sparse")
        {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "_fit_X",
                "a model fitted on a sparse matrix (\(name)) is not supported"
            )
        }
        let fitted = try object.array("_fit_X")
        guard fitted.shape.count == 2, fitted.shape[0] > 0, fitted.shape[1] > 0 else {
            throw object.error("_fit_X", "expected a non-empty 2-D array, found \(fitted.shape)")
        }
        let width = fitted.shape[1]
        let points = try object.reading("_fit_X") { () throws(ArrayError) in
            try fitted.doubles()
        }
        let metric = try NeighborMetric(object, width: width)
        let metricName = object.string("effective_metric_") ?? ""
        if object.string("_fit_method") == "brute", fitted.dtype.kind == .float,
            fitted.dtype.itemSize == 4
        {
            // Trees keep float64 copies of the rows; brute force computes in float32.
            throw object.unsupported(
                "_fit_X",
                "is float32 (the model was fitted on float32 rows): scikit-learn's brute "
                    + "force then takes its float32 code paths, which are not reproduced; "
                    + "refit on float64 rows or with algorithm='ball_tree' or 'kd_tree'"
            )
        }
        let method: Method
        switch object.string("_fit_method") {
        case "brute" where Self.reductionMetrics(object.sklearnVersion).contains(metricName):
            method = .brute
        case "brute":
            method = .pairwise
        case let name? where name == "kd_tree" || name == "ball_tree":
            let tree = try BinaryTree(
                try object.value("_tree"),
                kind: name == "kd_tree" ? .kd : .ball,
                metric: metric,
                owner: object
            )
            guard tree.width == width, tree.data == points else {
                throw object.error("_tree", "the tree does not hold the rows of _fit_X")
            }
            method = .tree(tree)
        case let other:
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "_fit_method",
                "search method \(other.map { "'\($0)'" } ?? "(missing)") is not supported"
            )
        }
        self.init(
            points: points,
            width: width,
            metric: metric,
            method: method,
            metricName: metricName,
            acceptsMissing: metric == .nanEuclidean && object.sklearnVersion >= .init(1, 6)
                && object.string("metric") == "nan_euclidean"
        )
    }
}

/// Which option-dependent answer a neighbors estimator gives.
enum NeighborWeights: Sendable {
    case uniform
    /// The inverse of the distance; where a row is at distance zero from some training
    /// rows, those rows weigh 1 and the others 0 (`_get_weights`).
    case distance

    init(_ object: FittedObject) throws(EstimatorError) {
        let raw = try object.value("weights")
        switch raw {
        case .none: self = .uniform
        case .string("uniform"): self = .uniform
        case .string("distance"): self = .distance
        default:
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "weights",
                "weights given as \(raw.kindName) are not supported; supported: 'uniform', "
                    + "'distance'"
            )
        }
    }

    /// The weight of each neighbor at `distances`; nil for uniform weights.
    func weights(_ distances: [Double]) -> [Double]? {
        guard case .distance = self else { return nil }
        let inverse = distances.map { 1 / $0 }
        guard inverse.contains(where: \.isInfinite) else { return inverse }
        return inverse.map { $0.isInfinite ? 1 : 0 }
    }
}

extension NeighborSearch {
    /// `n_neighbors`, at least 1 and at most the training rows.
    func neighborCount(of object: FittedObject) throws(EstimatorError) -> Int {
        let k = try object.integer("n_neighbors")
        guard k >= 1, k <= count else {
            throw object.error("n_neighbors", "is \(k), but the model holds \(count) training rows")
        }
        return k
    }

    /// `radius`, which must not be negative.
    static func radius(of object: FittedObject) throws(EstimatorError) -> Double {
        let radius = try object.number("radius")
        guard radius >= 0 else { throw object.error("radius", "is negative: \(radius)") }
        return radius
    }
}
