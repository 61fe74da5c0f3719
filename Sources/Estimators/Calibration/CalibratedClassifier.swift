import Pickle

/// One calibrator of `_CalibratedClassifier.calibrators`: a map from one column of the
/// classifier's decision values (or probabilities) to a probability.
enum Calibrator: Sendable {
    /// `_SigmoidCalibration`: `expit(-(a_ * t + b_))`.
    case sigmoid(a: Double, b: Double)
    /// `IsotonicRegression(out_of_bounds='clip')`.
    case isotonic(IsotonicFunction)

    init(_ value: PickleValue, owner: FittedObject) throws(EstimatorError) {
        let object: FittedObject
        do {
            object = try FittedObject(value)
        } catch {
            throw owner.error("calibrators", error.message)
        }
        switch object.className {
        case "_SigmoidCalibration":
            self = .sigmoid(a: try object.number("a_"), b: try object.number("b_"))
        case "IsotonicRegression":
            self = .isotonic(try IsotonicFunction(object))
        default:
            throw owner.unsupported("calibrators", "calibrator \(object.className)")
        }
    }

    /// The calibrated probability of one value; nil where scikit-learn raises: the
    /// isotonic calibrator validates its input, which must be finite.
    func probability(_ value: Double) -> Double? {
        switch self {
        case .sigmoid(let a, let b):
            return LinearAlgebra.expit(-(a * value + b))
        case .isotonic(let function):
            guard value.isFinite else { return nil }
            return function.value(at: value)
        }
    }
}

/// One `_CalibratedClassifier`: a fitted classifier and a calibrator per column of its
/// `decision_function` (or, without one, of its `predict_proba`, only the second column
/// for two classes).
struct CalibratedMember: Sendable {
    let estimator: any Classifier
    let estimatorName: String
    let usesDecisionFunction: Bool
    /// For each calibrator in turn, the column of the result it fills (scikit-learn zips
    /// the estimator's classes, the prediction columns and the calibrators).
    let pairs: [(column: Int, calibrator: Calibrator)]
    let classCount: Int
    let castsInputsToFloat32: Bool
    /// `beta_` of the one `_TemperatureScaling` calibrator (`method='temperature'`, from
    /// scikit-learn 1.8), which replaces the per-column calibrators.
    let temperature: Double?

    init(_ object: FittedObject, classes: ClassLabels, depth: Int) throws(EstimatorError) {
        let attribute = object.optional("estimator") != nil ? "estimator" : "base_estimator"
        let inner = try object.nested(attribute)
        guard
            case .classifier(let estimator) = try EstimatorRegistry.estimator(
                inner,
                depth: depth + 1
            )
        else {
            throw object.error(attribute, "\(inner.className) is not a classifier")
        }
        let method = object.string("method") ?? "sigmoid"
        guard ["sigmoid", "isotonic", "temperature"].contains(method) else {
            throw object.unsupported("method", "'\(method)' is not supported")
        }
        guard case .list(let list) = try object.value("calibrators") else {
            throw object.error("calibrators", "expected a list")
        }
        var calibrators: [Calibrator] = []
        var temperature: Double?
        for item in list.items {
            if method == "temperature" {
                let scaling: FittedObject
                do {
                    scaling = try FittedObject(item)
                } catch {
                    throw object.error("calibrators", error.message)
                }
                guard list.items.count == 1, scaling.className == "_TemperatureScaling" else {
                    throw object.error("calibrators", "expected one _TemperatureScaling")
                }
                temperature = try scaling.number("beta_")
            } else {
                calibrators.append(try Calibrator(item, owner: object))
            }
        }
        self.temperature = temperature
        let ownClasses = try object.classLabels("classes")
        guard ownClasses == classes else {
            throw object.error("classes", "differ from the classes_ of CalibratedClassifierCV")
        }
        // With temperature scaling the estimator may have been fitted on the classes'
        // indices (string labels are encoded first); its columns are the classes in order.
        let positions: [Int]
        if temperature != nil {
            guard estimator.classes.count == classes.count else {
                throw object.error(attribute, "does not have the classes of CalibratedClassifierCV")
            }
            positions = []
        } else if let found = Self.positions(of: estimator.classes, in: classes) {
            positions = found
        } else {
            throw object.error(attribute, "has classes that CalibratedClassifierCV does not")
        }
        guard estimator.hasDecisionFunction || estimator.hasProbabilities else {
            throw object.error(attribute, "has neither decision_function nor predict_proba")
        }
        // Either gives one column for two classes (the second class's), else one per class.
        let columns = estimator.classes.count == 2 ? 1 : estimator.classes.count
        let count = min(positions.count, columns, calibrators.count)
        self.pairs = (0..<count).map { index in
            (positions[index] + (classes.count == 2 ? 1 : 0), calibrators[index])
        }
        guard pairs.allSatisfy({ $0.column < classes.count }) else {
            throw object.error("calibrators", "do not fit \(classes.count) classes")
        }
        self.estimator = estimator
        estimatorName = inner.className
        usesDecisionFunction = estimator.hasDecisionFunction
        classCount = classes.count
        // A prefit estimator is wrapped in a FrozenEstimator from scikit-learn 1.6 on.
        let wrapped = inner.className == "FrozenEstimator" ? try inner.nested("estimator") : inner
        castsInputsToFloat32 = EstimatorRegistry.castsInputsToFloat32(wrapped)
    }

