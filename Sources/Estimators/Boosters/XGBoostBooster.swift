import Documents

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A gradient-boosted tree model as XGBoost 3 saves it (`Booster.save_model` in JSON or
/// UBJSON, or the bytes its pickled `Booster` holds), predicting as XGBoost's CPU predictor
/// does: in float32, each output starting from the intercept (`base_score` through the
/// objective's link) and adding the trees' leaves in tree order; input values are cast to
/// float32 and compared with `value < split_condition`, NaN follows the default child.
struct XGBoostBooster: Sendable {
    let objective: XGBoostObjective
    let featureCount: Int
    /// Outputs per row: the number of classes for `multi:*`, else 1.
    let groupCount: Int
    /// The intercept of each output, already on the margin scale.
    let baseMargin: [Float]
    let trees: [XGBoostTree]
    /// The output each tree adds to (`tree_info`).
    let treeGroups: [Int]
    /// The trees predictions use: those of the first `best_iteration + 1` rounds when the
    /// model records one, as the scikit-learn wrapper's `iteration_range` does, else all.
    let treeCount: Int
    let hasCategoricalSplits: Bool

    /// Reads a saved model: JSON when it starts with `{"`, else UBJSON.
    init(bytes: [UInt8], className: String) throws(EstimatorError) {
        let document: DocumentValue
        do {
            let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
            let isJSON =
                first == UInt8(ascii: "{")
                && bytes.drop { $0 != UInt8(ascii: "{") }.dropFirst()
                    .first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "\"")
            document = isJSON ? try JSONDocument.read(bytes) : try UBJSONDocument.read(bytes)
        } catch {
            throw EstimatorError(
                .invalidAttribute,
                className: className,
                attribute: "handle",
                "not a readable XGBoost model: \(error)"
            )
        }
        // A pickled booster holds {"Config": …, "Model": …}; a saved model is the Model part.
        try self.init(document: document["Model"] ?? document, className: className)
    }

    init(document: DocumentValue, className: String) throws(EstimatorError) {
        var reader = XGBoostReader(className: className)
        let learner = try reader.object(document["learner"], "learner")
        let parameters = try reader.object(learner["learner_model_param"], "learner_model_param")
        featureCount = try reader.count(parameters["num_feature"], "num_feature")
        let classCount = try reader.count(parameters["num_class"], "num_class")
        let targetCount = try reader.count(parameters["num_target"] ?? .string("1"), "num_target")
        guard targetCount <= 1 else {
            throw reader.unsupported("num_target", "multi-target models are not supported")
        }
        let objectiveName = try reader.string(
            try reader.object(learner["objective"], "objective")["name"],
            "objective.name"
        )
        objective = try XGBoostObjective(objectiveName, className: className)
        if objective.isMulticlass != (classCount > 0) {
            throw reader.invalid("num_class", "is \(classCount) for objective \(objectiveName)")
        }
        groupCount = max(classCount, 1)
        let scores = try reader.floats(
            parameterArray: try reader.string(parameters["base_score"], "base_score")
        )
        guard scores.count == 1 || scores.count == groupCount,
            scores.allSatisfy(\.isFinite)
        else {
            throw reader.invalid("base_score", "\(scores) for \(groupCount) outputs")
        }
        let intercepts = scores.count == 1 ? Array(repeating: scores[0], count: groupCount) : scores
        baseMargin = intercepts.map(objective.margin(ofBaseScore:))

        let booster = try reader.object(learner["gradient_booster"], "gradient_booster")
        let boosterName = try reader.string(booster["name"], "gradient_booster.name")
        guard boosterName == "gbtree" else {
            throw reader.unsupported(
                "booster",
                "booster='\(boosterName)' is not supported; only 'gbtree' (the default) is"
            )
        }
        let model = try reader.object(booster["model"], "gradient_booster.model")
        if let encodings = model["cats"]?["enc"]?.array, !encodings.isEmpty {
            throw reader.unsupported(
                "cats",
                "categories recorded from a DataFrame are not supported; fit on numbers with "
                    + "feature_types marking the categorical columns"
            )
        }
        let treeList = try reader.array(model["trees"], "trees")
        var trees: [XGBoostTree] = []
        trees.reserveCapacity(treeList.count)
        for (index, tree) in treeList.enumerated() {
            trees.append(try XGBoostTree(tree, index: index, featureCount: featureCount, &reader))
        }
        self.trees = trees
        hasCategoricalSplits = trees.contains { $0.hasCategoricalSplits }
        let groups = try reader.integers(model["tree_info"], "tree_info").map(Int.init)
        let outputs = groupCount
        guard groups.count == trees.count, groups.allSatisfy({ (0..<outputs) ~= $0 }) else {
            throw reader.invalid(
                "tree_info",
                "does not give each of \(trees.count) trees an output"
            )
        }
        treeGroups = groups
        treeCount = try Self.treesUsed(
            learner: learner,
            model: model,
            treeCount: trees.count,
            groupCount: groupCount,
            &reader
        )
    }

    /// The trees of rounds `0...best_iteration`, by `iteration_indptr`.
    private static func treesUsed(
        learner: DocumentValue,
        model: DocumentValue,
        treeCount: Int,
        groupCount: Int,
        _ reader: inout XGBoostReader
    ) throws(EstimatorError) -> Int {
        guard let best = learner["attributes"]?["best_iteration"] else { return treeCount }
        guard let round = Int(try reader.string(best, "best_iteration")), round >= 0 else {
            throw reader.invalid("best_iteration", "is not a round number")
        }
        let bounds: [Int]
        if let listed = model["iteration_indptr"] {
            bounds = try reader.integers(listed, "iteration_indptr").map(Int.init)
        } else {
            // Models before the pointer was written: every round has the same tree count.
            let parallel = try reader.count(
                model["gbtree_model_param"]?["num_parallel_tree"] ?? .string("1"),
                "num_parallel_tree"
            )
            let perRound = max(1, parallel) * groupCount
            bounds = Array(stride(from: 0, through: treeCount, by: perRound))
        }
        guard bounds.first == 0, bounds.last == treeCount,
            zip(bounds, bounds.dropFirst())
                .allSatisfy({ $0 <= $1 })
        else {
            throw reader.invalid(
                "iteration_indptr",
                "does not split \(treeCount) trees into rounds"
            )
        }
        guard round + 1 < bounds.count else {
            throw reader.invalid(
                "best_iteration",
                "is \(round), but the model has \(bounds.count - 1) rounds"
            )
        }
        return bounds[round + 1]
    }

    /// The raw sums (`output_margin=True`) of one batch: `rows × groupCount`, float32.
    func margins(_ input: Matrix) -> [Float] {
        var margins = [Float](repeating: 0, count: input.rows * groupCount)
        var features = [Float](repeating: 0, count: featureCount)
        input.values.withUnsafeBufferPointer { values in
            for row in 0..<input.rows {
                for column in 0..<featureCount {
                    features[column] = Float(values[row * input.columns + column])
                }
                for group in 0..<groupCount {
                    margins[row * groupCount + group] = baseMargin[group]
                }
                features.withUnsafeBufferPointer { features in
                    for index in 0..<treeCount {
                        margins[row * groupCount + treeGroups[index]] += trees[index].leafValue(
                            features
                        )
                    }
                }
            }
        }
        return margins
    }

    /// What `Booster.predict` returns: the margins through the objective's transform.
    func predictions(_ input: Matrix) -> [Float] {
        var values = margins(input)
        objective.transform(&values, groupCount: groupCount)
        return values
    }
}

