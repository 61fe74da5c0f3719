/// A LightGBM model in its text format (`Booster.save_model`, `model_to_string`, or the
/// `_handle` of a pickled `Booster`), predicting as LightGBM's `GBDT::Predict` does: each
/// output a double sum, from zero, of its trees' leaf values in round order, then the
/// objective's `ConvertOutput`. Leaf values already include the shrinkage.
struct LightGBMBooster: Sendable {
    let objective: LightGBMObjective
    let featureCount: Int
    /// Trees per round: the number of classes for `multiclass`/`multiclassova`, else 1.
    let groupCount: Int
    let trees: [LightGBMTree]
    /// Rounds used: `best_iteration` when the booster records one, else all.
    let roundCount: Int
    /// Random-forest mode (`average_output`): the sums are divided by the rounds.
    let averagesOutput: Bool

    /// Reads the model text; `bestIteration` is the pickled `Booster`'s own attribute.
    init(text: String, bestIteration: Int, className: String) throws(EstimatorError) {
        func invalid(_ field: String, _ message: String) -> EstimatorError {
            EstimatorError(.invalidAttribute, className: className, attribute: field, message)
        }
        var header: [Substring: Substring] = [:]
        var treeBlocks: [[Substring: Substring]] = []
        var current: [Substring: Substring]?
        var averagesOutput = false
        var pandasCategorical: Substring?
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.hasPrefix("Tree=") {
                if let current { treeBlocks.append(current) }
                current = [:]
                continue
            }
            if line == "end of trees" {
                if let current { treeBlocks.append(current) }
                current = nil
                continue
            }
            if line == "average_output" { averagesOutput = true }
            if line.hasPrefix("pandas_categorical:") {
                pandasCategorical = line.dropFirst("pandas_categorical:".count)
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals]
            let value = line[line.index(after: equals)...]
            if current != nil {
                current?[key] = value
            } else if treeBlocks.isEmpty {
                header[key] = value
            }
        }
        if let current { treeBlocks.append(current) }
        guard header["version"] != nil else {
            throw invalid("_handle", "not a LightGBM model text (no version line)")
        }
        if let categorical = pandasCategorical, categorical != "null" {
            throw EstimatorError(
                .unsupportedOption,
                className: className,
                attribute: "pandas_categorical",
                "a model fitted on pandas category columns is not supported; fit on numeric "
                    + "codes with categorical_feature"
            )
        }
        guard let maxFeature = header["max_feature_idx"].flatMap({ Int($0) }),
            (0..<1 << 24).contains(maxFeature)
        else {
            throw invalid("max_feature_idx", "missing or not a feature index")
        }
        featureCount = maxFeature + 1
        guard let perRound = header["num_tree_per_iteration"].flatMap({ Int($0) }),
            (1...1 << 16).contains(perRound)
        else {
            throw invalid("num_tree_per_iteration", "missing or not a count")
        }
        groupCount = perRound
        objective = try LightGBMObjective(
            header["objective"].map(String.init),
            className: className
        )
        if objective.isMulticlass != (perRound > 1)
            || (objective.classCount.map { $0 != perRound } ?? false)
        {
            throw invalid("num_tree_per_iteration", "\(groupCount) for objective \(objective)")
        }
        var trees: [LightGBMTree] = []
        for (index, block) in treeBlocks.enumerated() {
            trees.append(
                try LightGBMTree(block, index: index, featureCount: featureCount, className)
            )
        }
        guard !trees.isEmpty, trees.count % groupCount == 0 else {
            throw invalid("Tree", "\(trees.count) trees for \(groupCount) per round")
        }
        self.trees = trees
        let rounds = trees.count / groupCount
        // LightGBM's predictor: a positive limit caps the rounds, anything else uses all.
        roundCount = bestIteration > 0 ? min(bestIteration, rounds) : rounds
        self.averagesOutput = averagesOutput
    }

    /// The raw scores (`raw_score=True`) of one row.
    func rawScores(_ features: UnsafeBufferPointer<Double>, into output: inout [Double]) {
        for group in 0..<groupCount { output[group] = 0 }
        for round in 0..<roundCount {
            for group in 0..<groupCount {
                output[group] += trees[round * groupCount + group].predict(features)
            }
        }
        if averagesOutput {
            for group in 0..<groupCount { output[group] /= Double(roundCount) }
        }
    }

    /// What `Booster.predict` returns: `rows × groupCount` values.
    func predictions(_ input: Matrix) -> [Double] { scores(input, converted: true) }

    /// What `Booster.predict(raw_score=True)` returns.
    func rawScores(_ input: Matrix) -> [Double] { scores(input, converted: false) }

    private func scores(_ input: Matrix, converted: Bool) -> [Double] {
        var result = [Double](repeating: 0, count: input.rows * groupCount)
        var features = [Double](repeating: 0, count: featureCount)
        var output = [Double](repeating: 0, count: groupCount)
        input.values.withUnsafeBufferPointer { values in
            for row in 0..<input.rows {
                for column in 0..<featureCount {
                    let value = values[row * input.columns + column]
                    // The C API drops values within 1e-35 of zero from a dense row, so the
                    // predictor sees them as 0.
                    features[column] =
                        value.isNaN || abs(value) > LightGBMTree.zeroThreshold ? value : 0
                }
                features.withUnsafeBufferPointer { rawScores($0, into: &output) }
                if converted { objective.convert(&output) }
                for group in 0..<groupCount { result[row * groupCount + group] = output[group] }
            }
        }
        return result
    }
}

