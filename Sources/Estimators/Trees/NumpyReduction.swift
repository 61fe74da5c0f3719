/// Sums in numpy's order, so that results built on `ndarray.sum` are bit-identical.
enum NumpyReduction {
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
