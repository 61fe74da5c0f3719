import Pickle

/// The score scikit-learn's `_predict_binary` takes from a binary member: its decision
/// function when it has one, else the probability of its second class; and the threshold
/// of `_threshold_for_binary_predict` (0 or 0.5).
struct BinaryMember: Sendable {
    let member: Member<any Classifier>

    /// 0 only for a classifier with a decision function: the constant member has one but is
    /// no classifier, so it gets 0.5 (and gives it to every member of a multilabel model
    /// when it comes first, as in scikit-learn).
    var threshold: Double {
        member.kind.hasDecisionFunction && !(member.kind is ConstantMember) ? 0 : 0.5
    }

    /// Each member's decision function, a column per member.
    static func decisionFunctions(of members: [BinaryMember], _ input: Matrix)
        throws(InputError) -> Matrix
    {
        var result = Matrix(rows: input.rows, columns: members.count)
        for (column, member) in members.enumerated() {
            try member.member.check(input)
            let scores = try member.member.kind.decisionFunction(input)
            for row in 0..<input.rows { result[row, column] = scores.values[row] }
        }
        return result
    }

    func scores(_ input: Matrix) throws(InputError) -> [Double] {
        try member.check(input)
        if member.kind.hasDecisionFunction {
            return try member.kind.decisionFunction(input).values
        }
        let probabilities = try member.kind.predictProbabilities(input)
        return (0..<input.rows).map { probabilities[$0, 1] }
    }
}

/// `sklearn.multiclass.OneVsRestClassifier` for binary and multiclass targets: one binary
/// member per class (one in all for two classes).
struct OneVsRestClassifier: Classifier {
    let members: [BinaryMember]
    let classes: ClassLabels
    let inputWidth: Int
    /// scikit-learn 1.9 walks the members in reverse so that ties go to the first class,
    /// as argmax does; 1.7.2 and earlier give them to the last class. (No 1.8 wheel was at
    /// hand to check; it is read as the older rule.)
    let firstOfTies: Bool
    /// From 1.7, rows whose probabilities sum to 0 are left as they are; before, they were
    /// divided by the zero sum.
    let keepsZeroSums: Bool

    var textColumns: Set<Int> { MemberRules.textColumns(members.map(\.member)) }
    var acceptsMissing: Bool { MemberRules.acceptsMissing(members.map(\.member)) }
    var hasProbabilities: Bool { members.allSatisfy(\.member.kind.hasProbabilities) }
    var hasDecisionFunction: Bool { members.allSatisfy(\.member.kind.hasDecisionFunction) }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        if members.count == 1 {
            let member = members[0]
            return try member.scores(input).map { $0 > member.threshold ? 1 : 0 }
        }
        var scores: [[Double]] = []
        for member in members { scores.append(try member.scores(input)) }
        return (0..<input.rows).map { row in
            var best = 0
            for index in 1..<members.count {
                let score = scores[index][row]
                let current = scores[best][row]
                if firstOfTies ? score > current : score >= current { best = index }
            }
            return best
        }
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        var positive: [[Double]] = []
        for member in members {
            try member.member.check(input)
            let probabilities = try member.member.kind.predictProbabilities(input)
            positive.append((0..<input.rows).map { probabilities[$0, 1] })
        }
        if positive.count == 1 { positive = [positive[0].map { 1 - $0 }, positive[0]] }
        var result = Matrix(rows: input.rows, columns: positive.count)
        for row in 0..<input.rows {
            var sum = 0.0
            for column in positive.indices { sum += positive[column][row] }
            for column in positive.indices {
                let value = positive[column][row]
                result[row, column] = keepsZeroSums && sum == 0 ? value : value / sum
            }
        }
        return result
    }

    func decisionFunction(_ input: Matrix) throws(InputError) -> Matrix {
        try BinaryMember.decisionFunctions(of: members, input)
    }
}

/// `sklearn.multiclass.OneVsRestClassifier` fitted on a label indicator matrix: one binary
/// member per label, which the row has where the member's score passes the first member's
/// threshold (scikit-learn takes it from `estimators_[0]`).
struct OneVsRestMultilabelClassifier: MultiOutputClassifier {
    let members: [BinaryMember]
    let labels: ClassLabels
    let inputWidth: Int

    var targets: MultiOutputTargets { .labelIndicator(labels: labels) }
    /// Each label is predicted as numpy's integer 0 or 1.
    var classesPerOutput: [ClassLabels] {
        Array(repeating: .integers([0, 1]), count: members.count)
    }
    var textColumns: Set<Int> { MemberRules.textColumns(members.map(\.member)) }
    var acceptsMissing: Bool { MemberRules.acceptsMissing(members.map(\.member)) }
    var hasProbabilities: Bool { members.allSatisfy(\.member.kind.hasProbabilities) }
    var hasDecisionFunction: Bool { members.allSatisfy(\.member.kind.hasDecisionFunction) }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [[Int]] {
        let threshold = members[0].threshold
        var indices: [[Int]] = []
        for member in members {
            indices.append(try member.scores(input).map { $0 > threshold ? 1 : 0 })
        }
        return indices
    }

