/// `sklearn.svm.SVC` and `NuSVC`: libsvm's one-vs-one classifiers. `predict` is libsvm's
/// vote over the pairs of classes (or, with `break_ties`, the largest one-vs-rest value);
/// `decision_function` the pairwise values, or their one-vs-rest transform; `predict_proba`,
/// for models fitted with `probability=True`, Platt's sigmoid per pair coupled into one
/// distribution as libsvm does it.
struct SupportVectorClassifier: Classifier {
    let model: LibSVMModel
    let classes: ClassLabels
    let className: String
    /// `decision_function_shape == 'ovr'`: the pairwise values become one column per class.
    let oneVsRestShape: Bool
    /// `break_ties` (with the one-vs-rest shape and three classes or more).
    let breaksTies: Bool
    /// `_probA` and `_probB`, one per pair of classes, when `predict_proba` is available.
    let platt: (a: [Double], b: [Double])?

    var inputWidth: Int { model.inputWidth }
    var hasProbabilities: Bool { platt != nil }
    var hasDecisionFunction: Bool { true }
    private var pairCount: Int { classes.count * (classes.count - 1) / 2 }

    init(_ object: FittedObject) throws(EstimatorError) {
        let classes = try object.classLabels()
        guard classes.count >= 2 else {
            throw object.error("classes_", "a classifier needs two classes or more")
        }
        self.classes = classes
        className = object.className
        model = try LibSVMModel(object, classCount: classes.count)
        // Before 0.19 the default was None (or, before 0.17, no such option): one-vs-one.
        switch object.string("decision_function_shape") ?? "ovo" {
        case "ovr": oneVsRestShape = true
        case "ovo": oneVsRestShape = false
        case let other:
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "decision_function_shape",
                "'\(other)' is not supported; expected 'ovr' or 'ovo'"
            )
        }
        let breakTies = object.boolean("break_ties", default: false)
        if breakTies, !oneVsRestShape {
            // scikit-learn's predict raises for every row of such a model.
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "break_ties",
                "break_ties=True with decision_function_shape='ovo' cannot predict"
            )
        }
        breaksTies = breakTies && classes.count > 2
        // `probability` is True, False, or from 1.9 the string 'deprecated' (False).
        let probability = object.boolean("probability", default: false)
        let pairs = classes.count * (classes.count - 1) / 2
        platt = probability ? try object.plattCoefficients(pairCount: pairs) : nil
    }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        if breaksTies {
            return Probability.argmaxOfRows(try decisionFunction(input))
        }
        var indices: [Int] = []
        indices.reserveCapacity(input.rows)
        try forEachRow(input) { _, values in indices.append(model.votedClass(values)) }
        return indices
    }

    func decisionFunction(_ input: Matrix) throws(InputError) -> Matrix {
        let classCount = classes.count
        if classCount == 2 {
            // scikit-learn negates libsvm's value for two classes: positive means classes_[1].
            var result = Matrix(rows: input.rows, columns: 1)
            try forEachRow(input) { row, values in result.values[row] = -values[0] }
            return result
        }
        let width = oneVsRestShape ? classCount : pairCount
        var result = Matrix(rows: input.rows, columns: width)
        try forEachRow(input) { row, values in
            let start = row * width
            if oneVsRestShape {
                Self.oneVsRest(values, classCount: classCount) { column, value in
                    result.values[start + column] = value
                }
            } else {
                for pair in 0..<width { result.values[start + pair] = values[pair] }
            }
        }
        return result
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        guard let platt else {
            preconditionFailure("predict_proba called on an SVM fitted without probabilities")
        }
        let classCount = classes.count
        var result = Matrix(rows: input.rows, columns: classCount)
        var pairwise = [Double](repeating: 0, count: classCount * classCount)
        try forEachRow(input) { row, values in
            var pair = 0
            for first in 0..<classCount {
                for second in (first + 1)..<classCount {
                    let probability = Platt.sigmoid(values[pair], platt.a[pair], platt.b[pair])
                    // libsvm's min(max(p, min_prob), 1 - min_prob), NaN becoming min_prob.
                    let minimum = 1e-7
                    let atLeast = probability > minimum ? probability : minimum
                    let clipped = atLeast < 1 - minimum ? atLeast : 1 - minimum
                    pairwise[first * classCount + second] = clipped
                    pairwise[second * classCount + first] = 1 - clipped
                    pair += 1
                }
            }
            let estimates = Platt.coupled(pairwise, classCount: classCount)
            for column in 0..<classCount {
                result.values[row * classCount + column] = estimates[column]
            }
        }
        return result
    }

    /// Runs `body` with each row's pairwise decision values, after refusing NaN as
    /// scikit-learn does.
    private func forEachRow(
        _ input: Matrix,
        _ body: (_ row: Int, _ decisionValues: [Double]) -> Void
    ) throws(InputError) {
        try input.requireNoMissing(by: className)
        var kernelValues = [Double](repeating: 0, count: model.supportVectors.rows)
        var decisionValues = [Double](repeating: 0, count: pairCount)
        for row in 0..<input.rows {
            model.kernelValues(input.row(row), into: &kernelValues)
            model.pairwiseDecisionValues(kernelValues, into: &decisionValues)
            body(row, decisionValues)
        }
    }

    /// `sklearn.utils.multiclass._ovr_decision_function(dec < 0, -dec, n_classes)`: a vote
    /// per pair plus the summed confidences squashed into (-1/3, 1/3), which breaks ties
    /// between equal votes without overturning a one-vote difference.
    static func oneVsRest(
        _ values: [Double],
        classCount: Int,
        _ write: (_ column: Int, _ value: Double) -> Void
    ) {
        var votes = [Double](repeating: 0, count: classCount)
        var confidences = [Double](repeating: 0, count: classCount)
        var pair = 0
        for first in 0..<classCount {
            for second in (first + 1)..<classCount {
                let confidence = -values[pair]
                confidences[first] -= confidence
                confidences[second] += confidence
                // `dec < 0` is the prediction: false (NaN too) votes for the first class.
                if values[pair] < 0 {
                    votes[second] += 1
                } else {
                    votes[first] += 1
                }
                pair += 1
            }
        }
        for column in 0..<classCount {
            let sum = confidences[column]
            write(column, votes[column] + sum / (3 * (Swift.abs(sum) + 1)))
        }
    }
}

