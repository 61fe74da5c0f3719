import Arrays
import Pickle

/// A per-column affine map: subtract, multiply, divide, add, then clip, each step only
/// when the fitted scaler has it. StandardScaler, MinMaxScaler, MaxAbsScaler and
/// RobustScaler are all this map with different parts, applied in scikit-learn's order.
struct ColumnAffineMap: Transformer {
    var subtract: [Double]?
    var multiply: [Double]?
    var divide: [Double]?
    var add: [Double]?
    var clip: (low: Double, high: Double)?
    let inputWidth: Int

    var outputWidth: Int { inputWidth }
    /// NaN passes through, as every scaler keeps it.
    var acceptsMissing: Bool { true }

    init(inputWidth: Int) {
        self.inputWidth = inputWidth
    }

    func transform(_ input: Matrix) -> Matrix {
        var output = input
        for row in 0..<input.rows {
            for column in 0..<input.columns {
                var value = output[row, column]
                if let subtract { value -= subtract[column] }
                if let multiply { value *= multiply[column] }
                if let divide { value /= divide[column] }
                if let add { value += add[column] }
                if let clip, !value.isNaN { value = min(max(value, clip.low), clip.high) }
                output[row, column] = value
            }
        }
        return output
    }
}

/// The scalers, read from their fitted attributes.
enum Scalers {
    /// `StandardScaler`: `(x - mean_) / scale_`, each part only with `with_mean` and
    /// `with_std` (`mean_` is kept even when not subtracted).
    static func standard(_ object: FittedObject) throws(EstimatorError) -> ColumnAffineMap {
        let width = try object.featureCount()
        var map = ColumnAffineMap(inputWidth: width)
        if object.boolean("with_mean", default: true), object.optional("mean_") != nil {
            map.subtract = try object.doubles("mean_", count: width)
        }
        if object.boolean("with_std", default: true), object.optional("scale_") != nil {
            map.divide = try object.doubles("scale_", count: width)
        }
        return map
    }

    /// `MinMaxScaler`: `x * scale_ + min_`, then clipped to `feature_range` with `clip`.
    static func minMax(_ object: FittedObject) throws(EstimatorError) -> ColumnAffineMap {
        let width = try object.featureCount()
        var map = ColumnAffineMap(inputWidth: width)
        map.multiply = try object.doubles("scale_", count: width)
        map.add = try object.doubles("min_", count: width)
        if object.boolean("clip", default: false) {
            let range: [PickleValue]
            switch try object.value("feature_range") {
            case .tuple(let items): range = items
            case .list(let list): range = list.items
            default: range = []
            }
            let bounds = range.compactMap { try? ArrayDecoder.number($0) }
            guard bounds.count == 2, bounds[0] < bounds[1] else {
                throw object.error("feature_range", "expected a (min, max) pair of numbers")
            }
            map.clip = (bounds[0], bounds[1])
        }
        return map
    }

    /// `MaxAbsScaler`: `x / scale_`.
    static func maxAbs(_ object: FittedObject) throws(EstimatorError) -> ColumnAffineMap {
        let width = try object.featureCount()
        var map = ColumnAffineMap(inputWidth: width)
        map.divide = try object.doubles("scale_", count: width)
        return map
    }

    /// `RobustScaler`: `(x - center_) / scale_`, with `with_centering` and `with_scaling`.
    static func robust(_ object: FittedObject) throws(EstimatorError) -> ColumnAffineMap {
        let width = try object.featureCount()
        var map = ColumnAffineMap(inputWidth: width)
        if object.boolean("with_centering", default: true) {
            map.subtract = try object.doubles("center_", count: width)
        }
        if object.boolean("with_scaling", default: true) {
            map.divide = try object.doubles("scale_", count: width)
        }
        return map
    }
}