    /// Each member's probability of its second class, not normalised: the labels are not
    /// exclusive.
    func predictLabelProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        var result = Matrix(rows: input.rows, columns: members.count)
        for (column, member) in members.enumerated() {
            try member.member.check(input)
            let probabilities = try member.member.kind.predictProbabilities(input)
            for row in 0..<input.rows { result[row, column] = probabilities[row, 1] }
        }
        return result
    }

    func decisionFunction(_ input: Matrix) throws(InputError) -> Matrix {
        try BinaryMember.decisionFunctions(of: members, input)
    }
}

/// `sklearn.multiclass._ConstantPredictor`, the member one-vs-rest keeps for a label that
/// was constant in training: every row gets that label (`y_`), as a decision value and as
/// the probability of the second class. It validates nothing, NaN included.
struct ConstantMember: Classifier {
    let label: Int
    let inputWidth: Int

    var classes: ClassLabels { .integers([0, 1]) }
    var acceptsMissing: Bool { true }
    var hasDecisionFunction: Bool { true }

    init(_ object: FittedObject) throws(EstimatorError) {
        let labels = try object.doubles("y_")
        guard labels.count == 1, labels[0] == 0 || labels[0] == 1 else {
            throw object.error("y_", "expected one label, 0 or 1, found \(labels)")
        }
        label = Int(labels[0])
        inputWidth = try object.integer("n_features_in_")
    }

    func predictClassIndices(_ input: Matrix) -> [Int] {
        Array(repeating: label, count: input.rows)
    }

    func decisionFunction(_ input: Matrix) -> Matrix {
        Matrix(
            rows: input.rows,
            columns: 1,
            values: Array(repeating: Double(label), count: input.rows)
        )
    }

    func predictProbabilities(_ input: Matrix) -> Matrix {
        Probability.complement(Array(repeating: Double(label), count: input.rows))
    }
}

/// `sklearn.multiclass.OneVsOneClassifier`: a member per pair of classes; votes plus the
/// summed confidences squashed into (-1/3, 1/3), as `_ovr_decision_function` does.
struct OneVsOneClassifier: Classifier {
    /// Members in scikit-learn's pair order: (0, 1), (0, 2), …, (1, 2), …
    let members: [BinaryMember]
    let classes: ClassLabels
    let inputWidth: Int

    var textColumns: Set<Int> { MemberRules.textColumns(members.map(\.member)) }
    var acceptsMissing: Bool { MemberRules.acceptsMissing(members.map(\.member)) }
    var hasProbabilities: Bool { false }
    var hasDecisionFunction: Bool { true }

    private func votesAndConfidences(_ input: Matrix) throws(InputError) -> Matrix {
        let count = classes.count
        var votes = Matrix(rows: input.rows, columns: count)
        var confidences = Matrix(rows: input.rows, columns: count)
        var pair = 0
        for first in 0..<count {
            for second in (first + 1)..<count {
                let member = members[pair]
                let scores = try member.scores(input)
                let predicted = try member.member.kind.predictClassIndices(input)
                for row in 0..<input.rows {
                    confidences[row, first] -= scores[row]
                    confidences[row, second] += scores[row]
                    votes[row, predicted[row] == 0 ? first : second] += 1
                }
                pair += 1
            }
        }
        for index in votes.values.indices {
            let sum = confidences.values[index]
            votes.values[index] += sum / (3 * (abs(sum) + 1))
        }
        return votes
    }

    func decisionFunction(_ input: Matrix) throws(InputError) -> Matrix {
        let scores = try votesAndConfidences(input)
        if classes.count == 2 { return scores.selecting(columns: [1]) }
        return scores
    }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        let scores = try votesAndConfidences(input)
        if classes.count == 2 {
            let threshold = members[0].threshold
            return (0..<input.rows).map { scores[$0, 1] > threshold ? 1 : 0 }
        }
        return (0..<input.rows).map { Probability.argmax(scores.row($0)) }
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        preconditionFailure("OneVsOneClassifier has no predict_proba")
    }
}

/// `sklearn.multioutput.MultiOutputClassifier`: one classifier per output.
struct MultiOutputClassifierEnsemble: MultiOutputClassifier {
    let members: [Member<any Classifier>]
    let inputWidth: Int

    var textColumns: Set<Int> { MemberRules.textColumns(members) }
    var acceptsMissing: Bool { MemberRules.acceptsMissing(members) }
    var classesPerOutput: [ClassLabels] { members.map(\.kind.classes) }
    var hasProbabilities: Bool { members.allSatisfy(\.kind.hasProbabilities) }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [[Int]] {
        try MemberRules.outputs(members, input) { (member) throws(InputError) in
            try member.predictClassIndices(input)
        }
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> [Matrix] {
        try MemberRules.outputs(members, input) { (member) throws(InputError) in
            try member.predictProbabilities(input)
        }
    }
}

/// `sklearn.multioutput.MultiOutputRegressor`: one regressor per target.
struct MultiOutputRegressor: Regressor {
    let members: [Member<any Regressor>]
    let inputWidth: Int

