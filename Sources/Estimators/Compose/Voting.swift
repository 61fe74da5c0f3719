import Arrays
import Pickle

/// `sklearn.ensemble.VotingClassifier`. Its members were fitted on the labels encoded as
/// 0, 1, … (`le_`), so a member's predicted label is a class index. Hard voting takes the
/// first class with the largest (weighted) count of votes; soft voting averages the
/// members' probabilities as `np.average` does.
struct VotingClassifier: Classifier {
    let members: [Member<any Classifier>]
    /// `_weights_not_none`: one weight per fitted member, nil without weights.
    let weights: [Double]?
    let soft: Bool
    /// `flatten_transform`: soft voting's `transform` gives the members' probabilities side
    /// by side; without it, a 3-D array Augur does not serve.
    let flattenTransform: Bool
    let classes: ClassLabels
    let inputWidth: Int

    var textColumns: Set<Int> { MemberRules.textColumns(members) }
    var acceptsMissing: Bool { MemberRules.acceptsMissing(members) }
    var hasProbabilities: Bool { soft }
    var transformation: (any Transformer)? {
        guard !soft || flattenTransform else { return nil }
        return MemberOutputs(
            inputWidth: inputWidth,
            outputWidth: members.count * (soft ? classes.count : 1),
            textColumns: textColumns,
            acceptsMissing: acceptsMissing
        ) { input throws(InputError) in
            try MemberRules.outputs(members, input) { (member) throws(InputError) in
                if soft { return try member.predictProbabilities(input) }
                // Members were fitted on the encoded labels: an index is the label.
                let indices = try member.predictClassIndices(input)
                return Matrix(rows: input.rows, columns: 1, values: indices.map(Double.init))
            }
        }
    }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        if soft {
            let probabilities = try predictProbabilities(input)
            return (0..<input.rows).map { Probability.argmax(probabilities.row($0)) }
        }
        let votes = try MemberRules.outputs(members, input) { (member) throws(InputError) in
            try member.predictClassIndices(input)
        }
        return (0..<input.rows).map { row in
            // np.bincount(votes, weights) then argmax: bins up to the largest vote only.
            let top = votes.map { $0[row] }.max() ?? 0
            var bins = [Double](repeating: 0, count: top + 1)
            for (index, vote) in votes.enumerated() {
                bins[vote[row]] += weights?[index] ?? 1
            }
            return Probability.argmax(bins[...])
        }
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        let probabilities = try MemberRules.outputs(members, input) { (member) throws(InputError) in
            try member.predictProbabilities(input)
        }
        return Averaging.average(probabilities, weights: weights)
    }
}

/// `sklearn.ensemble.VotingRegressor`: the (weighted) average of the members' predictions.
struct VotingRegressor: Regressor {
    let members: [Member<any Regressor>]
    let weights: [Double]?
    let inputWidth: Int

    var textColumns: Set<Int> { MemberRules.textColumns(members) }
    var acceptsMissing: Bool { MemberRules.acceptsMissing(members) }
    var transformation: (any Transformer)? {
        MemberOutputs(
            inputWidth: inputWidth,
            outputWidth: members.count,
            textColumns: textColumns,
            acceptsMissing: acceptsMissing
        ) { input throws(InputError) in
            try MemberRules.outputs(members, input) { (member) throws(InputError) in
                try member.predict(input)
            }
        }
    }

    func predict(_ input: Matrix) throws(InputError) -> Matrix {
        let predictions = try MemberRules.outputs(members, input) { (member) throws(InputError) in
            try member.predict(input)
        }
        return Averaging.average(predictions, weights: weights)
    }
}

/// A voting ensemble's `transform`: each member's output for every row, side by side in
/// member order (`np.hstack` of the probabilities, or the transposed predictions).
struct MemberOutputs: Transformer {
    let inputWidth: Int
    let outputWidth: Int
    let textColumns: Set<Int>
    let acceptsMissing: Bool
    /// Every member's output, one matrix per member, each with a row per input row.
    let outputs: @Sendable (Matrix) throws(InputError) -> [Matrix]

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        try .sideBySide(outputs(input), rows: input.rows, columns: outputWidth)
    }
}

