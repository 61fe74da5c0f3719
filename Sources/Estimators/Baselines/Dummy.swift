import Arrays
import Pickle

/// What a fitted `DummyClassifier` answers for one output, the same for every row:
/// `predict_proba`'s row and the index of `predict`'s label. Also read by gradient
/// boosting, whose `init_` is such a classifier.
struct DummyClassPrediction: Sendable, Equatable {
    let probabilities: [Double]
    let labelIndex: Int

    /// `priors` is `class_prior_`, `labels` `classes_` and `constant` the `constant`
    /// parameter of the output; `strategy` names the classifier's strategy.
    init(
        _ dummy: FittedObject,
        strategy: String,
        priors: [Double],
        labels: ClassLabels,
        constant: PickleValue?
    ) throws(EstimatorError) {
        guard priors.count == labels.count, !priors.isEmpty else {
            throw dummy.error("class_prior_", "\(priors.count) priors for \(labels.count) classes")
        }
        var oneHot = [Double](repeating: 0, count: priors.count)
        switch strategy {
        case "prior":
            // `ones * class_prior_`: the priors as they are; predict takes their argmax.
            probabilities = priors
            labelIndex = Probability.argmax(priors[...])
        case "most_frequent":
            labelIndex = Probability.argmax(priors[...])
            oneHot[labelIndex] = 1
            probabilities = oneHot
        case "constant":
            guard let constant, let index = Self.index(of: constant, in: labels) else {
                throw dummy.error("constant", "is not one of classes_")
            }
            labelIndex = index
            oneHot[index] = 1
            probabilities = oneHot
        default:
            throw Self.unsupported(dummy, strategy)
        }
    }

    /// The strategy of a fitted dummy: `_strategy`, which fit copies from `strategy`.
    static func strategy(of dummy: FittedObject) -> String {
        dummy.string("_strategy") ?? dummy.string("strategy") ?? "?"
    }

    static func unsupported(_ dummy: FittedObject, _ strategy: String) -> EstimatorError {
        EstimatorError(
            .unsupportedOption,
            className: dummy.qualifiedName,
            attribute: "strategy",
            "strategy '\(strategy)' is not supported: it draws random labels at predict time; "
                + "supported: 'prior', 'most_frequent', 'constant'"
        )
    }

    /// Where `classes_ == constant`, as numpy compares them (a number matches an integer,
    /// float or boolean label of the same value).
    static func index(of constant: PickleValue, in labels: ClassLabels) -> Int? {
        if case .string(let text) = constant {
            guard case .strings(let values) = labels else { return nil }
            return values.firstIndex(of: text)
        }
        guard let number = try? ArrayDecoder.number(constant) else { return nil }
        switch labels {
        case .integers(let values): return values.firstIndex { Double($0) == number }
        case .unsignedIntegers(let values): return values.firstIndex { Double($0) == number }
        case .floats(let values): return values.firstIndex(of: number)
        case .booleans(let values): return values.firstIndex { ($0 ? 1.0 : 0.0) == number }
        case .strings: return nil
        }
    }

    /// A `DummyClassifier` of one output, as gradient boosting reads its `init_`.
    static func singleOutput(_ dummy: FittedObject) throws(EstimatorError) -> Self {
        try Self(
            dummy,
            strategy: strategy(of: dummy),
            priors: try dummy.doubles("class_prior_"),
            labels: try dummy.classLabels(),
            constant: dummy.optional("constant")
        )
    }
}

/// `sklearn.dummy.DummyClassifier` with a strategy that does not draw random numbers
/// (`prior`, `most_frequent`, `constant`): every row gets the same label and
/// probabilities. scikit-learn does not look at the rows, so NaN is taken.
struct DummyClassifier: Sendable {
    let inputWidth: Int
    let classesPerOutput: [ClassLabels]
    let predictions: [DummyClassPrediction]

    init(_ object: FittedObject) throws(EstimatorError) {
        inputWidth = try object.dummyInputWidth()
        let strategy = DummyClassPrediction.strategy(of: object)
        guard ["prior", "most_frequent", "constant"].contains(strategy) else {
            throw DummyClassPrediction.unsupported(object, strategy)
        }
        if object.boolean("sparse_output_", default: false) {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "sparse_output_",
                "a model fitted on a sparse y is not supported"
            )
        }
        guard object.hasLabelsPerOutput else {
            let prediction = try DummyClassPrediction.singleOutput(object)
            classesPerOutput = [try object.classLabels()]
            predictions = [prediction]
            return
        }
        classesPerOutput = try object.classLabelsPerOutput()
        let priors = try object.doublesPerOutput("class_prior_", count: classesPerOutput.count)
        let constants =
            strategy == "constant"
            ? try object.itemsPerOutput("constant", count: classesPerOutput.count)
            : [PickleValue?](repeating: nil, count: classesPerOutput.count)
        var predictions: [DummyClassPrediction] = []
        for output in classesPerOutput.indices {
            predictions.append(
                try DummyClassPrediction(
                    object,
                    strategy: strategy,
                    priors: priors[output],
                    labels: classesPerOutput[output],
                    constant: constants[output]
                )
            )
        }
        self.predictions = predictions
    }

    /// A classifier for a 1-D `y`, else one of several outputs.
    var estimator: Estimator {
        predictions.count == 1 ? .classifier(OneOutput(model: self)) : .multiOutputClassifier(self)
    }

    struct OneOutput: Classifier {
        let model: DummyClassifier

        var inputWidth: Int { model.inputWidth }
        var classes: ClassLabels { model.classesPerOutput[0] }
        var acceptsMissing: Bool { true }

        func predictClassIndices(_ input: Matrix) -> [Int] {
            [Int](repeating: model.predictions[0].labelIndex, count: input.rows)
        }

        func predictProbabilities(_ input: Matrix) -> Matrix {
            repeatedRows(model.predictions[0].probabilities, count: input.rows)
        }
    }
}

