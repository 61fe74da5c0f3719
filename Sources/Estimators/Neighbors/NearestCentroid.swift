import Arrays

/// `sklearn.neighbors.NearestCentroid`: the class of the nearest centroid. From
/// scikit-learn 1.6 a euclidean model also has `decision_function` and `predict_proba`
/// (a discriminant on features scaled by `within_class_std_dev_`, with `class_prior_`),
/// and predicts by them when its priors are not uniform.
struct NearestCentroid: Classifier {
    let classes: ClassLabels
    /// `centroids_`, row-major.
    let centroids: [Double]
    let inputWidth: Int
    let metric: NeighborMetric
    /// The discriminant of scikit-learn 1.6 and later, for a euclidean model.
    let discriminant: Discriminant?

    struct Discriminant: Sendable {
        /// `within_class_std_dev_`; features with zero deviation are not scaled.
        let deviations: [Double]
        /// `2 * log(class_prior_)`.
        let priorTerms: [Double]
        /// Whether every prior is close to `1 / n_classes` (`np.isclose`), in which case
        /// `predict` still takes the nearest centroid.
        let uniform: Bool
    }

    var hasProbabilities: Bool { discriminant != nil }
    var hasDecisionFunction: Bool { discriminant != nil }

    init(_ object: FittedObject) throws(EstimatorError) {
        classes = try object.classLabels()
        let array = try object.array("centroids_")
        guard array.shape.count == 2, array.shape[0] == classes.count, classes.count > 0,
            array.shape[1] > 0
        else {
            throw object.error("centroids_", "of shape \(array.shape) for \(classes.count) classes")
        }
        inputWidth = array.shape[1]
        centroids = try object.reading("centroids_") { () throws(ArrayError) in try array.doubles()
        }
        switch object.string("metric") {
        case "euclidean": metric = .euclidean
        case "manhattan": metric = .manhattan
        case let other:
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "metric",
                "metric \(other.map { "'\($0)'" } ?? "given as an object") is not supported; "
                    + "supported: 'euclidean', 'manhattan'"
            )
        }
        guard metric == .euclidean, object.optional("class_prior_") != nil,
            object.optional("within_class_std_dev_") != nil
        else {
            discriminant = nil
            return
        }
        let priors = try object.doubles("class_prior_", count: classes.count)
        let deviations = try object.doubles("within_class_std_dev_", count: inputWidth)
        let even = 1 / Double(classes.count)
        discriminant = Discriminant(
            deviations: deviations,
            priorTerms: priors.map { 2 * $0.log() },
            uniform: priors.allSatisfy { abs($0 - even) <= 1e-8 + 1e-5 * abs(even) }
        )
    }

    func predictClassIndices(_ input: Matrix) -> [Int] {
        if let discriminant, !discriminant.uniform {
            return Probability.argmaxOfRows(scores(input, discriminant))
        }
        return input.values.withUnsafeBufferPointer { values in
            centroids.withUnsafeBufferPointer { centroids in
                (0..<input.rows).map { row in
                    nearestCentroid(values.baseAddress! + row * input.columns, centroids)
                }
            }
        }
    }

    /// The first centroid at the smallest distance, as scikit-learn's `ArgKmin` with k=1
    /// finds it (the expanded squared distance for euclidean).
    private func nearestCentroid(
        _ point: UnsafePointer<Double>,
        _ centroids: UnsafeBufferPointer<Double>
    ) -> Int {
        let norm = NeighborSearch.squaredNorm(point, inputWidth)
        var best = 0
        var bestDistance = Double.greatestFiniteMagnitude
        for index in 0..<classes.count {
            let centroid = centroids.baseAddress! + index * inputWidth
            let distance: Double
            if metric == .euclidean {
                let dot = NeighborSearch.dot(point, centroid, inputWidth)
                let expanded =
                    (norm + -2 * dot) + NeighborSearch.squaredNorm(centroid, inputWidth)
                distance = expanded > 0 ? expanded : 0
            } else {
                distance = metric.reducedDistance(point, centroid, width: inputWidth)
            }
            if !(distance >= bestDistance) {
                best = index
                bestDistance = distance
            }
        }
        return best
    }

    /// `_decision_function`: `-‖x - c‖² + 2 log(prior)` on scaled features.
    private func scores(_ input: Matrix, _ discriminant: Discriminant) -> Matrix {
        let scale = discriminant.deviations.map { $0 != 0 ? $0 : 1 }
        let scaledCentroids = centroids.indices.map { centroids[$0] / scale[$0 % inputWidth] }
        var result = Matrix(rows: input.rows, columns: classes.count)
        for row in 0..<input.rows {
            let scaled = (0..<inputWidth).map { input[row, $0] / scale[$0] }
            let norm = scaled.reduce(0) { $0 + $1 * $1 }
            for index in 0..<classes.count {
                let centroid = scaledCentroids[(index * inputWidth)..<((index + 1) * inputWidth)]
                var dot = 0.0
                var centroidNorm = 0.0
                for (value, centre) in zip(scaled, centroid) {
                    dot += value * centre
                    centroidNorm += centre * centre
                }
                // `euclidean_distances`, then squared again.
                let squared = max((-2 * dot + norm) + centroidNorm, 0)
                let distance = squared.squareRoot()
                result[row, index] = -(distance * distance) + discriminant.priorTerms[index]
            }
        }
        return result
    }

    func decisionFunction(_ input: Matrix) -> Matrix {
        guard let discriminant else { preconditionFailure("no decision function") }
        let scores = scores(input, discriminant)
        guard classes.count == 2 else { return scores }
        var result = Matrix(rows: input.rows, columns: 1)
        for row in 0..<input.rows { result[row, 0] = scores[row, 1] - scores[row, 0] }
        return result
    }

    /// `exp(predict_log_proba)`: the scores shifted by their maximum, normalised in logs.
    func predictProbabilities(_ input: Matrix) -> Matrix {
        guard let discriminant else { preconditionFailure("no predict_proba") }
        var result = scores(input, discriminant)
        for row in 0..<input.rows {
            let maximum = result.row(row).max() ?? 0
            let shifted = result.row(row).map { $0 - maximum }
            let total = NumpyReductions.sum(shifted.map { Foundationless.exp($0) }).log()
            for column in 0..<result.columns {
                result[row, column] = Foundationless.exp(shifted[column] - total)
            }
        }
        return result
    }
}
