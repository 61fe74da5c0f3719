import Arrays
import Pickle

/// One `scipy.interpolate.BSpline` as scikit-learn stores it per feature: knots `t`,
/// coefficients `c` (one column per output spline) and degree `k`, evaluated as scipy's
/// `evaluate_spline` does (de Boor's recursion on the knot interval holding x).
struct BSpline: Sendable {
    let knots: [Double]
    /// Row-major `c`: one row per basis function, one column per output spline.
    let coefficients: Matrix
    let degree: Int
    /// Whether values beyond the base interval are extrapolated (else NaN).
    let extrapolates: Bool

    /// Reads a pickled BSpline; `owner` names the estimator in errors.
    init(_ value: PickleValue, owner: FittedObject) throws(EstimatorError) {
        guard case .object(let object) = value,
            object.qualifiedName?.hasSuffix(".BSpline") == true,
            let state = object.stateDict
        else {
            throw owner.error("bsplines_", "expected scipy BSpline objects")
        }
        // Newer scipy keeps `t` and `c` as `_t` and `_c`.
        func array(_ key: String) throws(EstimatorError) -> NDArray {
            guard let raw = state[key] ?? state["_" + key],
                let array = try owner.reading(
                    "bsplines_",
                    { () throws(ArrayError) in try ArrayDecoder.array(raw) }
                )
            else {
                throw owner.error("bsplines_", "a BSpline has no array \(key)")
            }
            return array
        }
        let knotArray = try array("t")
        knots = try owner.reading("bsplines_") { () throws(ArrayError) in try knotArray.doubles() }
        let coefficientArray = try array("c")
        let shape = coefficientArray.shape
        guard shape.count == 2,
            case .int(let order)? = state["k"], (0...5).contains(order)
        else {
            throw owner.error("bsplines_", "expected 2-D coefficients and a degree of 0 to 5")
        }
        degree = Int(order)
        guard knots.count == shape[0] + degree + 1, shape[1] > 0,
            zip(knots, knots.dropFirst()).allSatisfy({ $0 <= $1 })
        else {
            throw owner.error("bsplines_", "knots and coefficients do not fit together")
        }
        coefficients = Matrix(
            rows: shape[0],
            columns: shape[1],
            values: try owner.reading("bsplines_") { () throws(ArrayError) in
                try coefficientArray.doubles()
            }
        )
        switch state["extrapolate"] {
        case .bool(let flag)?: extrapolates = flag
        case .string("periodic")?: extrapolates = true
        default: extrapolates = true
        }
    }

    var splineCount: Int { coefficients.columns }
    /// `t[k]` and `t[n]`: the base interval.
    var lowerBound: Double { knots[degree] }
    var upperBound: Double { knots[knots.count - degree - 1] }

    /// The value (or first derivative) of every output spline at `x`; NaN for NaN and,
    /// without extrapolation, beyond the base interval.
    func evaluate(_ x: Double, derivative: Int = 0) -> [Double] {
        let last = knots.count - degree - 1
        if x.isNaN || (!extrapolates && (x < knots[degree] || x > knots[last])) {
            return [Double](repeating: .nan, count: splineCount)
        }
        var interval = degree
        while interval < last - 1, x >= knots[interval + 1] { interval += 1 }
        let basis = basisFunctions(x, interval: interval, derivative: derivative)
        return (0..<splineCount).map { column in
            var sum = 0.0
            for (offset, weight) in basis.enumerated() {
                sum += coefficients[interval + offset - degree, column] * weight
            }
            return sum
        }
    }

    /// The k + 1 basis functions (or derivatives) that are non-zero on `interval`,
    /// by the Cox-de Boor recursion in scipy's order.
    private func basisFunctions(_ x: Double, interval: Int, derivative: Int) -> [Double] {
        var current = [Double](repeating: 0, count: degree + 1)
        // A derivative beyond the degree vanishes.
        guard derivative <= degree else { return current }
        current[0] = 1
        for level in 1...max(degree, 1) where level <= degree {
            let previous = current
            current[0] = 0
            let differentiating = level > degree - derivative
            for n in 1...level {
                let right = knots[interval + n]
                let left = knots[interval + n - level]
                if right == left {
                    current[differentiating ? derivative : n] = 0
                    continue
                }
                if differentiating {
                    let weight = Double(level) * previous[n - 1] / (right - left)
                    current[n - 1] -= weight
                    current[n] = weight
                } else {
                    let weight = previous[n - 1] / (right - left)
                    current[n - 1] += weight * (right - x)
                    current[n] = weight * (x - left)
                }
            }
        }
        return current
    }
}

/// `sklearn.preprocessing.SplineTransformer`: each feature expanded into its B-spline
/// basis, with the fitted `extrapolation` beyond the knots; without `include_bias` the
/// last spline of each feature is dropped.
struct SplineTransformer: Transformer {
    enum Extrapolation: String {
        case error, constant, linear
        case continuing = "continue"
        case periodic
    }

    /// Per feature: its spline, and for constant and linear extrapolation the boundaries
    /// and the spline values and slopes there.
    struct Feature: Sendable {
        let spline: BSpline
        /// The degree scikit-learn's loop uses for this feature: its linear extrapolation
        /// raises a degree of 0 or 1 by one and keeps it for the features that follow.
        let degree: Int
        let low: Double
        let high: Double
        let valuesAtLow: [Double]
        let valuesAtHigh: [Double]
        let slopesAtLow: [Double]
        let slopesAtHigh: [Double]
    }

