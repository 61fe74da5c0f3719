import Pickle

/// The first layer of a stacking estimator: each member's `stack_method_` output side by
/// side (binary probabilities without their first column), then the input itself with
/// `passthrough`, as `_concatenate_predictions` builds them. It is also the stacking
/// estimator's `transform`.
struct StackingLayer: Transformer {
    enum Output: Sendable {
        case probabilities(any Classifier, dropFirst: Bool)
        case decision(any Classifier)
        /// A classifier's predicted labels, as numbers.
        case labels(any Classifier, values: [Double])
        case regression(any Regressor)
    }

    let members: [Member<Output>]
    let passthrough: Bool
    let inputWidth: Int
    let outputWidth: Int

    var textColumns: Set<Int> {
        let shared = MemberRules.textColumns(members)
        return passthrough ? [] : shared
    }
    var acceptsMissing: Bool { MemberRules.acceptsMissing(members) }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        var parts: [Matrix] = []
        for member in members {
            try member.check(input)
            switch member.kind {
            case .probabilities(let classifier, let dropFirst):
                let probabilities = try classifier.predictProbabilities(input)
                parts.append(
                    dropFirst
                        ? probabilities.selecting(columns: Array(1..<probabilities.columns))
                        : probabilities
                )
            case .decision(let classifier):
                parts.append(try classifier.decisionFunction(input))
            case .labels(let classifier, let values):
                let indices = try classifier.predictClassIndices(input)
                parts.append(
                    Matrix(rows: input.rows, columns: 1, values: indices.map { values[$0] })
                )
            case .regression(let regressor):
                parts.append(try regressor.predict(input))
            }
        }
        if passthrough { parts.append(input) }
        return .sideBySide(parts, rows: input.rows, columns: outputWidth)
    }

    /// What the final estimator `name` gets: this layer's output, checked as the final
    /// estimator checks it, naming the request's column for the passed-through part.
    func finalInput(
        _ input: Matrix,
        name: String,
        acceptsMissing: Bool,
        castsToFloat32: Bool
    ) throws(InputError) -> Matrix {
        let features = try transform(input)
        let predictions = outputWidth - (passthrough ? inputWidth : 0)
        let columns: (Int) -> Int? = { $0 >= predictions ? $0 - predictions : nil }
        try MemberInput.check(
            features,
            name: name,
            textColumns: [],
            acceptsMissing: acceptsMissing,
            requestColumns: columns
        )
        if castsToFloat32 {
            try MemberInput.requireFloat32Range(features, name: name, requestColumns: columns)
        }
        return features
    }
}

/// `sklearn.ensemble.StackingClassifier`: the final estimator, fitted on the labels
/// encoded as 0, 1, …, applied to the first layer's outputs.
struct StackingClassifier: Classifier {
    let layer: StackingLayer
    let final: any Classifier
    let finalName: String
    let finalCastsToFloat32: Bool
    let classes: ClassLabels

    var inputWidth: Int { layer.inputWidth }
    var textColumns: Set<Int> { layer.textColumns }
    var acceptsMissing: Bool { layer.acceptsMissing }
    var hasProbabilities: Bool { final.hasProbabilities }
    var hasDecisionFunction: Bool { final.hasDecisionFunction }
    var transformation: (any Transformer)? { layer }

    private func features(_ input: Matrix) throws(InputError) -> Matrix {
        try layer.finalInput(
            input,
            name: finalName,
            acceptsMissing: final.acceptsMissing,
            castsToFloat32: finalCastsToFloat32
        )
    }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        try final.predictClassIndices(try features(input))
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        try final.predictProbabilities(try features(input))
    }

    func decisionFunction(_ input: Matrix) throws(InputError) -> Matrix {
        try final.decisionFunction(try features(input))
    }
}

/// `sklearn.ensemble.StackingRegressor`.
struct StackingRegressor: Regressor {
    let layer: StackingLayer
    let final: any Regressor
    let finalName: String
    let finalCastsToFloat32: Bool

    var inputWidth: Int { layer.inputWidth }
    var textColumns: Set<Int> { layer.textColumns }
    var acceptsMissing: Bool { layer.acceptsMissing }
    var targetCount: Int? { final.targetCount }
    var transformation: (any Transformer)? { layer }

    func predict(_ input: Matrix) throws(InputError) -> Matrix {
        try final.predict(
            try layer.finalInput(
                input,
                name: finalName,
                acceptsMissing: final.acceptsMissing,
                castsToFloat32: finalCastsToFloat32
            )
        )
    }
}

