import Arrays
import Pickle

/// `KNeighborsClassifier` and `RadiusNeighborsClassifier`: a vote among the training rows
/// near each row, one vote per output for a model fitted on a 2-D `y`.
struct NeighborsClassifier: MultiOutputClassifier {
    enum Neighborhood: Sendable {
        /// `n_neighbors` nearest rows.
        case nearest(Int)
        /// Every row within `radius`; a row with none takes the class at `outlierIndex`
        /// of each output (`outlier_label_`), or is refused when there is none.
        case radius(Double, outliers: Outliers?)
    }

    /// What a row without neighbors gets, per output.
    struct Outliers: Sendable {
        /// The class `predict` gives.
        let labelIndex: [Int]
        /// The class whose probability is 1; nil where the probabilities are all 0
        /// (scikit-learn's radius class-mode reduction matches the label against class
        /// positions, not labels).
        let probabilityIndex: [Int?]
    }

    let search: NeighborSearch
    let weights: NeighborWeights
    let neighborhood: Neighborhood
    let classesPerOutput: [ClassLabels]
    /// `_y`: for each output, the class index of every training row.
    let codes: [[Int]]
    let estimatorName: String
    /// Whether a row whose neighbors all weigh zero is refused (scikit-learn 1.4 and
    /// later); before, `predict` gave the first class and `predict_proba` NaN.
    let refusesZeroWeights: Bool

    var inputWidth: Int { search.width }
    var acceptsMissing: Bool { search.acceptsMissing }

    init(_ object: FittedObject, radius: Bool) throws(EstimatorError) {
        search = try NeighborSearch(object)
        weights = try NeighborWeights(object)
        estimatorName = object.className
        refusesZeroWeights = !radius && object.sklearnVersion >= .init(1, 4)
        let multiOutput = object.hasLabelsPerOutput
        classesPerOutput =
            multiOutput ? try object.classLabelsPerOutput() : [try object.classLabels()]
        try Self.requirePredictable(object, classesPerOutput, radius: radius)
        codes = try object.neighborCodes(
            classCounts: classesPerOutput.map(\.count),
            rows: search.count,
            multiOutput: multiOutput
        )
        if radius {
            neighborhood = .radius(
                try NeighborSearch.radius(of: object),
                outliers: try Self.outliers(object, classesPerOutput, multiOutput: multiOutput)
            )
        } else {
            neighborhood = .nearest(try search.neighborCount(of: object))
        }
    }

    /// `outlier_label_`, which must name a class of each output: scikit-learn would answer
    /// a label outside `classes_`, which this cannot represent.
    private static func outliers(
        _ object: FittedObject,
        _ classes: [ClassLabels],
        multiOutput: Bool
    ) throws(EstimatorError) -> Outliers? {
        guard let raw = object.optional("outlier_label_") else { return nil }
        let items: [PickleValue]
        switch raw {
        case .list(let list): items = list.items
        case .tuple(let values): items = values
        default: items = [raw]
        }
        guard items.count == classes.count else {
            throw object.error("outlier_label_", "expected one label per output")
        }
        var labelIndex: [Int] = []
        for (item, labels) in zip(items, classes) {
            guard let index = neighborLabelIndex(item, in: labels) else {
                throw EstimatorError(
                    .unsupportedOption,
                    className: object.qualifiedName,
                    attribute: "outlier_label",
                    "an outlier label that is not one of classes_ is not supported"
                )
            }
            labelIndex.append(index)
        }
        var probabilityIndex = labelIndex.map { Optional($0) }
        if try usesClassMode(object, radius: true, multiOutput: multiOutput) {
            probabilityIndex = [classModeOutlierColumn(object, classes[0])]
        }
        return Outliers(labelIndex: labelIndex, probabilityIndex: probabilityIndex)
    }

    /// The column `RadiusNeighborsClassMode` gives an outlier's probability of 1: where
    /// `unique_Y_labels` equals the `outlier_label` parameter (not `outlier_label_`, so
    /// 'most_frequent' matches nothing). Before 1.8 those are `classes_` cast to integers;
    /// from 1.8 the positions 0, 1, …
    private static func classModeOutlierColumn(_ object: FittedObject, _ classes: ClassLabels)
        -> Int?
    {
        guard let raw = object.optional("outlier_label"),
            let number = try? ArrayDecoder.number(raw)
        else { return nil }
        if object.sklearnVersion >= .init(1, 8) {
            guard let position = Int(exactly: number), position >= 0, position < classes.count
            else { return nil }
            return position
        }
        let truncated: [Double]
        switch classes {
        case .integers(let labels): truncated = labels.map { Double($0) }
        case .unsignedIntegers(let labels): truncated = labels.map { Double($0) }
        case .floats(let labels): truncated = labels.map { $0.rounded(.towardZero) }
        case .booleans(let labels): truncated = labels.map { $0 ? 1 : 0 }
        case .strings: return nil
        }
        return truncated.firstIndex(of: number)
    }

