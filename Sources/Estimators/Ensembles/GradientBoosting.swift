import Arrays
import Pickle

/// The stages of a fitted `GradientBoostingClassifier` or `GradientBoostingRegressor`:
/// raw predictions start from the init estimator's and add `learning_rate` times each
/// stage's tree value, stage by stage, as scikit-learn's `predict_stages` does.
struct BoostedStages: Sendable {
    /// `estimators_[stage][k]`, stage by stage: the tree of stage `s` and raw column `k` is
    /// tree `s * start.count + k`.
    let trees: PackedTrees
    /// Per node of ``trees``: `learning_rate` times the node's value, the term scikit-learn
    /// adds for a row ending there (the product is the same whenever it is taken).
    let scaledValues: [Double]
    /// The raw prediction every row starts from: the init estimator's does not depend on
    /// the row for the supported inits (`'zero'`, `DummyClassifier`, `DummyRegressor`).
    let start: [Double]
    /// The raw column of each tree (`tree % start.count`, looked up rather than divided).
    let treeColumns: [Int]
    let inputWidth: Int

    init(_ object: FittedObject, start: [Double]) throws(EstimatorError) {
        let array = try object.array("estimators_")
        let members = try object.reading("estimators_") { () throws(ArrayError) in
            try array.objects()
        }
        let columns = start.count
        guard array.shape.count == 2, array.shape[1] == columns, array.shape[0] >= 1 else {
            throw object.error(
                "estimators_",
                "shape \(array.shape) does not fit \(columns) trees per stage"
            )
        }
        inputWidth = try object.integer("n_features_in_")
        var trees: [TreeStructure] = []
        for stage in 0..<array.shape[0] {
            for column in 0..<columns {
                let member = try FittedObject(members[stage * columns + column])
                let tree = try TreeStructure(try member.value("tree_"), owner: member.qualifiedName)
                guard tree.outputCount == 1, tree.valueWidth == 1, tree.featureCount == inputWidth
                else {
                    throw object.error(
                        "estimators_",
                        "stage \(stage) holds a tree that does not fit the model"
                    )
                }
                trees.append(tree)
            }
        }
        self.trees = try PackedTrees(trees, owner: object)
        let learningRate = try object.number("learning_rate")
        scaledValues = trees.flatMap { $0.values.map { learningRate * $0 } }
        self.start = start
        treeColumns = trees.indices.map { $0 % columns }
    }

    /// One row of raw predictions per input row, `start.count` columns: each column
    /// starts from `start` and adds its trees' terms stage by stage, as scikit-learn's
    /// `predict_stages` does.
    func rawPredictions(_ input: Matrix) -> Matrix {
        let columns = start.count
        var result = Matrix(rows: input.rows, columns: columns)
        for row in 0..<input.rows {
            for column in 0..<columns { result[row, column] = start[column] }
        }
        result.values.withUnsafeMutableBufferPointer { raw in
            scaledValues.withUnsafeBufferPointer { terms in
                treeColumns.withUnsafeBufferPointer { treeColumns in
                    trees.forEachLeaf(Float32Rows(input)) { tree, row, leaf in
                        raw[row * columns + treeColumns[tree]] += terms[leaf]
                    }
                }
            }
        }
        return result
    }
}

/// What the init estimator (`init_`) of a gradient boosting model predicts, before the
/// loss turns it into raw predictions.
enum BoostingInit {
    /// `init='zero'`: raw predictions start at 0.
    case zero
    /// A `DummyClassifier`'s `predict_proba`, the same for every row.
    case probabilities([Double])
    /// A `DummyRegressor`'s `predict`.
    case constant(Double)

    init(_ object: FittedObject) throws(EstimatorError) {
        guard let value = object.optional("init_") else {
            throw object.error("init_", "missing; the model file may not be fitted")
        }
        if case .string(let text) = value {
            guard text == "zero" else {
                throw object.error("init_", "expected 'zero' or an estimator, found '\(text)'")
            }
            self = .zero
            return
        }
        let estimator = try FittedObject(value)
        switch estimator.className {
        case "DummyClassifier":
            self = .probabilities(try Self.dummyProbabilities(estimator))
        case "DummyRegressor":
            self = .constant(try DummyRegressor.singleConstant(estimator))
        default:
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "init_",
                "an init estimator \(estimator.className) is not supported; supported: "
                    + "'zero', DummyClassifier, DummyRegressor"
            )
        }
    }

    /// `DummyClassifier.predict_proba`, as the served `DummyClassifier` gives it (boosting
    /// fits its init on the encoded labels 0, 1, …, which a constant is compared with).
    private static func dummyProbabilities(_ dummy: FittedObject) throws(EstimatorError)
        -> [Double]
    {
        try DummyClassPrediction.singleOutput(dummy).probabilities
    }
}

/// `sklearn.ensemble.GradientBoostingRegressor`: every loss predicts the raw value.
struct GradientBoostingRegressor: Regressor {
    let stages: BoostedStages

    var inputWidth: Int { stages.inputWidth }

    init(_ object: FittedObject) throws(EstimatorError) {
        let start: Double
        switch try BoostingInit(object) {
        case .zero: start = 0
        case .constant(let value): start = value
        case .probabilities:
            throw object.error("init_", "a regressor's init must be a regressor")
        }
        stages = try BoostedStages(object, start: [start])
    }

    func predict(_ input: Matrix) -> Matrix { stages.rawPredictions(input) }
}

/// `sklearn.ensemble.GradientBoostingClassifier`, binary or multiclass, with the
/// `log_loss` (formerly `deviance`) or `exponential` loss.
struct GradientBoostingClassifier: Classifier {
    enum Loss {
        case binomial
        case multinomial
        case exponential
    }

