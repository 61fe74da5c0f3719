import Pickle

/// Every feature selector: the input columns of its support mask, in order.
struct ColumnSelector: Transformer {
    /// The input columns kept (`get_support(indices=True)`).
    let kept: [Int]
    let inputWidth: Int
    let acceptsMissing: Bool

    var outputWidth: Int { kept.count }

    init(support: [Bool], acceptsMissing: Bool) {
        kept = support.indices.filter { support[$0] }
        inputWidth = support.count
        self.acceptsMissing = acceptsMissing
    }

    func transform(_ input: Matrix) -> Matrix {
        input.selecting(columns: kept)
    }
}

/// The support masks of scikit-learn's selectors, computed from their fitted attributes
/// as each class's `_get_support_mask` computes them.
enum SupportMask {
    /// `VarianceThreshold`: features whose variance exceeds the threshold.
    static func varianceThreshold(_ object: FittedObject) throws(EstimatorError) -> [Bool] {
        let threshold = try object.number("threshold")
        return try object.doubles("variances_").map { $0 > threshold }
    }

    /// `SelectKBest`: the `k` best scores, ties going to the later feature as a stable
    /// ascending sort leaves them.
    static func kBest(_ object: FittedObject) throws(EstimatorError) -> [Bool] {
        try kBest(object, parameter: "k")
    }

    private static func kBest(_ object: FittedObject, parameter: String) throws(EstimatorError)
        -> [Bool]
    {
        let scores = try cleanScores(object)
        if object.string(parameter) == "all" { return scores.map { _ in true } }
        let k = try object.integer(parameter)
        guard (0...scores.count).contains(k) else {
            throw object.error(parameter, "is \(k) for \(scores.count) features")
        }
        var mask = scores.map { _ in false }
        for index in NumpyReductions.stableArgsort(scores).suffix(k) { mask[index] = true }
        return mask
    }

    /// `SelectPercentile`: scores above the percentile, then tied scores in feature order
    /// until the kept count reaches `percentile` percent.
    static func percentile(_ object: FittedObject) throws(EstimatorError) -> [Bool] {
        try percentile(object, parameter: "percentile")
    }

    private static func percentile(_ object: FittedObject, parameter: String)
        throws(EstimatorError) -> [Bool]
    {
        let scores = try cleanScores(object)
        let percentile = try object.number(parameter)
        guard (0...100).contains(percentile) else {
            throw object.error(parameter, "expected 0...100, found \(percentile)")
        }
        if percentile == 100 { return scores.map { _ in true } }
        if percentile == 0 { return scores.map { _ in false } }
        let threshold = NumpyReductions.percentile(scores, 100 - percentile)
        var mask = scores.map { $0 > threshold }
        let ties = scores.indices.filter { scores[$0] == threshold }
        let maximum = Int(Double(scores.count) * percentile / 100)
        // `ties[:room]` in Python: a negative room counts from the end.
        let room = maximum - mask.filter { $0 }.count
        for index in ties.prefix(room >= 0 ? room : max(ties.count + room, 0)) {
            mask[index] = true
        }
        return mask
    }

    /// The p-value tests: `SelectFpr` (p below alpha), `SelectFwe` (below alpha over the
    /// feature count) and `SelectFdr` (Benjamini-Hochberg: up to the largest sorted p at
    /// or below its rank's share of alpha).
    enum PValueTest: String {
        case fpr, fdr, fwe
    }

    static func pValues(_ object: FittedObject, _ test: PValueTest) throws(EstimatorError)
        -> [Bool]
    {
        try pValues(object, test, parameter: "alpha")
    }

    private static func pValues(
        _ object: FittedObject,
        _ test: PValueTest,
        parameter: String
    ) throws(EstimatorError) -> [Bool] {
        let pvalues = try object.doubles("pvalues_")
        let alpha = try object.number(parameter)
        switch test {
        case .fpr: return pvalues.map { $0 < alpha }
        case .fwe: return pvalues.map { $0 < alpha / Double(pvalues.count) }
        case .fdr:
            let count = Double(pvalues.count)
            // numpy sorts NaN last; it never passes the test.
            let sorted = pvalues.filter { !$0.isNaN }.sorted()
            let passing = sorted.indices.filter { sorted[$0] <= alpha / count * Double($0 + 1) }
            guard let last = passing.last else { return pvalues.map { _ in false } }
            let largest = sorted[last]
            return pvalues.map { $0 <= largest }
        }
    }