    /// Whether scikit-learn answers this model with a class-mode reduction (`ArgKminClassMode`
    /// from 1.3, `RadiusNeighborsClassMode` from 1.4): uniform weights, brute force, one
    /// output, and a metric other than euclidean as `_adjusted_metric` names it.
    private static func usesClassMode(_ object: FittedObject, radius: Bool, multiOutput: Bool)
        throws(EstimatorError) -> Bool
    {
        guard object.sklearnVersion >= .init(1, radius ? 4 : 3), !multiOutput,
            try NeighborWeights(object) == .uniform, object.string("_fit_method") == "brute"
        else { return false }
        var metric = object.string("metric") ?? ""
        if metric == "minkowski", (try? object.number("p")) == 2 { metric = "euclidean" }
        // Metrics brute force leaves to `pairwise_distances_chunked` have no reduction.
        let reduced = NeighborSearch.reductionMetrics(object.sklearnVersion)
        guard reduced.contains(object.string("effective_metric_") ?? "") else { return false }
        return metric != "euclidean" && metric != "sqeuclidean"
    }

    /// Refuses a model that scikit-learn itself cannot predict with: before 1.8 its
    /// class-mode reductions cast `classes_` to integers, which fails for text labels.
    private static func requirePredictable(
        _ object: FittedObject,
        _ classes: [ClassLabels],
        radius: Bool
    ) throws(EstimatorError) {
        guard object.sklearnVersion < .init(1, 8), case .strings = classes[0],
            try usesClassMode(object, radius: radius, multiOutput: classes.count > 1)
        else { return }
        throw EstimatorError(
            .unsupportedOption,
            className: object.qualifiedName,
            attribute: "classes_",
            "scikit-learn \(object.string("_sklearn_version") ?? "") cannot predict with this "
                + "model (text labels with uniform weights, brute force and metric "
                + "'\(object.string("metric") ?? "")' fail in its class-mode reduction), so "
                + "neither can Augur"
        )
    }

    // MARK: - Prediction