    let stages: BoostedStages
    let classes: ClassLabels
    let loss: Loss
    /// Files from before scikit-learn 1.4 turned raw predictions into probabilities and
    /// labels with their own loss objects (a log-sum-exp, an argmax of probabilities);
    /// later ones with the shared `_loss` module (a softmax, the sign of the raw value).
    let legacyLoss: Bool

    var inputWidth: Int { stages.inputWidth }
    var hasDecisionFunction: Bool { true }

    init(_ object: FittedObject) throws(EstimatorError) {
        classes = try object.classLabels()
        guard classes.count >= 2 else {
            throw object.error("classes_", "expected at least two classes")
        }
        let version = object.sklearnVersion
        legacyLoss = version < .init(1, 4)
        switch object.string("loss") {
        case "log_loss", "deviance":
            loss = classes.count == 2 ? .binomial : .multinomial
        case "exponential" where classes.count == 2:
            loss = .exponential
        case let name:
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "loss",
                "loss '\(name ?? "?")' is not supported for \(classes.count) classes"
            )
        }
        let columns = classes.count == 2 ? 1 : classes.count
        let start: [Double]
        switch try BoostingInit(object) {
        case .zero:
            start = [Double](repeating: 0, count: columns)
        case .probabilities(let probabilities):
            guard probabilities.count == classes.count else {
                throw object.error("init_", "its priors do not fit \(classes.count) classes")
            }
            start = Self.initialRaw(probabilities, loss: loss, version: version)
        case .constant:
            throw object.error("init_", "a classifier's init must be a classifier")
        }
        stages = try BoostedStages(object, start: start)
    }

    /// The init's probabilities, clipped to [eps, 1 - eps] (float32's eps before 1.8,
    /// float64's since), through the loss's link.
    static func initialRaw(_ probabilities: [Double], loss: Loss, version: ScikitLearnVersion)
        -> [Double]
    {
        let epsilon =
            version >= .init(1, 8) ? Double.ulpOfOne : Double(Float.ulpOfOne)
        func clip(_ value: Double) -> Double { min(max(value, epsilon), 1 - epsilon) }
        let legacy = version < .init(1, 4)
        // scipy's logit changed formula in scipy 1.15, the scipy of scikit-learn 1.7 on.
        let modernLogit = version >= .init(1, 7)
        func logit(_ value: Double) -> Double {
            if legacy || !modernLogit || value < 0.3 || value > 0.65 {
                return (value / (1 - value)).log()
            }
            let shifted = 2 * (value - 0.5)
            return shifted.log1p() - (-shifted).log1p()
        }
        switch loss {
        case .binomial:
            return [logit(clip(probabilities[1]))]
        case .exponential:
            return [0.5 * logit(clip(probabilities[1]))]
        case .multinomial:
            let clipped = probabilities.map(clip)
            if legacy { return clipped.map { $0.log() } }
            // The symmetric multinomial logit: log(p / geometric mean of p).
            let geometricMean = NumpyReductions.mean(clipped.map { $0.log() }[...]).exp()
            return clipped.map { ($0 / geometricMean).log() }
        }
    }

    func decisionFunction(_ input: Matrix) -> Matrix { stages.rawPredictions(input) }

    func predictProbabilities(_ input: Matrix) -> Matrix {
        let raw = stages.rawPredictions(input)
        switch loss {
        case .binomial, .exponential:
            var result = Matrix(rows: input.rows, columns: 2)
            for row in 0..<input.rows {
                let scale = loss == .exponential ? 2.0 : 1.0
                let positive = LinearAlgebra.expit(scale * raw.values[row])
                result[row, 0] = 1 - positive
                result[row, 1] = positive
            }
            return result
        case .multinomial:
            return legacyLoss ? Self.logSumExpProbabilities(raw) : NumpyReductions.softmax(raw)
        }
    }

    /// `exp(raw - logsumexp(raw))` row by row, as scikit-learn's old multinomial loss,
    /// with scipy's `logsumexp` (shift by the finite maximum, sum, log, shift back).
    static func logSumExpProbabilities(_ raw: Matrix) -> Matrix {
        var result = raw
        for row in 0..<raw.rows {
            let values = raw.row(row)
            var maximum = values.max() ?? 0
            if !maximum.isFinite { maximum = 0 }
            let sum = NumpyReductions.sum(values.map { ($0 - maximum).exp() }[...])
            let logSum = sum.log() + maximum
            for column in 0..<raw.columns {
                let value = (raw[row, column] - logSum).exp()
                // numpy's nan_to_num: NaN to 0, infinities to the largest finite values.
                result[row, column] =
                    value.isNaN
                    ? 0
                    : value.isInfinite
                        ? (value > 0 ? .greatestFiniteMagnitude : -.greatestFiniteMagnitude) : value
            }
        }
        return result
    }

    func predictClassIndices(_ input: Matrix) -> [Int] {
        let raw = stages.rawPredictions(input)
        switch loss {
        case .binomial where legacyLoss:
            // The argmax of [1 - p, p]: a tie (raw 0) picks the first class.
            return raw.values.map { value in
                let positive = LinearAlgebra.expit(value)
                return positive > 1 - positive ? 1 : 0
            }
        case .binomial, .exponential:
            return raw.values.map { $0 >= 0 ? 1 : 0 }
        case .multinomial:
            let scores = legacyLoss ? Self.logSumExpProbabilities(raw) : raw
            return Probability.argmaxOfRows(scores)
        }
    }
}
