/// Reductions computed the way numpy computes them, so that thresholds derived from fitted
/// attributes at predict time (selectors) land on the same side of every comparison.
enum NumpyReductions {
    /// `numpy.add.reduce` over a contiguous vector: the first element, plus the pairwise
    /// sum of the rest.
    static func sum(_ values: ArraySlice<Double>) -> Double {
        guard let first = values.first else { return 0 }
        return first + pairwiseSum(values.dropFirst())
    }

    /// numpy's pairwise summation: eight running partial sums per block of 128,
    /// sequential below eight elements.
    static func pairwiseSum(_ values: ArraySlice<Double>) -> Double {
        let count = values.count
        let start = values.startIndex
        if count < 8 {
            var total = 0.0
            for value in values { total += value }
            return total
        }
        if count <= 128 {
            var partial = (0..<8).map { values[start + $0] }
            var index = 8
            while index < count - count % 8 {
                for lane in 0..<8 { partial[lane] += values[start + index + lane] }
                index += 8
            }
            var total =
                ((partial[0] + partial[1]) + (partial[2] + partial[3]))
                + ((partial[4] + partial[5]) + (partial[6] + partial[7]))
            while index < count {
                total += values[start + index]
                index += 1
            }
            return total
        }
        var half = count / 2
        half -= half % 8
        return pairwiseSum(values.prefix(half)) + pairwiseSum(values.dropFirst(half))
    }

    static func mean(_ values: [Double]) -> Double {
        sum(values[...]) / Double(values.count)
    }

    /// `numpy.median`: the middle value, or the mean of the two middle values.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return sorted[middle] }
        return (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// `numpy.percentile` with linear interpolation (its default), `q` in 0...100.
    static func percentile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        let quantile = q / 100
        // numpy's virtual index for the linear method (alpha = beta = 1), in its order.
        let position = Double(sorted.count) * quantile + (1 + quantile * -1) - 1
        let below = min(max(Int(position.rounded(.down)), 0), sorted.count - 1)
        let above = min(below + 1, sorted.count - 1)
        let fraction = position - Double(below)
        return lerp(sorted[below], sorted[above], fraction)
    }

    /// numpy's `_lerp`: exact at both ends, symmetric around the midpoint.
    static func lerp(_ low: Double, _ high: Double, _ fraction: Double) -> Double {
        let difference = high - low
        return fraction >= 0.5
            ? high - difference * (1 - fraction) : low + difference * fraction
    }

    /// `numpy.interp(x, xp, fp)` for increasing `xp`: ends clamp to the first and last `fp`,
    /// NaN stays NaN.
    static func interpolate(_ x: Double, _ xp: [Double], _ fp: [Double]) -> Double {
        if x.isNaN { return x }
        let last = xp.count - 1
        if x > xp[last] { return fp[last] }
        if x < xp[0] { return fp[0] }
        // The largest j with xp[j] <= x, as numpy's binary search finds it.
        var low = 0
        var high = xp.count
        while low < high {
            let middle = low + (high - low) / 2
            if x >= xp[middle] { low = middle + 1 } else { high = middle }
        }
        let j = low - 1
        if j == last || xp[j] == x { return fp[j] }
        let slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
        var result = slope * (x - xp[j]) + fp[j]
        if result.isNaN {
            result = slope * (x - xp[j + 1]) + fp[j + 1]
            if result.isNaN, fp[j] == fp[j + 1] { result = fp[j] }
        }
        return result
    }

    /// `numpy.searchsorted(edges, x, side='right')`: how many edges are `<= x`.
    static func countAtMost(_ x: Double, _ edges: [Double]) -> Int {
        var low = 0
        var high = edges.count
        while low < high {
            let middle = low + (high - low) / 2
            if x >= edges[middle] { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Indices that sort `values` ascending, equal values keeping their order (numpy's
    /// `argsort(kind='mergesort')`).
    static func stableArgsort(_ values: [Double]) -> [Int] {
        values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
    }
}