    var textColumns: Set<Int> { MemberRules.textColumns(members) }
    var acceptsMissing: Bool { MemberRules.acceptsMissing(members) }
    var targetCount: Int? { members.count }

    func predict(_ input: Matrix) throws(InputError) -> Matrix {
        var result = Matrix(rows: input.rows, columns: members.count)
        for (column, member) in members.enumerated() {
            try member.check(input)
            let predictions = try member.kind.predict(input)
            for row in 0..<input.rows { result[row, column] = predictions.values[row] }
        }
        return result
    }
}

extension EstimatorRegistry {
    /// Members fitted on 0/1 targets, whose `classes_` must be exactly `[0, 1]`.
    static func binaryMembers(_ object: FittedObject, depth: Int) throws(EstimatorError)
        -> [BinaryMember]
    {
        var members: [BinaryMember] = []
        for fitted in try memberList(object, "estimators_") {
            if fitted.className == "_ConstantPredictor" {
                let constant = try ConstantMember(fitted)
                members.append(
                    BinaryMember(
                        member: Member(
                            name: fitted.className,
                            kind: constant,
                            textColumns: [],
                            acceptsMissing: true
                        )
                    )
                )
                continue
            }
            let member = try classifierMember(fitted, depth: depth, owner: object)
            guard member.kind.classes == .integers([0, 1]) else {
                throw EstimatorError(
                    .unsupportedOption,
                    className: fitted.qualifiedName,
                    "\(object.className) members must be binary classifiers of 0 and 1"
                )
            }
            if !member.kind.hasDecisionFunction, !member.kind.hasProbabilities {
                throw object.error("estimators_", "\(member.name) gives no scores")
            }
            members.append(BinaryMember(member: member))
        }
        return members
    }

    static func oneVsRest(_ object: FittedObject, depth: Int) throws(EstimatorError)
        -> Estimator
    {
        let binarizer = try FittedObject(try object.value("label_binarizer_"))
        let type = binarizer.string("y_type_") ?? ""
        if type == "multilabel-indicator" {
            let labels = try binarizer.classLabels()
            let members = try binaryMembers(object, depth: depth)
            guard members.count == labels.count else {
                throw object.error("estimators_", "\(members.count) for \(labels.count) labels")
            }
            return .multiOutputClassifier(
                OneVsRestMultilabelClassifier(
                    members: members,
                    labels: labels,
                    inputWidth: try commonWidth(members.map(\.member.kind.inputWidth), object)
                )
            )
        }
        guard type == "binary" || type == "multiclass" else {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "label_binarizer_",
                "targets of type '\(type)' are not supported"
            )
        }
        let classes = try binarizer.classLabels()
        let members = try binaryMembers(object, depth: depth)
        guard members.count == (classes.count == 2 ? 1 : classes.count) else {
            throw object.error("estimators_", "\(members.count) for \(classes.count) classes")
        }
        let version = ScikitLearnVersion(object.string("_sklearn_version"))
        return .classifier(
            OneVsRestClassifier(
                members: members,
                classes: classes,
                inputWidth: try commonWidth(members.map(\.member.kind.inputWidth), object),
                firstOfTies: version >= ScikitLearnVersion(1, 9),
                keepsZeroSums: version >= ScikitLearnVersion(1, 7)
            )
        )
    }

    static func oneVsOne(_ object: FittedObject, depth: Int) throws(EstimatorError)
        -> Estimator
    {
        if object.optional("pairwise_indices_") != nil {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "pairwise_indices_",
                "members on precomputed kernels are not supported"
            )
        }
        let classes = try object.classLabels()
        let members = try binaryMembers(object, depth: depth)
        guard members.count == classes.count * (classes.count - 1) / 2 else {
            throw object.error("estimators_", "\(members.count) for \(classes.count) classes")
        }
        return .classifier(
            OneVsOneClassifier(
                members: members,
                classes: classes,
                inputWidth: try commonWidth(members.map(\.member.kind.inputWidth), object)
            )
        )
    }

    static func multiOutputClassifier(_ object: FittedObject, depth: Int)
        throws(EstimatorError) -> Estimator
    {
        let members = try builtMembers(object, depth: depth, classifierMember)
        return .multiOutputClassifier(
            MultiOutputClassifierEnsemble(
                members: members,
                inputWidth: try commonWidth(members.map(\.kind.inputWidth), object)
            )
        )
    }

    static func multiOutputRegressor(_ object: FittedObject, depth: Int)
        throws(EstimatorError) -> Estimator
    {
        let members = try builtMembers(object, depth: depth, regressorMember)
        return .regressor(
            MultiOutputRegressor(
                members: members,
                inputWidth: try commonWidth(members.map(\.kind.inputWidth), object)
            )
        )
    }
}