    /// Each row's neighbors, or the first row that scikit-learn refuses.
    private func neighbors(_ input: Matrix) throws(InputError) -> [[(distance: Double, index: Int)]]
    {
        var result: [[(distance: Double, index: Int)]] = []
        result.reserveCapacity(input.rows)
        try search.validate(input)
        try input.values.withUnsafeBufferPointer { values throws(InputError) in
            for row in 0..<input.rows {
                let point = values.baseAddress! + row * input.columns
                let found: [(distance: Double, index: Int)]
                switch neighborhood {
                case .nearest(let k):
                    found = search.nearest(point, count: k)
                case .radius(let radius, let outliers):
                    found = search.within(point, radius: radius)
                    if found.isEmpty, outliers == nil {
                        throw InputError(
                            row: row,
                            column: nil,
                            "no training rows lie within the radius \(radius) of this row, and "
                                + "the model has no outlier_label"
                        )
                    }
                }
                if refusesZeroWeights, let weights = weights.weights(found.map(\.distance)),
                    !found.isEmpty,
                    weights.allSatisfy({ $0 == 0 })
                {
                    throw InputError(
                        row: row,
                        column: nil,
                        "every neighbor of this row gets zero weight (it is infinitely far "
                            + "from them all)"
                    )
                }
                result.append(found)
            }
        }
        return result
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> [Matrix] {
        // Each row's probabilities for every output, a block of rows at a time: a block's
        // neighbors (up to every training row each, in a radius) stay bounded.
        let rows = try RowBlocks.map(input, width: search.count) { block throws(InputError) in
            let found = try neighbors(block)
            let outputs = classesPerOutput.indices.map { probabilities(found, output: $0) }
            return (0..<block.rows).map { row in outputs.map { Array($0.row(row)) } }
        }
        return classesPerOutput.indices.map { output in
            Matrix(
                rows: rows.count,
                columns: classesPerOutput[output].count,
                values: rows.flatMap { $0[output] }
            )
        }
    }

    private func probabilities(_ found: [[(distance: Double, index: Int)]], output: Int)
        -> Matrix
    {
        let classCount = classesPerOutput[output].count
        var result = Matrix(rows: found.count, columns: classCount)
        for (row, neighbors) in found.enumerated() {
            var scores = classScores(neighbors, output: output)
            if neighbors.isEmpty, case .radius(_, let outliers?) = neighborhood,
                let index = outliers.probabilityIndex[output]
            {
                scores[index] = 1
            }
            var total = NumpyReductions.sum(scores)
            // A radius row whose outlier label has no column keeps its zeros, as does,
            // before 1.4, a row whose neighbors all weigh zero.
            if total == 0, !refusesZeroWeights { total = 1 }
            for column in 0..<classCount {
                result[row, column] = scores[column] / total
            }
        }
        return result
    }

    /// The weight each class gathers among `neighbors`, added in neighbor order.
    private func classScores(_ neighbors: [(distance: Double, index: Int)], output: Int)
        -> [Double]
    {
        var scores = [Double](repeating: 0, count: classesPerOutput[output].count)
        let weights = weights.weights(neighbors.map(\.distance))
        for (position, neighbor) in neighbors.enumerated() {
            scores[codes[output][neighbor.index]] += weights?[position] ?? 1
        }
        return scores
    }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [[Int]] {
        // Each row's label for every output, a block of rows at a time.
        let rows = try RowBlocks.map(input, width: search.count) { block throws(InputError) in
            let outputs = try classIndices(block)
            return (0..<block.rows).map { row in outputs.map { $0[row] } }
        }
        return classesPerOutput.indices.map { output in rows.map { $0[output] } }
    }

    private func classIndices(_ input: Matrix) throws(InputError) -> [[Int]] {
        let found = try neighbors(input)
        return classesPerOutput.indices.map { output in
            switch (neighborhood, weights) {
            case (.nearest, .distance):
                return found.map { weightedMode($0, output: output) }
            case (.nearest, .uniform):
                return found.map {
                    Probability.argmax(classScores($0, output: output)[...])
                }
            case (.radius(_, let outliers), _):
                // scikit-learn takes the argmax of the probabilities; a row whose
                // probabilities are all zero takes the outlier label.
                let probabilities = probabilities(found, output: output)
                return Probability.argmaxOfRows(probabilities).enumerated().map {
                    row,
                    index in
                    let zero = probabilities.row(row).allSatisfy { $0 == 0 }
                    return zero ? outliers?.labelIndex[output] ?? index : index
                }
            }
        }
    }

    /// This model as the kind of estimator its `y` made it.
    var estimator: Estimator {
        classesPerOutput.count == 1
            ? .classifier(OneOutput(model: self)) : .multiOutputClassifier(self)
    }

    /// A model fitted on a 1-D `y`.
    struct OneOutput: Classifier {
        let model: NeighborsClassifier

        var inputWidth: Int { model.inputWidth }
        var classes: ClassLabels { model.classesPerOutput[0] }
        var acceptsMissing: Bool { model.acceptsMissing }

        func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
            try model.predictClassIndices(input)[0]
        }

        func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
            try model.predictProbabilities(input)[0]
        }
    }

    /// `sklearn.utils.extmath.weighted_mode`: each class present among the neighbors, in
    /// class order, sums its weights (numpy's sum over a row holding zeros for the other
    /// classes); a class wins only with a strictly larger sum, starting from class 0 at 0.
    private func weightedMode(_ neighbors: [(distance: Double, index: Int)], output: Int) -> Int {
        let weights = weights.weights(neighbors.map(\.distance)) ?? []
        let labels = neighbors.map { codes[output][$0.index] }
        var best = 0
        var bestScore = 0.0
        for label in Set(labels).sorted() {
            let template = zip(labels, weights).map { $0 == label ? $1 : 0 }
            let score = NumpyReductions.sum(template)
            if score > bestScore { best = label }
            // `np.maximum` of the running best: a NaN sum (a neighbor sharing no
            // coordinate with the row) ends the contest.
            bestScore = score.isNaN || bestScore.isNaN ? .nan : max(score, bestScore)
        }
        return best
    }
}

extension NeighborWeights: Equatable {}

/// A label stored as a Python or numpy scalar, found among `labels`.
func neighborLabelIndex(_ value: PickleValue, in labels: ClassLabels) -> Int? {
    if case .strings(let names) = labels {
        if case .string(let text) = value { return names.firstIndex(of: text) }
        guard let array = try? ArrayDecoder.array(value), array.count == 1,
            let text = try? array.strings().first
        else { return nil }
        return names.firstIndex(of: text)
    }
    return DummyClassPrediction.index(of: value, in: labels)
}

extension FittedObject {
    /// `_y` of a neighbors classifier: the class index of each training row, one column
    /// per output.
    func neighborCodes(classCounts: [Int], rows: Int, multiOutput: Bool) throws(EstimatorError)
        -> [[Int]]
    {
        let array = try array("_y")
        let values = try reading("_y") { () throws(ArrayError) in try array.integers() }
        let outputs = classCounts.count
        guard values.count == rows * outputs else {
            throw error("_y", "expected \(rows) rows of \(outputs) outputs, found \(array.shape)")
        }
        var codes = [[Int]](repeating: [], count: outputs)
        for output in 0..<outputs {
            codes[output] = (0..<rows).map { Int(values[$0 * outputs + output]) }
            guard codes[output].allSatisfy({ $0 >= 0 && $0 < classCounts[output] }) else {
                throw error("_y", "holds a class index outside classes_")
            }
        }
        return codes
    }
}
