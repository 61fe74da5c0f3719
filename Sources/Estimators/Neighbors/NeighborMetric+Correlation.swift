#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The correlation distance as scipy's `cdist` computes it for scikit-learn's brute force:
/// each row centred on its mean (numpy's `mean`, a pairwise sum), then one minus the
/// cosine of the centred rows, the cosine clipped to ±1. Every step is per row or per
/// pair, so a row's distances do not depend on the rows asked with it.
enum CorrelationDistance {
    /// A row minus its mean.
    static func centered(_ row: UnsafePointer<Double>, _ width: Int) -> [Double] {
        let mean = pairwiseSum(row, width) / Double(width)
        return (0..<width).map { row[$0] - mean }
    }

    /// `√(u·u)`, the norm scipy divides by.
    static func norm(_ row: UnsafePointer<Double>, _ width: Int) -> Double {
        dot(row, row, width).squareRoot()
    }

    /// The distance between two centred rows with their norms.
    static func distance(
        _ left: UnsafePointer<Double>,
        _ leftNorm: Double,
        _ right: UnsafePointer<Double>,
        _ rightNorm: Double,
        width: Int
    ) -> Double {
        var cosine = dot(left, right, width) / (leftNorm * rightNorm)
        // scipy clips rounding past ±1; NaN (a constant row) passes through.
        if abs(cosine) > 1 { cosine = cosine > 0 ? 1 : -1 }
        return 1 - cosine
    }

    /// The distance between two raw rows.
    static func distance(
        _ left: UnsafePointer<Double>,
        _ right: UnsafePointer<Double>,
        width: Int
    ) -> Double {
        let u = centered(left, width)
        let v = centered(right, width)
        return u.withUnsafeBufferPointer { u in
            v.withUnsafeBufferPointer { v in
                distance(
                    u.baseAddress!,
                    norm(u.baseAddress!, width),
                    v.baseAddress!,
                    norm(v.baseAddress!, width),
                    width: width
                )
            }
        }
    }

    /// scipy's dot product as its compiled loop runs it: even and odd positions summed in
    /// two separate lanes, the lanes added, then the last product of an odd width.
    static func dot(_ u: UnsafePointer<Double>, _ v: UnsafePointer<Double>, _ width: Int)
        -> Double
    {
        var even = 0.0
        var odd = 0.0
        var j = 0
        while j + 2 <= width {
            even += u[j] * v[j]
            odd += u[j + 1] * v[j + 1]
            j += 2
        }
        var total = even + odd
        if j < width { total += u[j] * v[j] }
        return total
    }

    /// numpy's pairwise summation of a contiguous row: plain below 8 values, eight lanes
    /// up to 128, halves (cut at a multiple of 8) beyond.
    static func pairwiseSum(_ values: UnsafePointer<Double>, _ count: Int) -> Double {
        if count < 8 {
            var total = 0.0
            for j in 0..<count { total += values[j] }
            return total
        }
        if count <= 128 {
            var lanes = (0..<8).map { values[$0] }
            let blocked = count - count % 8
            for start in stride(from: 8, to: blocked, by: 8) {
                for lane in 0..<8 { lanes[lane] += values[start + lane] }
            }
            var total =
                ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
                + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
            for j in blocked..<count { total += values[j] }
            return total
        }
        var half = count / 2
        half -= half % 8
        return pairwiseSum(values, half) + pairwiseSum(values + half, count - half)
    }
}
