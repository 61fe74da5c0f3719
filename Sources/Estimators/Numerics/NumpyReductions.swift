/// Reductions computed the way numpy computes them, so that sums built on `ndarray.sum` are
/// bit-identical and thresholds derived from fitted attributes at predict time (selectors)
/// land on the same side of every comparison.
enum NumpyReductions {
    /// `numpy.add.reduce` over contiguous values: sequential below 8 values, eight
    /// interleaved partial sums up to 128, halves (cut at a multiple of 8) beyond.
    static func sum(_ values: ArraySlice<Double>) -> Double {
        let count = values.count
        let start = values.startIndex
        if count < 8 {
            var result = 0.0
            for value in values { result += value }
            return result
        }
        if count <= 128 {
            var partial = Array(values[start..<(start + 8)])
            var index = start + 8
            while index + 8 <= values.endIndex {
                for lane in 0..<8 { partial[lane] += values[index + lane] }
                index += 8
            }
            var result =
                ((partial[0] + partial[1]) + (partial[2] + partial[3]))
                + ((partial[4] + partial[5]) + (partial[6] + partial[7]))
            while index < values.endIndex {
                result += values[index]
                index += 1
            }
            return result
        }
        var half = count / 2
        half -= half % 8
        return sum(values[start..<(start + half)]) + sum(values[(start + half)...])
    }

    static func sum(_ values: [Double]) -> Double { sum(values[...]) }

    /// `numpy.mean`: the sum divided by the count.
    static func mean(_ values: ArraySlice<Double>) -> Double {
        sum(values) / Double(values.count)
    }

    static func mean(_ values: [Double]) -> Double { mean(values[...]) }

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
        let j = countAtMost(x, xp) - 1
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

    /// `sklearn.utils.extmath.softmax` row by row: subtract the row maximum,
    /// exponentiate, divide by the row sum (summed in numpy's order).
    static func softmax(_ scores: Matrix) -> Matrix {
        var result = scores
        for row in 0..<scores.rows {
            let start = row * scores.columns
            let end = start + scores.columns
            let maximum = scores.values[start..<end].max() ?? 0
            for index in start..<end {
                result.values[index] = (scores.values[index] - maximum).exp()
            }
            let sum = Self.sum(result.values[start..<end])
            for index in start..<end {
                result.values[index] /= sum
            }
        }
        return result
    }
}