    /// `GenericUnivariateSelect`: the selector of its `mode`, with `param` as its
    /// parameter.
    static func generic(_ object: FittedObject) throws(EstimatorError) -> [Bool] {
        switch object.string("mode") ?? "percentile" {
        case "percentile": return try percentile(object, parameter: "param")
        case "k_best": return try kBest(object, parameter: "param")
        case let mode:
            guard let test = PValueTest(rawValue: mode) else {
                throw object.unsupported("mode", "'\(mode)' is not supported")
            }
            return try pValues(object, test, parameter: "param")
        }
    }

    /// `scores_` with NaN replaced by the lowest double, as `_clean_nans` does.
    private static func cleanScores(_ object: FittedObject) throws(EstimatorError) -> [Double] {
        try object.doubles("scores_").map { $0.isNaN ? -Double.greatestFiniteMagnitude : $0 }
    }

    /// `SelectFromModel`: the importances (`|coef_|`, its norm over classes, or a tree
    /// model's `feature_importances_`) at or above the threshold, among the `max_features` largest when that is set.
    static func fromModel(_ object: FittedObject) throws(EstimatorError) -> [Bool] {
        let estimator = try object.nested(
            object.optional("estimator_") == nil ? "estimator" : "estimator_"
        )
        if let getter = object.string("importance_getter"), getter != "auto" {
            throw object.unsupported("importance_getter", "only 'auto' is supported")
        }
        let importances = try self.importances(estimator, object)
        let threshold = try self.threshold(object, estimator, importances)
        var mask = importances.map { _ in true }
        if object.optional("max_features") != nil {
            let limit = try object.integer(
                object.optional("max_features_") == nil ? "max_features" : "max_features_"
            )
            let order = NumpyReductions.stableArgsort(importances.map { -$0 })
            let candidates = Set(order.prefix(max(limit, 0)))
            mask = importances.indices.map { candidates.contains($0) }
        }
        for index in importances.indices where importances[index] < threshold {
            mask[index] = false
        }
        return mask
    }

    /// Whether the selector's `transform` takes NaN: scikit-learn asks its estimator's
    /// `allow_nan` tag; an estimator Augur cannot build counts as refusing NaN.
    static func estimatorAcceptsMissing(_ object: FittedObject, depth: Int) -> Bool {
        let attribute = object.optional("estimator_") == nil ? "estimator" : "estimator_"
        guard let child = try? object.nested(attribute),
            let built = try? EstimatorRegistry.estimator(child, depth: depth + 1)
        else { return false }
        return built.acceptsMissing
    }

    private static func importances(_ estimator: FittedObject, _ selector: FittedObject)
        throws(EstimatorError) -> [Double]
    {
        guard estimator.optional("coef_") != nil else {
            if let importances = try TreeImportances.of(estimator) { return importances }
            throw selector.unsupported(
                "estimator_",
                "\(estimator.className) has neither coef_ nor the trees of a decision tree "
                    + "or forest to compute feature_importances_ from"
            )
        }
        let coef = try estimator.array("coef_")
        let values = try estimator.doubles("coef_")
        if coef.shape.count == 1 { return values.map { abs($0) } }
        guard coef.shape.count == 2, coef.shape[0] > 0 else {
            throw estimator.error("coef_", "expected a 1-D or 2-D array, found \(coef.shape)")
        }
        let (rows, columns) = (coef.shape[0], coef.shape[1])
        // numpy.linalg.norm over axis 0 sums row after row.
        let order = try selector.number("norm_order", default: 1)
        return (0..<columns).map { column in
            let cells = (0..<rows).map { abs(values[$0 * columns + column]) }
            switch order {
            case .infinity: return cells.max() ?? 0
            case 1: return cells.dropFirst().reduce(cells[0], +)
            case 2:
                return cells.dropFirst().reduce(cells[0] * cells[0]) { $0 + $1 * $1 }
                    .squareRoot()
            default:
                return cells.dropFirst().reduce(cells[0].power(order)) { $0 + $1.power(order) }
                    .power(1 / order)
            }
        }
    }