    let features: [Feature]
    let extrapolation: Extrapolation
    let includeBias: Bool
    /// `handle_missing='zeros'` (scikit-learn 1.8 on): NaN gives a row of zeros.
    let acceptsMissing: Bool
    let splineCount: Int

    var inputWidth: Int { features.count }
    var outputWidth: Int { features.count * (splineCount - (includeBias ? 0 : 1)) }

    init(_ object: FittedObject) throws(EstimatorError) {
        let width = try object.featureCount()
        guard case .list(let list) = try object.value("bsplines_"), list.items.count == width
        else {
            throw object.error("bsplines_", "expected a list of \(width) splines")
        }
        let splines = try list.items.map { value throws(EstimatorError) in
            try BSpline(value, owner: object)
        }
        let extrapolationName = object.string("extrapolation") ?? "constant"
        guard let extrapolation = Extrapolation(rawValue: extrapolationName) else {
            throw object.unsupported("extrapolation", "'\(extrapolationName)' is not supported")
        }
        self.extrapolation = extrapolation
        let splineCount = splines[0].splineCount
        self.splineCount = splineCount
        guard splines.allSatisfy({ $0.splineCount == splineCount }) else {
            throw object.error("bsplines_", "the splines differ in size")
        }
        var degree = try object.integer("degree")
        var features: [Feature] = []
        for spline in splines {
            let linear = extrapolation == .linear
            guard degree >= 0, degree <= spline.knots.count - degree - 1 else {
                throw object.error("degree", "does not match the fitted splines")
            }
            let low = spline.knots[degree]
            let high = spline.knots[spline.knots.count - degree - 1]
            let valuesAtLow = spline.evaluate(low)
            let valuesAtHigh = spline.evaluate(high)
            let slopesAtLow = linear ? spline.evaluate(low, derivative: 1) : []
            let slopesAtHigh = linear ? spline.evaluate(high, derivative: 1) : []
            if linear, degree <= 1 { degree += 1 }
            features.append(
                Feature(
                    spline: spline,
                    degree: degree,
                    low: low,
                    high: high,
                    valuesAtLow: valuesAtLow,
                    valuesAtHigh: valuesAtHigh,
                    slopesAtLow: slopesAtLow,
                    slopesAtHigh: slopesAtHigh
                )
            )
            guard degree <= splineCount else {
                throw object.error("degree", "is larger than the number of splines")
            }
        }
        self.features = features
        includeBias = object.boolean("include_bias", default: true)
        acceptsMissing = object.string("handle_missing") == "zeros"
    }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        let kept = splineCount - (includeBias ? 0 : 1)
        var output = Matrix(rows: input.rows, columns: outputWidth)
        for row in 0..<input.rows {
            for (index, feature) in features.enumerated() {
                let x = input[row, index]
                if x.isNaN { continue }  // zeros, with handle_missing='zeros'
                let values = try splineValues(x, feature, row: row, column: index)
                for spline in 0..<kept {
                    output[row, index * kept + spline] = values[spline]
                }
            }
        }
        return output
    }

    private func splineValues(_ x: Double, _ feature: Feature, row: Int, column: Int)
        throws(InputError) -> [Double]
    {
        let spline = feature.spline
        switch extrapolation {
        case .continuing:
            return spline.evaluate(x)
        case .periodic:
            let period = spline.upperBound - spline.lowerBound
            guard period > 0 else { return spline.evaluate(0) }
            return spline.evaluate(
                spline.lowerBound + Self.floorModulo(x - spline.lowerBound, period)
            )
        case .error:
            let values = spline.evaluate(x)
            if values.contains(where: \.isNaN) {
                throw InputError(
                    row: row,
                    column: column,
                    "value \(x) is beyond the knots of SplineTransformer (extrapolation='error')"
                )
            }
            return values
        case .constant, .linear:
            if feature.low <= x, x <= feature.high { return spline.evaluate(x) }
            var values = [Double](repeating: 0, count: splineCount)
            let degree = feature.degree
            if extrapolation == .constant {
                if x < feature.low {
                    for j in 0..<degree { values[j] = feature.valuesAtLow[j] }
                } else {
                    for j in (splineCount - degree)..<splineCount {
                        values[j] = feature.valuesAtHigh[j]
                    }
                }
                return values
            }
            for j in 0..<degree {
                if x < feature.low {
                    values[j] = feature.valuesAtLow[j] + (x - feature.low) * feature.slopesAtLow[j]
                } else {
                    let k = splineCount - 1 - j
                    values[k] =
                        feature.valuesAtHigh[k] + (x - feature.high) * feature.slopesAtHigh[k]
                }
            }
            return values
        }
    }

    /// numpy's `%` on floats: the remainder takes the sign of the divisor.
    static func floorModulo(_ value: Double, _ divisor: Double) -> Double {
        var remainder = value.truncatingRemainder(dividingBy: divisor)
        if remainder != 0, (remainder < 0) != (divisor < 0) { remainder += divisor }
        return remainder
    }
}
