/// A fast first pass for brute-force euclidean searches over many rows.
///
/// scikit-learn's expanded distances come from BLAS dot products accumulated with fused
/// multiply-adds, one long dependent chain per training row; computed that way for every
/// row, a search of 200,000 rows of 50 features takes a tenth of a second. Instead every
/// row is first measured with plain arithmetic in four independent sums, which may differ
/// from the exact value by at most ``margin(_:_:)``; only the rows that could be among the
/// answers are then measured exactly. When the exact values leave no tie at the boundary
/// the answer is fully determined, and is the one scikit-learn's heap gives; otherwise the
/// caller falls back to pushing every row in order, as scikit-learn does.
extension NeighborSearch {
    /// Rows this many or more are screened; below, the exact pass is as cheap.
    static let screeningThreshold = 2048

    /// The expanded squared distance in plain arithmetic, four partial sums at a time.
    @inline(__always)
    private func approximate(
        _ point: UnsafePointer<Double>,
        _ pointNorm: Double,
        _ other: UnsafePointer<Double>,
        _ otherNorm: Double
    ) -> Double {
        var sums = (0.0, 0.0, 0.0, 0.0)
        var j = 0
        while j + 4 <= width {
            sums.0 += point[j] * other[j]
            sums.1 += point[j + 1] * other[j + 1]
            sums.2 += point[j + 2] * other[j + 2]
            sums.3 += point[j + 3] * other[j + 3]
            j += 4
        }
        while j < width {
            sums.0 += point[j] * other[j]
            j += 1
        }
        let dot = (sums.0 + sums.1) + (sums.2 + sums.3)
        return (pointNorm + -2 * dot) + otherNorm
    }

    /// How far ``approximate(_:_:_:_:)`` may lie from the exact expanded distance: each dot
    /// product is within about `width` units in the last place of `Σ|xᵢyᵢ| ≤ (‖x‖²+‖y‖²)/2`
    /// of the true one, and the two additions add a few more; this bound is several times
    /// wider than that.
    @inline(__always)
    private func margin(_ pointNorm: Double, _ otherNorm: Double) -> Double {
        Double(16 * (width + 4)) * .ulpOfOne * (pointNorm + otherNorm)
    }

    private func screenable(_ pointNorm: Double) -> Bool {
        expandsEuclidean && count >= Self.screeningThreshold && normsAreFinite
            && pointNorm.isFinite
    }

    /// ``nearest(_:count:)`` of brute force when screening settles it; nil otherwise.
    func screenedNearest(_ point: UnsafePointer<Double>, count k: Int)
        -> [(distance: Double, index: Int)]?
    {
        let pointNorm = Self.squaredNorm(point, width)
        guard screenable(pointNorm) else { return nil }
        return points.withUnsafeBufferPointer { buffer in
            let points = buffer.baseAddress!
            // The k smallest upper bounds seen so far: no row whose lower bound exceeds
            // their largest can be among the k nearest.
            var upper = NeighborHeap(size: k, empty: .infinity)
            var candidates: [(row: Int, lower: Double)] = []
            for row in 0..<count {
                let norm = squaredNorms[row]
                let value = approximate(point, pointNorm, points + row * width, norm)
                let slack = margin(pointNorm, norm)
                if value - slack <= upper.largest {
                    candidates.append((row, value - slack))
                    upper.push(value + slack, row)
                }
            }
            var exact: [(distance: Double, index: Int)] = []
            for candidate in candidates where candidate.lower <= upper.largest {
                exact.append((bruteReduced(point, pointNorm, points, candidate.row), candidate.row))
            }
            exact.sort {
                $0.distance < $1.distance || ($0.distance == $1.distance && $0.index < $1.index)
            }
            guard exact.count >= k else { return nil }
            let boundary = exact[k - 1].distance
            // A tie at the boundary is settled by the order of pushes: leave it to them.
            if exact.count > k, exact[k].distance == boundary { return nil }
            guard boundary < .greatestFiniteMagnitude else { return nil }
            return exact[..<k].map { (metric.distance(fromReduced: $0.distance), $0.index) }
        }
    }

    /// ``within(_:radius:)`` of brute force when screening applies; nil otherwise.
    func screenedWithin(_ point: UnsafePointer<Double>, radius: Double)
        -> [(distance: Double, index: Int)]?
    {
        let pointNorm = Self.squaredNorm(point, width)
        guard screenable(pointNorm) else { return nil }
        let bound = metric.reduced(fromDistance: radius)
        return points.withUnsafeBufferPointer { buffer in
            let points = buffer.baseAddress!
            var found: [(distance: Double, index: Int)] = []
            for row in 0..<count {
                let norm = squaredNorms[row]
                let value = approximate(point, pointNorm, points + row * width, norm)
                guard value - margin(pointNorm, norm) <= bound else { continue }
                let reduced = bruteReduced(point, pointNorm, points, row)
                if reduced <= bound {
                    found.append((metric.distance(fromReduced: reduced), row))
                }
            }
            return found
        }
    }
}