    /// Where each of `labels` is among `classes`, as `LabelEncoder.transform` finds it;
    /// nil when one is missing.
    private static func positions(of labels: ClassLabels, in classes: ClassLabels) -> [Int]? {
        func find<Label: Equatable>(_ labels: [Label], _ classes: [Label]) -> [Int]? {
            var found: [Int] = []
            for label in labels {
                guard let index = classes.firstIndex(of: label) else { return nil }
                found.append(index)
            }
            return found
        }
        switch (labels, classes) {
        case (.integers(let labels), .integers(let classes)): return find(labels, classes)
        case (.unsignedIntegers(let labels), .unsignedIntegers(let classes)):
            return find(labels, classes)
        case (.strings(let labels), .strings(let classes)):
            return find(labels.map { Array($0.utf8) }, classes.map { Array($0.utf8) })
        case (.floats(let labels), .floats(let classes)): return find(labels, classes)
        case (.booleans(let labels), .booleans(let classes)): return find(labels, classes)
        default: return nil
        }
    }

    /// `_CalibratedClassifier.predict_proba`.
    func probabilities(_ input: Matrix) throws(InputError) -> Matrix {
        if castsInputsToFloat32 {
            try MemberInput.requireFloat32Range(input, name: estimatorName) { $0 }
        }
        var predictions: Matrix
        if usesDecisionFunction {
            predictions = try estimator.decisionFunction(input)
        } else {
            predictions = try estimator.predictProbabilities(input)
            if predictions.columns == 2 {
                predictions = Matrix(
                    rows: predictions.rows,
                    columns: 1,
                    values: (0..<predictions.rows).map { predictions[$0, 1] }
                )
            }
        }
        if let temperature {
            let scaled = try temperatureScaled(predictions, temperature)
            // scikit-learn's sum of the members' probabilities fails on another width.
            guard scaled.columns == classCount else {
                throw InputError(
                    row: 0,
                    column: nil,
                    "\(estimatorName) gives \(scaled.columns) columns for \(classCount) classes"
                )
            }
            return Self.clipped(scaled)
        }
        var proba = Matrix(rows: input.rows, columns: classCount)
        // scikit-learn zips the calibrators with the columns the estimator gives.
        let used = pairs.prefix(predictions.columns)
        for row in 0..<input.rows {
            for (index, pair) in used.enumerated() {
                let value = predictions[row, index]
                guard let probability = pair.calibrator.probability(value) else {
                    throw InputError(
                        row: row,
                        column: nil,
                        "\(estimatorName) gives \(value), which the isotonic calibrator does "
                            + "not accept"
                    )
                }
                proba[row, pair.column] = probability
            }
        }
        for row in 0..<input.rows {
            let start = row * classCount
            let end = start + classCount
            if classCount == 2 {
                proba.values[start] = 1.0 - proba.values[start + 1]
            } else {
                let denominator = NumpyReductions.sum(proba.values[start..<end])
                for index in start..<end {
                    proba.values[index] =
                        denominator != 0
                        ? proba.values[index] / denominator : 1 / Double(classCount)
                }
            }
        }
        return Self.clipped(proba)
    }