/// One tree: parallel arrays by node, as `RegTree` saves them.
struct XGBoostTree: Sendable {
    let leftChildren: [Int32]
    let splitIndices: [Int32]
    /// The threshold of a split node, the leaf value of a leaf.
    let splitConditions: [Float]
    let defaultLeft: [Bool]
    /// The sorted categories that go right, for each categorical split node.
    let categories: [Int: [Int32]]
    var hasCategoricalSplits: Bool { !categories.isEmpty }

    init(
        _ tree: DocumentValue,
        index: Int,
        featureCount: Int,
        _ reader: inout XGBoostReader
    ) throws(EstimatorError) {
        let name = "trees[\(index)]"
        if let size = tree["tree_param"]?["size_leaf_vector"] {
            let width = try reader.count(size, "\(name).size_leaf_vector")
            guard width <= 1 else {
                throw reader.unsupported("size_leaf_vector", "vector-leaf trees are not supported")
            }
        }
        let left = try reader.integers(tree["left_children"], "\(name).left_children")
        let right = try reader.integers(tree["right_children"], "\(name).right_children")
        let splitIndices = try reader.integers(tree["split_indices"], "\(name).split_indices")
        let conditions = try reader.floats(tree["split_conditions"], "\(name).split_conditions")
        let defaults = try reader.integers(tree["default_left"], "\(name).default_left")
        let types =
            try tree["split_type"].map { value throws(EstimatorError) in
                try reader.integers(value, "\(name).split_type")
            } ?? Array(repeating: 0, count: left.count)
        let count = left.count
        guard count > 0,
            [right.count, splitIndices.count, conditions.count, defaults.count, types.count]
                .allSatisfy({ $0 == count })
        else {
            throw reader.invalid(name, "node arrays are empty or differ in length")
        }
        for node in 0..<count where left[node] != -1 {
            // Children come after their parent, so every walk ends; XGBoost's predictor
            // takes the right child to be the one after the left.
            guard left[node] > node, left[node] + 1 < count, right[node] == left[node] + 1 else {
                throw reader.invalid(name, "node \(node) has children out of order or range")
            }
            guard (0..<Int64(featureCount)) ~= splitIndices[node] else {
                throw reader.invalid(name, "node \(node) splits on feature \(splitIndices[node])")
            }
            guard types[node] == 0 || types[node] == 1 else {
                throw reader.invalid(name, "node \(node) has split type \(types[node])")
            }
        }
        var categories: [Int: [Int32]] = [:]
        let categoricalNodes = (0..<count).filter { left[$0] != -1 && types[$0] == 1 }
        if !categoricalNodes.isEmpty {
            let nodes = try reader.integers(tree["categories_nodes"], "\(name).categories_nodes")
            let starts = try reader.integers(
                tree["categories_segments"],
                "\(name).categories_segments"
            )
            let sizes = try reader.integers(tree["categories_sizes"], "\(name).categories_sizes")
            let values = try reader.integers(tree["categories"], "\(name).categories")
            guard nodes.count == starts.count, nodes.count == sizes.count else {
                throw reader.invalid(name, "category segments differ in length")
            }
            for (position, node) in nodes.enumerated() {
                let start = Int(starts[position])
                let size = Int(sizes[position])
                guard categoricalNodes.contains(Int(node)), start >= 0, size >= 0,
                    start <= values.count - size
                else {
                    throw reader.invalid(name, "category segment \(position) is out of range")
                }
                categories[Int(node)] = values[start..<start + size].map { Int32(clamping: $0) }
                    .sorted()
            }
            guard categoricalNodes.allSatisfy({ categories[$0] != nil }) else {
                throw reader.invalid(name, "a categorical split has no categories")
            }
        }
        leftChildren = left.map { Int32(clamping: $0) }
        self.splitIndices = splitIndices.map { Int32(clamping: $0) }
        splitConditions = conditions
        defaultLeft = defaults.map { $0 != 0 }
        self.categories = categories
    }

