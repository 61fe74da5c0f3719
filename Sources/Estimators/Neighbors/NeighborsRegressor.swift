import Arrays

/// `KNeighborsRegressor` and `RadiusNeighborsRegressor`: the mean of the targets of the
/// training rows near each row, weighted by inverse distance with `weights='distance'`.
struct NeighborsRegressor: Regressor {
    let search: NeighborSearch
    let weights: NeighborWeights
    /// `n_neighbors`, or nil for the radius regressor.
    let k: Int?
    let radius: Double
    /// `_y`, row-major: `outputs` targets per training row.
    let targets: [Double]
    let outputs: Int
    let targetCount: Int?

    var inputWidth: Int { search.width }
    var acceptsMissing: Bool { search.acceptsMissing }

    init(_ object: FittedObject, radius: Bool) throws(EstimatorError) {
        search = try NeighborSearch(object)
        weights = try NeighborWeights(object)
        let array = try object.array("_y")
        targets = try object.reading("_y") { () throws(ArrayError) in try array.doubles() }
        guard (1...2).contains(array.shape.count), array.shape[0] == search.count,
            targets.count % search.count == 0, targets.count > 0
        else {
            throw object.error("_y", "of shape \(array.shape) for \(search.count) training rows")
        }
        outputs = targets.count / search.count
        // `predict` returns a 1-D array for a 1-D `y`.
        targetCount = array.shape.count == 1 ? nil : outputs
        if radius {
            self.radius = try NeighborSearch.radius(of: object)
            k = nil
        } else {
            self.k = try search.neighborCount(of: object)
            self.radius = 0
        }
    }

    func predict(_ input: Matrix) throws(InputError) -> Matrix {
        try search.validate(input)
        var result = Matrix(rows: input.rows, columns: outputs)
        input.values.withUnsafeBufferPointer { values in
            for row in 0..<input.rows {
                let point = values.baseAddress! + row * input.columns
                let found =
                    k.map { search.nearest(point, count: $0) }
                    ?? search.within(point, radius: radius)
                for output in 0..<outputs {
                    result[row, output] = estimate(found, output: output)
                }
            }
        }
        return result
    }

    /// One output's prediction from a row's neighbors; NaN when a radius holds none, as
    /// scikit-learn predicts (with a warning).
    private func estimate(_ found: [(distance: Double, index: Int)], output: Int) -> Double {
        if found.isEmpty { return .nan }
        let values = found.map { targets[$0.index * outputs + output] }
        guard let weights = weights.weights(found.map(\.distance)) else {
            var total = 0.0
            for value in values { total += value }
            return total / Double(values.count)
        }
        if k != nil {
            // `np.sum(y * w, axis=1) / np.sum(w, axis=1)`.
            let products = zip(values, weights).map { $0 * $1 }
            return NumpyReductions.sum(products) / NumpyReductions.sum(weights)
        }
        // `np.average(y, axis=0, weights=w)`, summed down the neighbors.
        var numerator = 0.0
        var denominator = 0.0
        for (value, weight) in zip(values, weights) {
            numerator += value * weight
            denominator += weight
        }
        return numerator / denominator
    }
}