/// `np.average` over a leading axis of same-shaped matrices, in numpy's order: a sum in
/// member order divided by the count, or the sum of products with the weights divided by
/// the sum of the weights.
enum Averaging {
    static func average(_ matrices: [Matrix], weights: [Double]?) -> Matrix {
        var result = Matrix(rows: matrices[0].rows, columns: matrices[0].columns)
        for (member, matrix) in matrices.enumerated() {
            for index in result.values.indices {
                if let weights {
                    result.values[index] += matrix.values[index] * weights[member]
                } else {
                    result.values[index] += matrix.values[index]
                }
            }
        }
        let divisor = weights.map { $0.reduce(0, +) } ?? Double(matrices.count)
        for index in result.values.indices { result.values[index] /= divisor }
        return result
    }
}

extension EstimatorRegistry {
    /// `_weights_not_none`: the `weights` of the members that are not `'drop'`.
    static func votingWeights(_ object: FittedObject, memberCount: Int) throws(EstimatorError)
        -> [Double]?
    {
        guard let value = object.optional("weights") else { return nil }
        guard case .list(let declared) = try object.value("estimators") else {
            throw object.error("estimators", "expected a list of (name, estimator) pairs")
        }
        let weights = try object.reading("weights") { () throws(ArrayError) -> [Double]? in
            switch value {
            case .list(let list):
                var numbers: [Double] = []
                for item in list.items {
                    guard let number = try ArrayDecoder.number(item) else { return nil }
                    numbers.append(number)
                }
                return numbers
            default: return try ArrayDecoder.array(value)?.doubles()
            }
        }
        guard let weights, weights.count == declared.items.count else {
            throw object.error("weights", "expected one weight per estimator")
        }
        var kept: [Double] = []
        for (item, weight) in zip(declared.items, weights) {
            if case .tuple(let pair) = item, pair.count == 2, case .string("drop") = pair[1] {
                continue
            }
            kept.append(weight)
        }
        guard kept.count == memberCount else {
            throw object.error("weights", "\(kept.count) weights for \(memberCount) estimators")
        }
        return kept
    }

    static func votingClassifier(_ object: FittedObject, depth: Int) throws(EstimatorError)
        -> Estimator
    {
        let classes = try object.classLabels()
        var members: [Member<any Classifier>] = []
        for fitted in try memberList(object, "estimators_") {
            let member = try classifierMember(fitted, depth: depth, owner: object)
            guard member.kind.classes == .integers((0..<Int64(classes.count)).map { $0 }) else {
                throw object.error(
                    "estimators_",
                    "\(member.name) was not fitted on the encoded labels 0..<\(classes.count)"
                )
            }
            members.append(member)
        }
        let voting = object.string("voting") ?? "hard"
        guard voting == "hard" || voting == "soft" else {
            throw object.error("voting", "expected 'hard' or 'soft', found '\(voting)'")
        }
        if voting == "soft", let lacking = members.first(where: { !$0.kind.hasProbabilities }) {
            throw object.error("estimators_", "\(lacking.name) has no predict_proba")
        }
        return .classifier(
            VotingClassifier(
                members: members,
                weights: try votingWeights(object, memberCount: members.count),
                soft: voting == "soft",
                flattenTransform: object.boolean("flatten_transform", default: true),
                classes: classes,
                inputWidth: try commonWidth(members.map(\.kind.inputWidth), object)
            )
        )
    }

    static func votingRegressor(_ object: FittedObject, depth: Int) throws(EstimatorError)
        -> Estimator
    {
        let members = try builtMembers(object, depth: depth, regressorMember)
        return .regressor(
            VotingRegressor(
                members: members,
                weights: try votingWeights(object, memberCount: members.count),
                inputWidth: try commonWidth(members.map(\.kind.inputWidth), object)
            )
        )
    }
}