/// One tree of the model text: internal nodes `0..<numLeaves - 1`, a negative child `c`
/// is leaf `~c`.
struct LightGBMTree: Sendable {
    /// `kZeroThreshold`: values this close to zero count as zero.
    static let zeroThreshold = Double(Float(1e-35))

    let leftChildren: [Int32]
    let rightChildren: [Int32]
    let splitFeatures: [Int32]
    let thresholds: [Double]
    let decisionTypes: [UInt8]
    let leafValues: [Double]
    let categoryBoundaries: [Int]
    let categoryBits: [UInt32]

    init(
        _ block: [Substring: Substring],
        index: Int,
        featureCount: Int,
        _ className: String
    ) throws(EstimatorError) {
        func invalid(_ message: String) -> EstimatorError {
            EstimatorError(
                .invalidAttribute,
                className: className,
                attribute: "Tree=\(index)",
                message
            )
        }
        func numbers<Number: LosslessStringConvertible>(_ key: Substring, _: Number.Type)
            throws(EstimatorError) -> [Number]
        {
            guard let text = block[key] else { throw invalid("has no \(key)") }
            var values: [Number] = []
            for part in text.split(separator: " ") {
                guard let value = Number(String(part)) else { throw invalid("\(key) '\(part)'") }
                values.append(value)
            }
            return values
        }
        if let linear = block["is_linear"], linear != "0" {
            throw EstimatorError(
                .unsupportedOption,
                className: className,
                attribute: "linear_tree",
                "linear_tree=True is not supported"
            )
        }
        guard let leafCount = block["num_leaves"].flatMap({ Int($0) }), leafCount >= 1 else {
            throw invalid("num_leaves is missing")
        }
        leafValues = try numbers("leaf_value", Double.self)
        guard leafValues.count == leafCount else { throw invalid("leaf_value has wrong length") }
        let nodeCount = leafCount - 1
        guard nodeCount > 0 else {
            (leftChildren, rightChildren, splitFeatures) = ([], [], [])
            (thresholds, decisionTypes, categoryBoundaries, categoryBits) = ([], [], [], [])
            return
        }
        leftChildren = try numbers("left_child", Int32.self)
        rightChildren = try numbers("right_child", Int32.self)
        splitFeatures = try numbers("split_feature", Int32.self)
        thresholds = try numbers("threshold", Double.self)
        decisionTypes = try numbers("decision_type", Int8.self).map { UInt8(bitPattern: $0) }
        guard
            [
                leftChildren.count, rightChildren.count, splitFeatures.count, thresholds.count,
                decisionTypes.count,
            ].allSatisfy({ $0 == nodeCount })
        else {
            throw invalid("node arrays differ from num_leaves - 1 = \(nodeCount)")
        }
        let categoryCount = block["num_cat"].flatMap { Int($0) } ?? 0
        if categoryCount > 0 {
            categoryBoundaries = try numbers("cat_boundaries", Int.self)
            categoryBits = try numbers("cat_threshold", UInt32.self)
            guard categoryBoundaries.count == categoryCount + 1, categoryBoundaries.first == 0,
                categoryBoundaries.last == categoryBits.count,
                zip(categoryBoundaries, categoryBoundaries.dropFirst()).allSatisfy({ $0 <= $1 })
            else {
                throw invalid("cat_boundaries do not split cat_threshold")
            }
        } else {
            (categoryBoundaries, categoryBits) = ([], [])
        }
        for node in 0..<nodeCount {
            for child in [leftChildren[node], rightChildren[node]] {
                // Internal children come after their parent, so every walk ends.
                let valid = child < 0 ? Int(~child) < leafCount : child > node && child < nodeCount
                guard valid else { throw invalid("node \(node) has child \(child) out of range") }
            }
            guard (0..<Int32(featureCount)) ~= splitFeatures[node] else {
                throw invalid("node \(node) splits on feature \(splitFeatures[node])")
            }
            if decisionTypes[node] & 1 != 0 {
                let slot = thresholds[node]
                guard slot >= 0, slot < Double(categoryCount), slot == slot.rounded(.towardZero)
                else {
                    throw invalid("node \(node) names category set \(slot)")
                }
            } else if (decisionTypes[node] >> 2) & 3 == 3 {
                throw invalid("node \(node) has an unknown missing type")
            }
        }
    }