    /// The leaf a row reaches: `value < condition` goes left; a categorical split sends the
    /// listed categories right and anything else (negative, too large, unlisted) left.
    func leafValue(_ features: UnsafeBufferPointer<Float>) -> Float {
        var node = 0
        while leftChildren[node] != -1 {
            let value = features[Int(splitIndices[node])]
            let left = Int(leftChildren[node])
            if value.isNaN {
                node = defaultLeft[node] ? left : left + 1
            } else if hasCategoricalSplits, let listed = categories[node] {
                node = Self.isListed(value, listed) ? left + 1 : left
            } else {
                node = value < splitConditions[node] ? left : left + 1
            }
        }
        return splitConditions[node]
    }

    /// Whether a category value is among `listed`, as XGBoost's `Decision` reads it: values
    /// below 0 or from 2²⁴ − 1 up are never listed; others are truncated to an integer.
    private static func isListed(_ value: Float, _ listed: [Int32]) -> Bool {
        guard value >= 0, value < 16_777_216 - 1 else { return false }
        let category = Int32(value)
        var low = 0
        var high = listed.count
        while low < high {
            let middle = (low + high) / 2
            if listed[middle] < category { low = middle + 1 } else { high = middle }
        }
        return low < listed.count && listed[low] == category
    }
}