/// libsvm's probability estimates for classifiers (svm.cpp).
enum Platt {
    /// `sigmoid_predict`: `1 / (1 + exp(decision * A + B))`, written so that neither branch
    /// loses precision to cancellation.
    static func sigmoid(_ decisionValue: Double, _ a: Double, _ b: Double) -> Double {
        let fApB = decisionValue * a + b
        if fApB >= 0 {
            return (-fApB).exp() / (1.0 + (-fApB).exp())
        }
        return 1.0 / (1 + fApB.exp())
    }

    /// `multiclass_probability`: method 2 of Wu, Lin and Weng (2004), which turns pairwise
    /// probabilities `r[i][j]` (row-major, `classCount` wide) into one distribution by
    /// the same iterations, stopping rule and iteration limit as libsvm.
    static func coupled(_ r: [Double], classCount k: Int) -> [Double] {
        var p = [Double](repeating: 1.0 / Double(k), count: k)
        var q = [Double](repeating: 0, count: k * k)
        for t in 0..<k {
            q[t * k + t] = 0
            for j in 0..<t {
                q[t * k + t] += r[j * k + t] * r[j * k + t]
                q[t * k + j] = q[j * k + t]
            }
            for j in (t + 1)..<k {
                q[t * k + t] += r[j * k + t] * r[j * k + t]
                q[t * k + j] = -r[j * k + t] * r[t * k + j]
            }
        }
        let maxIterations = Swift.max(100, k)
        let tolerance = 0.005 / Double(k)
        var qp = [Double](repeating: 0, count: k)
        for _ in 0..<maxIterations {
            // The stopping rule, with Qp and pQp recomputed for accuracy.
            var pQp = 0.0
            for t in 0..<k {
                qp[t] = 0
                for j in 0..<k { qp[t] += q[t * k + j] * p[j] }
                pQp += p[t] * qp[t]
            }
            var maxError = 0.0
            for t in 0..<k {
                let error = Swift.abs(qp[t] - pQp)
                if error > maxError { maxError = error }
            }
            if maxError < tolerance { break }
            for t in 0..<k {
                let diff = (-qp[t] + pQp) / q[t * k + t]
                p[t] += diff
                pQp = (pQp + diff * (diff * q[t * k + t] + 2 * qp[t])) / (1 + diff) / (1 + diff)
                for j in 0..<k {
                    qp[j] = (qp[j] + diff * q[t * k + j]) / (1 + diff)
                    p[j] /= (1 + diff)
                }
            }
        }
        return p
    }
}