extension EstimatorRegistry {
    static func stackingLayer(
        _ object: FittedObject,
        depth: Int,
        classCount: Int?
    ) throws(EstimatorError) -> StackingLayer {
        guard case .list(let fitted) = try object.value("estimators_"),
            case .list(let methods) = try object.value("stack_method_")
        else {
            throw object.error("estimators_", "expected lists of estimators and stack methods")
        }
        let kept = fitted.items.filter { if case .string("drop") = $0 { false } else { true } }
        let methodNames = methods.items.compactMap {
            if case .string(let name) = $0 { name } else { nil }
        }
        guard !kept.isEmpty, kept.count == methodNames.count else {
            throw object.error("stack_method_", "expected one method per fitted estimator")
        }
        var members: [Member<StackingLayer.Output>] = []
        var widths: [Int] = []
        var predictionWidth = 0
        for (value, method) in zip(kept, methodNames) {
            let member = try FittedObject(value)
            let output: StackingLayer.Output
            let width: Int
            let columns: Int
            let rules: (Set<Int>, Bool)
            switch (try estimator(member, depth: depth + 1), method) {
            case (.regressor(let regressor), "predict") where regressor.targetCount == nil:
                output = .regression(regressor)
                (width, columns) = (regressor.inputWidth, 1)
                rules = (regressor.textColumns, regressor.acceptsMissing)
            case (.classifier(let classifier), _) where classCount == classifier.classes.count:
                let count = classifier.classes.count
                switch method {
                case "predict_proba" where classifier.hasProbabilities:
                    output = .probabilities(classifier, dropFirst: classCount == 2)
                    columns = classCount == 2 ? count - 1 : count
                case "decision_function" where classifier.hasDecisionFunction:
                    output = .decision(classifier)
                    columns = count == 2 ? 1 : count
                case "predict":
                    let labels = Member(
                        name: member.className,
                        kind: classifier as any Classifier,
                        textColumns: [],
                        acceptsMissing: true
                    )
                    output = .labels(
                        classifier,
                        values: try labels.numericLabels(owner: object, attribute: "estimators_")
                    )
                    columns = 1
                default:
                    throw object.error("stack_method_", "\(member.className) has no \(method)")
                }
                width = classifier.inputWidth
                rules = (classifier.textColumns, classifier.acceptsMissing)
            default:
                throw EstimatorError(
                    .unsupportedOption,
                    className: member.qualifiedName,
                    "\(object.className) cannot stack it with \(method)"
                )
            }
            widths.append(width)
            predictionWidth += columns
            members.append(
                Member(
                    name: member.className,
                    kind: output,
                    textColumns: rules.0,
                    acceptsMissing: rules.1,
                    castsToFloat32: castsInputsToFloat32(member)
                )
            )
        }
        let width = try commonWidth(widths, object)
        let passthrough = object.boolean("passthrough", default: false)
        return StackingLayer(
            members: members,
            passthrough: passthrough,
            inputWidth: width,
            outputWidth: predictionWidth + (passthrough ? width : 0)
        )
    }

    static func stackingClassifier(_ object: FittedObject, depth: Int) throws(EstimatorError)
        -> Estimator
    {
        let classes = try object.classLabels()
        let layer = try stackingLayer(object, depth: depth, classCount: classes.count)
        let finalObject = try FittedObject(try object.value("final_estimator_"))
        guard case .classifier(let final) = try estimator(finalObject, depth: depth + 1),
            final.classes == .integers((0..<Int64(classes.count)).map { $0 }),
            final.inputWidth == layer.outputWidth
        else {
            throw object.error(
                "final_estimator_",
                "expected a classifier of the encoded labels taking \(layer.outputWidth) features"
            )
        }
        return .classifier(
            StackingClassifier(
                layer: layer,
                final: final,
                finalName: finalObject.className,
                finalCastsToFloat32: castsInputsToFloat32(finalObject),
                classes: classes
            )
        )
    }

    static func stackingRegressor(_ object: FittedObject, depth: Int) throws(EstimatorError)
        -> Estimator
    {
        let layer = try stackingLayer(object, depth: depth, classCount: nil)
        let finalObject = try FittedObject(try object.value("final_estimator_"))
        guard case .regressor(let final) = try estimator(finalObject, depth: depth + 1),
            final.inputWidth == layer.outputWidth
        else {
            throw object.error(
                "final_estimator_",
                "expected a regressor taking \(layer.outputWidth) features"
            )
        }
        return .regressor(
            StackingRegressor(
                layer: layer,
                final: final,
                finalName: finalObject.className,
                finalCastsToFloat32: castsInputsToFloat32(finalObject)
            )
        )
    }
}