    /// `_calculate_threshold`: a number, "mean", "median", "<scale>*mean|median", or by
    /// default 1e-5 for l1-penalised models and the mean otherwise.
    private static func threshold(
        _ selector: FittedObject,
        _ estimator: FittedObject,
        _ importances: [Double]
    ) throws(EstimatorError) -> Double {
        switch selector.optional("threshold") {
        case nil:
            return isL1Penalized(estimator) ? 1e-5 : NumpyReductions.mean(importances)
        case .string(let text):
            var scale = 1.0
            var reference = text
            if let star = text.firstIndex(of: "*") {
                guard let factor = Double(text[..<star].filter { $0 != " " }) else {
                    throw selector.unsupported("threshold", "cannot read '\(text)'")
                }
                scale = factor
                reference = String(text[text.index(after: star)...].filter { $0 != " " })
            }
            switch reference {
            case "mean": return scale * NumpyReductions.mean(importances)
            case "median": return scale * NumpyReductions.median(importances)
            default: throw selector.unsupported("threshold", "cannot read '\(text)'")
            }
        default:
            return try selector.number("threshold")
        }
    }

    private static func isL1Penalized(_ estimator: FittedObject) -> Bool {
        let name = estimator.className
        if estimator.string("penalty") == "l1" || name.contains("Lasso") { return true }
        let ratio = (try? estimator.number("l1_ratio")).map { abs($0 - 1) <= 1e-8 + 1e-5 }
        return ["ElasticNet", "LogisticRegression"].contains(name) && ratio == true
    }
}

extension EstimatorRegistry {
    /// `RFE` and `RFECV`: a column selector (`support_`) before the refitted `estimator_`.
    /// It predicts with `estimator_` on the selected columns, and its `transform` selects
    /// them (what a pipeline uses when it is not the last step).
    static func recursiveElimination(_ object: FittedObject, depth: Int) throws(EstimatorError)
        -> Estimator
    {
        let support = try object.flags("support_")
        let child = try object.nested("estimator_")
        let final = try estimator(child, depth: depth + 1)
        let selector = ColumnSelector(support: support, acceptsMissing: final.acceptsMissing)
        guard final.inputWidth == selector.outputWidth else {
            throw object.error(
                "support_",
                "keeps \(selector.outputWidth) features, estimator_ takes \(final.inputWidth)"
            )
        }
        switch final {
        case .classifier(let classifier):
            return .classifier(SelectedColumnsClassifier(selector: selector, final: classifier))
        case .regressor(let regressor):
            return .regressor(SelectedColumnsRegressor(selector: selector, final: regressor))
        default:
            throw object.unsupported(
                "estimator_",
                "\(child.className) is neither a classifier nor a regressor"
            )
        }
    }
}

/// A classifier that sees only the selected columns (`RFE.predict` and friends).
struct SelectedColumnsClassifier: Classifier {
    let selector: ColumnSelector
    let final: any Classifier

    var inputWidth: Int { selector.inputWidth }
    var classes: ClassLabels { final.classes }
    var acceptsMissing: Bool { final.acceptsMissing }
    var hasProbabilities: Bool { final.hasProbabilities }
    var hasDecisionFunction: Bool { final.hasDecisionFunction }
    var transformation: (any Transformer)? { selector }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        try final.predictClassIndices(selector.transform(input))
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        try final.predictProbabilities(selector.transform(input))
    }

    func decisionFunction(_ input: Matrix) throws(InputError) -> Matrix {
        try final.decisionFunction(selector.transform(input))
    }
}

/// A regressor that sees only the selected columns (`RFE.predict`).
struct SelectedColumnsRegressor: Regressor {
    let selector: ColumnSelector
    let final: any Regressor

    var inputWidth: Int { selector.inputWidth }
    var acceptsMissing: Bool { final.acceptsMissing }
    var targetCount: Int? { final.targetCount }
    var transformation: (any Transformer)? { selector }

    func predict(_ input: Matrix) throws(InputError) -> Matrix {
        try final.predict(selector.transform(input))
    }
}