/// The objectives whose predictions Augur reproduces, with XGBoost's float32 link
/// functions (`src/objective/`, `src/common/math.h`).
enum XGBoostObjective: Sendable, Equatable {
    /// Squared, squared-log, pseudo-Huber, absolute and quantile errors: no link.
    case identity(String)
    /// `reg:logistic`, `binary:logistic`: sigmoid.
    case logistic(String)
    /// `binary:logitraw`: the margin itself, with a logistic intercept.
    case logitRaw
    /// `binary:hinge`: 1 where the margin is positive, else 0.
    case hinge
    /// `count:poisson`, `reg:gamma`, `reg:tweedie`: exp.
    case exponential(String)
    /// `multi:softprob`: softmax over the classes.
    case softprob
    /// `multi:softmax`: the index of the largest margin.
    case softmax

    init(_ name: String, className: String) throws(EstimatorError) {
        switch name {
        case "reg:squarederror", "reg:linear", "reg:squaredlogerror", "reg:pseudohubererror",
            "reg:absoluteerror", "reg:quantileerror":
            self = .identity(name)
        case "reg:logistic", "binary:logistic": self = .logistic(name)
        case "binary:logitraw": self = .logitRaw
        case "binary:hinge": self = .hinge
        case "count:poisson", "reg:gamma", "reg:tweedie": self = .exponential(name)
        case "multi:softprob": self = .softprob
        case "multi:softmax": self = .softmax
        default:
            throw EstimatorError(
                .unsupportedOption,
                className: className,
                attribute: "objective",
                "objective '\(name)' is not supported"
            )
        }
    }

    var name: String {
        switch self {
        case .identity(let name), .logistic(let name), .exponential(let name): name
        case .logitRaw: "binary:logitraw"
        case .hinge: "binary:hinge"
        case .softprob: "multi:softprob"
        case .softmax: "multi:softmax"
        }
    }

    var isMulticlass: Bool { self == .softprob || self == .softmax }

    /// `ProbToMargin`: the intercept on the margin scale.
    func margin(ofBaseScore score: Float) -> Float {
        switch self {
        case .logistic:
            // Bounded away from 0 and 1, then `-log(1 / x - 1)`.
            let bounded = min(max(score, 1e-6), 1 - 1e-6)
            return -logf(1 / bounded - 1)
        case .exponential: return logf(score)
        case .identity, .logitRaw, .hinge, .softprob, .softmax: return score
        }
    }

    /// `PredTransform` over a batch of margins, in place; `multi:softmax` leaves one value
    /// (the class index) per row, so the array shrinks to a column.
    func transform(_ values: inout [Float], groupCount: Int) {
        switch self {
        case .identity, .logitRaw: return
        case .logistic: for index in values.indices { values[index] = Self.sigmoid(values[index]) }
        case .exponential: for index in values.indices { values[index] = expf(values[index]) }
        case .hinge: for index in values.indices { values[index] = values[index] > 0 ? 1 : 0 }
        case .softprob:
            for start in stride(from: 0, to: values.count, by: groupCount) {
                Self.softmax(&values[start..<start + groupCount])
            }
        case .softmax:
            values = stride(from: 0, to: values.count, by: groupCount).map { start in
                Float(Self.firstLargest(values[start..<start + groupCount]))
            }
        }
    }