    /// Probabilities a rounding error put just above 1 are set to 1.
    private static func clipped(_ proba: Matrix) -> Matrix {
        var result = proba
        for index in result.values.indices where result.values[index] > 1 {
            if result.values[index] <= 1.0 + 1e-5 { result.values[index] = 1 }
        }
        return result
    }

    /// `_TemperatureScaling.predict`: `softmax(beta_ * logits)`, the logits being `(-d, d)`
    /// for one column, the logarithms (plus 1e-12) of probabilities when every value of
    /// the batch lies in [0, 1] and every row sums to 1 (`isclose`), else the values.
    private func temperatureScaled(_ predictions: Matrix, _ temperature: Double)
        throws(InputError) -> Matrix
    {
        if let index = predictions.values.firstIndex(where: { !$0.isFinite }) {
            throw InputError(
                row: index / predictions.columns,
                column: nil,
                "\(estimatorName) gives \(predictions.values[index]), which the temperature "
                    + "calibrator does not accept"
            )
        }
        var logits: Matrix
        if predictions.columns == 1 {
            let values = predictions.values
            // A binary predict_proba column is the positive class: (1 - p, p).
            let both = values.flatMap { usesDecisionFunction ? [-$0, $0] : [1 - $0, $0] }
            logits = Matrix(rows: predictions.rows, columns: 2, values: both)
            if usesDecisionFunction {
                return NumpyReductions.softmax(scaled(logits, temperature))
            }
        } else {
            logits = predictions
        }
        let inUnitRange = logits.values.allSatisfy { $0 >= 0 && $0 <= 1 }
        let rowsSumToOne = (0..<logits.rows).allSatisfy { row in
            let sum = NumpyReductions.sum(logits.row(row))
            return abs(sum - 1) <= 1e-8 + 1e-5
        }
        if inUnitRange && rowsSumToOne {
            for index in logits.values.indices {
                logits.values[index] = (logits.values[index] + 1e-12).log()
            }
        }
        return NumpyReductions.softmax(scaled(logits, temperature))
    }

    private func scaled(_ logits: Matrix, _ temperature: Double) -> Matrix {
        var result = logits
        for index in result.values.indices { result.values[index] *= temperature }
        return result
    }
}

/// `CalibratedClassifierCV`: the mean of its calibrated classifiers' probabilities (one
/// with `ensemble=False` or a prefit estimator), and the class of the largest.
struct CalibratedClassifier: Classifier {
    let classes: ClassLabels
    let members: [CalibratedMember]
    let inputWidth: Int

    var textColumns: Set<Int> { members[0].estimator.textColumns }
    var acceptsMissing: Bool { members.allSatisfy { $0.estimator.acceptsMissing } }

    init(_ object: FittedObject, depth: Int) throws(EstimatorError) {
        let classes = try object.classLabels()
        guard classes.count >= 2 else {
            throw object.error("classes_", "expected at least two classes")
        }
        guard case .list(let list) = try object.value("calibrated_classifiers_"),
            !list.items.isEmpty
        else {
            throw object.error("calibrated_classifiers_", "expected a non-empty list")
        }
        var members: [CalibratedMember] = []
        for item in list.items {
            let member: FittedObject
            do {
                member = try FittedObject(item)
            } catch {
                throw object.error("calibrated_classifiers_", error.message)
            }
            members.append(try CalibratedMember(member, classes: classes, depth: depth))
        }
        let width = members[0].estimator.inputWidth
        guard members.allSatisfy({ $0.estimator.inputWidth == width }) else {
            throw object.error("calibrated_classifiers_", "members take different widths")
        }
        self.classes = classes
        self.members = members
        inputWidth = width
    }

    /// `predict_proba`: the members' probabilities added to zeros in turn, then divided by
    /// their count.
    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        var mean = Matrix(rows: input.rows, columns: classes.count)
        for member in members {
            let proba = try member.probabilities(input)
            for index in mean.values.indices { mean.values[index] += proba.values[index] }
        }
        let count = Double(members.count)
        for index in mean.values.indices { mean.values[index] /= count }
        return mean
    }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        Probability.argmaxOfRows(try predictProbabilities(input))
    }
}