    /// `Tree::Predict` of one row.
    func predict(_ features: UnsafeBufferPointer<Double>) -> Double {
        guard !leftChildren.isEmpty else { return leafValues[0] }
        var node: Int32 = 0
        while node >= 0 {
            let index = Int(node)
            let value = features[Int(splitFeatures[index])]
            node =
                decisionTypes[index] & 1 != 0
                ? categoricalDecision(value, index) : numericalDecision(value, index)
        }
        return leafValues[Int(~node)]
    }

    /// `NumericalDecision`: missing type None (0) reads NaN as 0; Zero (1) sends values
    /// near 0 (and NaN) the default way; NaN (2) sends NaN the default way.
    private func numericalDecision(_ input: Double, _ node: Int) -> Int32 {
        let type = decisionTypes[node]
        let missingType = (type >> 2) & 3
        var value = input
        if value.isNaN, missingType != 2 { value = 0 }
        let isZero = value >= -Self.zeroThreshold && value <= Self.zeroThreshold
        if (missingType == 1 && isZero) || (missingType == 2 && value.isNaN) {
            return type & 2 != 0 ? leftChildren[node] : rightChildren[node]
        }
        return value <= thresholds[node] ? leftChildren[node] : rightChildren[node]
    }

    /// `CategoricalDecision`: NaN and negative values go right; otherwise the integer part
    /// goes left when its bit is set in the node's category set.
    private func categoricalDecision(_ value: Double, _ node: Int) -> Int32 {
        // C++'s int conversion of a double beyond int32 gives INT_MIN on x86: negative.
        guard !value.isNaN, value > -2_147_483_649, value < 2_147_483_648 else {
            return rightChildren[node]
        }
        let category = Int(Int32(value.rounded(.towardZero)))
        guard category >= 0 else { return rightChildren[node] }
        let slot = Int(thresholds[node])
        let start = categoryBoundaries[slot]
        let words = categoryBoundaries[slot + 1] - start
        guard category / 32 < words else { return rightChildren[node] }
        let isSet = (categoryBits[start + category / 32] >> UInt32(category % 32)) & 1 != 0
        return isSet ? leftChildren[node] : rightChildren[node]
    }
}