extension DummyClassifier: MultiOutputClassifier {
    var acceptsMissing: Bool { true }

    func predictClassIndices(_ input: Matrix) -> [[Int]] {
        predictions.map { [Int](repeating: $0.labelIndex, count: input.rows) }
    }

    func predictProbabilities(_ input: Matrix) -> [Matrix] {
        predictions.map { repeatedRows($0.probabilities, count: input.rows) }
    }
}

/// `count` rows, each `row`.
private func repeatedRows(_ row: [Double], count: Int) -> Matrix {
    var result = Matrix(rows: count, columns: row.count)
    for index in 0..<count {
        for column in row.indices { result[index, column] = row[column] }
    }
    return result
}

/// `sklearn.dummy.DummyRegressor`: `constant_`, whatever the strategy computed it from
/// (`mean`, `median`, `quantile`, `constant`), for every row; one value per target.
struct DummyRegressor: Regressor {
    let inputWidth: Int
    let constants: [Double]
    let targetCount: Int?

    var acceptsMissing: Bool { true }

    init(_ object: FittedObject) throws(EstimatorError) {
        inputWidth = try object.dummyInputWidth()
        constants = try object.doubles("constant_")
        let outputs = try object.integer("n_outputs_")
        guard outputs >= 1, constants.count == outputs else {
            throw object.error("constant_", "\(constants.count) values for \(outputs) targets")
        }
        // `predict` returns a 1-D array for one target.
        targetCount = outputs == 1 ? nil : outputs
    }

    /// The constant of a `DummyRegressor` of one target, as gradient boosting reads its
    /// `init_`.
    static func singleConstant(_ dummy: FittedObject) throws(EstimatorError) -> Double {
        let constant = try dummy.doubles("constant_")
        guard constant.count == 1 else {
            throw dummy.error("constant_", "expected one target, found \(constant.count)")
        }
        return constant[0]
    }

    func predict(_ input: Matrix) -> Matrix {
        repeatedRows(constants, count: input.rows)
    }
}

extension FittedObject {
    /// `n_features_in_`, which dummy estimators of scikit-learn 1.3 and before do not
    /// record: they never read the rows, so nothing else tells their width.
    fileprivate func dummyInputWidth() throws(EstimatorError) -> Int {
        guard optional("n_features_in_") != nil else {
            throw error(
                "n_features_in_",
                "missing: this scikit-learn did not record the number of features of a dummy "
                    + "estimator, so rows could not be checked (refit it with a newer scikit-learn)"
            )
        }
        return try integer("n_features_in_")
    }

    /// A list (or object array) of one float array per output, as `class_prior_` is for a
    /// model fitted on a 2-D `y`.
    fileprivate func doublesPerOutput(_ attribute: String, count: Int) throws(EstimatorError)
        -> [[Double]]
    {
        let items = try itemsPerOutput(attribute, count: count)
        var result: [[Double]] = []
        for item in items {
            let values = try reading(attribute) { () throws(ArrayError) -> [Double]? in
                guard let item, let array = try ArrayDecoder.array(item) else { return nil }
                return try array.doubles()
            }
            guard let values else { throw error(attribute, "expected one array per output") }
            result.append(values)
        }
        return result
    }

    /// `count` items of a list, tuple or numpy array: one per output.
    fileprivate func itemsPerOutput(_ attribute: String, count: Int) throws(EstimatorError)
        -> [PickleValue?]
    {
        let raw = try value(attribute)
        var items: [PickleValue]
        switch raw {
        case .list(let list): items = list.items
        case .tuple(let values): items = values
        default:
            let array = try reading(attribute) { () throws(ArrayError) in
                try ArrayDecoder.array(raw)
            }
            guard let array else { throw error(attribute, "expected one value per output") }
            items = try reading(attribute) { () throws(ArrayError) -> [PickleValue] in
                switch array.dtype.kind {
                case .unicode: return try array.strings().map(PickleValue.string)
                case .object: return try array.objects()
                default: return try array.doubles().map(PickleValue.float)
                }
            }
        }
        guard items.count == count else {
            throw error(attribute, "expected \(count) values, one per output, found \(items.count)")
        }
        return items
    }
}