    /// `common::Sigmoid(float)`.
    static func sigmoid(_ margin: Float) -> Float {
        let negated = -margin
        // std::min(-x, 88.7f), which keeps NaN, then 1 / (e^x + 1 + 1e-16).
        let bounded: Float = 88.7 < negated ? 88.7 : negated
        let denominator = expf(bounded) + 1 + Float(1e-16)
        return 1 / denominator
    }

    /// `common::Softmax`: float exponentials, summed in double, divided in float.
    static func softmax(_ values: inout ArraySlice<Float>) {
        guard let first = values.first else { return }
        var largest = first
        for value in values.dropFirst() { largest = fmaxf(value, largest) }
        var sum = 0.0
        for index in values.indices {
            values[index] = expf(values[index] - largest)
            sum += Double(values[index])
        }
        let total = Float(sum)
        for index in values.indices { values[index] /= total }
    }

    /// `FindMaxIndex`: the first position of the largest value.
    static func firstLargest(_ values: ArraySlice<Float>) -> Int {
        var best = values.startIndex
        for index in values.indices where values[index] > values[best] { best = index }
        return best - values.startIndex
    }
}

/// Reads the pieces of a model document, with errors naming the class and the field.
struct XGBoostReader {
    let className: String

    func invalid(_ field: String, _ message: String) -> EstimatorError {
        EstimatorError(.invalidAttribute, className: className, attribute: field, message)
    }

    func unsupported(_ field: String, _ message: String) -> EstimatorError {
        EstimatorError(.unsupportedOption, className: className, attribute: field, message)
    }

    func object(_ value: DocumentValue?, _ field: String) throws(EstimatorError) -> DocumentValue {
        guard let value, case .object = value else {
            throw invalid(field, "missing or not an object; is this an XGBoost 1.0+ model?")
        }
        return value
    }

    func array(_ value: DocumentValue?, _ field: String) throws(EstimatorError) -> [DocumentValue] {
        guard let items = value?.array else { throw invalid(field, "missing or not an array") }
        return items
    }

    func string(_ value: DocumentValue?, _ field: String) throws(EstimatorError) -> String {
        guard let text = value?.string else { throw invalid(field, "missing or not a string") }
        return text
    }

    /// A count written as a decimal string, as XGBoost writes its parameters.
    func count(_ value: DocumentValue?, _ field: String) throws(EstimatorError) -> Int {
        let text = try string(value, field)
        guard let count = Int(text), (0...1 << 24).contains(count) else {
            throw invalid(field, "'\(text)' is not a count")
        }
        return count
    }

    func integers(_ value: DocumentValue?, _ field: String) throws(EstimatorError) -> [Int64] {
        var result: [Int64] = []
        for item in try array(value, field) {
            guard let integer = item.integer else { throw invalid(field, "holds a non-integer") }
            result.append(integer)
        }
        return result
    }

    /// Float32 values; a JSON file's decimal text rounds to the float XGBoost wrote.
    func floats(_ value: DocumentValue?, _ field: String) throws(EstimatorError) -> [Float] {
        var result: [Float] = []
        for item in try array(value, field) {
            guard let number = item.double else { throw invalid(field, "holds a non-number") }
            result.append(Float(number))
        }
        return result
    }

    /// A `ParamArray<float>` parameter: `[a,b,…]`, or one number for models before 3.1.
    func floats(parameterArray text: String) throws(EstimatorError) -> [Float] {
        var body = Substring(text)
        if body.first == "[", body.last == "]" { body = body.dropFirst().dropLast() }
        var values: [Float] = []
        for part in body.split(separator: ",") {
            guard let value = Float(String(part.filter { $0 != " " })) else {
                throw invalid("base_score", "'\(text)' is not a list of numbers")
            }
            values.append(value)
        }
        guard !values.isEmpty else { throw invalid("base_score", "is empty") }
        return values
    }
}

/// libm's float functions, which XGBoost calls (`expf`, `logf`).
enum XGBoostMath {
    static func exp(_ value: Float) -> Float { expf(value) }
}