/// The objectives of the model text's `objective=` line and their `ConvertOutput`.
enum LightGBMObjective: Sendable, Equatable, CustomStringConvertible {
    /// regression, regression_l1, huber, fair, quantile, mape: the score, squared back
    /// with its sign under `reg_sqrt`.
    case regression(name: String, squareRoot: Bool)
    /// poisson, gamma, tweedie: exp.
    case exponential(String)
    /// binary: `1 / (1 + exp(-sigmoid · score))`.
    case binary(sigmoid: Double)
    /// cross_entropy: `1 / (1 + exp(-score))`.
    case crossEntropy
    /// cross_entropy_lambda: `log1p(exp(score))`.
    case crossEntropyLambda
    /// multiclass: softmax over the classes.
    case multiclass(classes: Int)
    /// multiclassova: one sigmoid per class, not normalised.
    case multiclassOneVsAll(classes: Int, sigmoid: Double)
    /// No objective line (a custom objective): the raw score.
    case raw

    init(_ line: String?, className: String) throws(EstimatorError) {
        guard let line else {
            self = .raw
            return
        }
        let parts = line.split(separator: " ")
        let name = parts.first.map(String.init) ?? ""
        var options: [Substring: Substring] = [:]
        var flags: Set<Substring> = []
        for part in parts.dropFirst() {
            if let colon = part.firstIndex(of: ":") {
                options[part[..<colon]] = part[part.index(after: colon)...]
            } else {
                flags.insert(part)
            }
        }
        let sigmoid = options["sigmoid"].flatMap { Double(String($0)) } ?? 1
        let classes = options["num_class"].flatMap { Int($0) } ?? 1
        switch name {
        case "regression", "regression_l1", "huber", "fair", "quantile", "mape":
            self = .regression(name: name, squareRoot: flags.contains("sqrt"))
        case "poisson", "gamma", "tweedie": self = .exponential(name)
        case "binary": self = .binary(sigmoid: sigmoid)
        case "cross_entropy": self = .crossEntropy
        case "cross_entropy_lambda": self = .crossEntropyLambda
        case "multiclass": self = .multiclass(classes: classes)
        case "multiclassova": self = .multiclassOneVsAll(classes: classes, sigmoid: sigmoid)
        default:
            throw EstimatorError(
                .unsupportedOption,
                className: className,
                attribute: "objective",
                "objective '\(name)' is not supported"
            )
        }
    }

    var description: String {
        switch self {
        case .regression(let name, _), .exponential(let name): name
        case .binary: "binary"
        case .crossEntropy: "cross_entropy"
        case .crossEntropyLambda: "cross_entropy_lambda"
        case .multiclass: "multiclass"
        case .multiclassOneVsAll: "multiclassova"
        case .raw: "custom"
        }
    }

    var isMulticlass: Bool { classCount != nil }

    var classCount: Int? {
        switch self {
        case .multiclass(let classes), .multiclassOneVsAll(let classes, _): classes
        default: nil
        }
    }

    /// `ConvertOutput`, in place, with LightGBM's double arithmetic.
    func convert(_ output: inout [Double]) {
        switch self {
        case .raw, .regression(_, false): return
        case .regression(_, true):
            let score = output[0]
            output[0] = (score > 0 ? 1 : score < 0 ? -1 : 0) * score * score
        case .exponential: output[0] = Foundationless.exp(output[0])
        case .binary(let sigmoid):
            output[0] = 1 / (1 + Foundationless.exp(-sigmoid * output[0]))
        case .crossEntropy: output[0] = 1 / (1 + Foundationless.exp(-output[0]))
        case .crossEntropyLambda: output[0] = Foundationless.exp(output[0]).log1p()
        case .multiclass:
            var largest = output[0]
            for value in output.dropFirst() { largest = max(value, largest) }
            var sum = 0.0
            for index in output.indices {
                output[index] = Foundationless.exp(output[index] - largest)
                sum += output[index]
            }
            for index in output.indices { output[index] /= sum }
        case .multiclassOneVsAll(_, let sigmoid):
            for index in output.indices {
                output[index] = 1 / (1 + Foundationless.exp(-sigmoid * output[index]))
            }
        }
    }
}
