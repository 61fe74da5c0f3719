/// A fitted `IsotonicRegression` as `predict` uses it: linear interpolation between
/// `X_thresholds_` and `y_thresholds_` (scipy's `interp1d`, which hands float64 data to
/// `numpy.interp`), with `out_of_bounds` deciding what happens beyond them.
struct IsotonicFunction: Sendable {
    enum OutOfBounds: String, Sendable {
        /// NaN outside the thresholds (`interp1d`'s fill value).
        case nan
        /// The input clipped to `[X_min_, X_max_]` first.
        case clip
        /// Outside the thresholds, scikit-learn raises.
        case raise
    }

    let xs: [Double]
    let ys: [Double]
    let lowest: Double
    let highest: Double
    let outOfBounds: OutOfBounds

    init(_ object: FittedObject) throws(EstimatorError) {
        for attribute in ["X_thresholds_", "y_thresholds_"] {
            let dtype = try object.array(attribute).dtype
            // float32 thresholds make interp1d interpolate in float32, which is not served.
            guard dtype.kind == .float, dtype.itemSize == 8 else {
                throw object.unsupported(attribute, "thresholds of dtype \(dtype) (not float64)")
            }
        }
        let xs = try object.doubles("X_thresholds_")
        let ys = try object.doubles("y_thresholds_", count: xs.count)
        guard !xs.isEmpty else { throw object.error("X_thresholds_", "is empty") }
        guard zip(xs, xs.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw object.error("X_thresholds_", "is not strictly increasing")
        }
        let name = object.string("out_of_bounds") ?? "nan"
        guard let outOfBounds = OutOfBounds(rawValue: name) else {
            throw object.unsupported("out_of_bounds", "'\(name)' is not supported")
        }
        self.xs = xs
        self.ys = ys
        self.outOfBounds = outOfBounds
        lowest = try object.number("X_min_", default: xs[0])
        highest = try object.number("X_max_", default: xs[xs.count - 1])
    }

    /// `predict` of one value; nil where scikit-learn raises (`out_of_bounds='raise'`).
    func value(at input: Double) -> Double? {
        // A single threshold predicts its value everywhere, bounds notwithstanding.
        if xs.count == 1 { return ys[0] }
        var x = input
        if outOfBounds == .clip { x = min(max(x, lowest), highest) }
        let outside = x < xs[0] || x > xs[xs.count - 1]
        if outside {
            switch outOfBounds {
            case .raise: return nil
            case .nan, .clip: return .nan
            }
        }
        return NumpyReductions.interpolate(x, xs, ys)
    }
}

/// `IsotonicRegression` served as a regressor of its one input column.
struct IsotonicRegressor: Regressor {
    let function: IsotonicFunction

    var inputWidth: Int { 1 }
    var transformation: (any Transformer)? { IsotonicTransform(regressor: self) }

    func predict(_ input: Matrix) throws(InputError) -> Matrix {
        var output = Matrix(rows: input.rows, columns: 1)
        for row in 0..<input.rows {
            guard let value = function.value(at: input.values[row]) else {
                throw InputError(
                    row: row,
                    column: 0,
                    "\(input.values[row]) is outside the range IsotonicRegression was fitted "
                        + "on [\(function.xs[0]), \(function.xs[function.xs.count - 1])], and "
                        + "out_of_bounds='raise'"
                )
            }
            output.values[row] = value
        }
        return output
    }
}

/// `IsotonicRegression.transform`: `predict` again, one value per row, as in scikit-learn.
struct IsotonicTransform: Transformer {
    let regressor: IsotonicRegressor

    var inputWidth: Int { 1 }
    var outputWidth: Int { 1 }
    var transformsToOneValuePerRow: Bool { true }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        try regressor.predict(input)
    }
}
