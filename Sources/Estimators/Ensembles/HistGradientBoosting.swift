import Arrays
import Pickle

/// One node of a histogram gradient boosting `TreePredictor`, packed for walking.
struct HistogramNode: Sendable {
    /// `num_threshold`: float64, compared with the float64 input as scikit-learn does.
    let threshold: Double
    /// The leaf's term of the raw prediction.
    let value: Double
    /// Children as indices into the same node array (meaningless at a leaf).
    let left: Int32
    let right: Int32
    let feature: Int32
    /// For a categorical split, the first word of its left bitset in
    /// ``HistogramBoosting/leftCategories``; -1 for a numeric split.
    let bitset: Int32
    let missingGoesLeft: Bool
    let isLeaf: Bool
}

/// One `TreePredictor` of a histogram gradient boosting model: its node records, read
/// from the structured `nodes` array, and the bitsets of its categorical splits.
struct HistogramTree: Sendable {
    /// Children and bitsets index this tree alone; ``HistogramBoosting`` moves them.
    let nodes: [HistogramNode]
    /// `raw_left_cat_bitsets`: 8 words of 32 bits per categorical split; a category goes
    /// left when its bit is set.
    let leftCategories: [UInt32]

    init(_ value: PickleValue, featureCount: Int, owner: FittedObject) throws(EstimatorError) {
        func fail(_ message: String) -> EstimatorError {
            owner.error("_predictors", message)
        }
        guard case .object(let predictor) = value, let state = predictor.stateDict,
            let nodesValue = state["nodes"]
        else { throw fail("expected TreePredictor objects") }
        do {
            guard let nodes = try ArrayDecoder.array(nodesValue), nodes.count > 0 else {
                throw fail("a predictor has no nodes")
            }
            var bitsetCount = 0
            if let raw = state["raw_left_cat_bitsets"], let array = try ArrayDecoder.array(raw),
                array.count > 0
            {
                guard array.shape.count == 2, array.shape[1] == 8 else {
                    throw fail("categorical bitsets of shape \(array.shape)")
                }
                leftCategories = try array.integers().map { UInt32(truncatingIfNeeded: $0) }
                bitsetCount = array.shape[0]
            } else {
                leftCategories = []
            }
            self.nodes = try Self.readNodes(
                nodes,
                featureCount: featureCount,
                bitsets: bitsetCount,
                fail
            )
        } catch let error as EstimatorError {
            throw error
        } catch let error as ArrayError {
            throw fail(error.message)
        } catch {
            throw fail("\(error)")
        }
    }

    /// Reads the node records, checking that every walk ends (children lie after their
    /// parent) at a leaf, and that every split reads a real column and, if
    /// categorical, a real bitset.
    private static func readNodes(
        _ records: NDArray,
        featureCount: Int,
        bitsets: Int,
        _ fail: (String) -> EstimatorError
    ) throws -> [HistogramNode] {
        let value = try records.fieldDoubles("value")
        let feature = try records.fieldIntegers("feature_idx")
        let threshold = try records.fieldDoubles("num_threshold")
        let missingGoesLeft = try records.fieldIntegers("missing_go_to_left")
        let left = try records.fieldIntegers("left")
        let right = try records.fieldIntegers("right")
        let isLeaf = try records.fieldIntegers("is_leaf")
        let isCategorical = try records.fieldIntegers("is_categorical")
        let bitsetIndex = try records.fieldIntegers("bitset_idx")
        let count = value.count
        guard Int32(exactly: count) != nil else { throw fail("more than 2^31 nodes") }
        var result: [HistogramNode] = []
        result.reserveCapacity(count)
        for node in 0..<count {
            let leaf = isLeaf[node] != 0
            let categorical = !leaf && isCategorical[node] != 0
            if !leaf {
                guard left[node] > node, left[node] < count, right[node] > node,
                    right[node] < count
                else { throw fail("node \(node) has children outside the tree") }
                guard feature[node] >= 0, feature[node] < featureCount else {
                    throw fail("node \(node) splits on feature \(feature[node])")
                }
                if categorical, bitsetIndex[node] < 0 || bitsetIndex[node] >= bitsets {
                    throw fail("node \(node) has no categorical bitset")
                }
            }
            result.append(
                HistogramNode(
                    threshold: threshold[node],
                    value: value[node],
                    left: leaf ? -1 : Int32(left[node]),
                    right: leaf ? -1 : Int32(right[node]),
                    feature: leaf ? 0 : Int32(feature[node]),
                    bitset: categorical ? Int32(bitsetIndex[node] * 8) : -1,
                    missingGoesLeft: missingGoesLeft[node] != 0,
                    isLeaf: leaf
                )
            )
        }
        return result
    }

    /// The same nodes in arrays where the tree's nodes start at `nodeOffset` and its
    /// bitsets at word `bitsetOffset` (a leaf keeps its -1 children: walks stop at it).
    func nodes(movedBy nodeOffset: Int32, bitsetsBy bitsetOffset: Int32) -> [HistogramNode] {
        nodes.map { node in
            HistogramNode(
                threshold: node.threshold,
                value: node.value,
                left: node.isLeaf ? -1 : node.left + nodeOffset,
                right: node.isLeaf ? -1 : node.right + nodeOffset,
                feature: node.feature,
                bitset: node.bitset < 0 ? -1 : node.bitset + bitsetOffset,
                missingGoesLeft: node.missingGoesLeft,
                isLeaf: node.isLeaf
            )
        }
    }

    /// The C cast of a double to `uint8` that scikit-learn applies to a category: the
    /// value truncated to a 32-bit integer, of which the low byte is kept (an out-of-range
    /// value gives the indefinite integer, whose low byte is 0).
    static func categoryByte(_ value: Double) -> Int {
        guard value > -2_147_483_649, value < 2_147_483_648 else { return 0 }
        return Int(Int32(value)) & 0xFF
    }

    /// Whether `category`'s bit is set in the 8-word bitset starting at word `start`.
    static func contains(_ words: [UInt32], at start: Int = 0, _ category: Int) -> Bool {
        (words[start + category / 32] >> UInt32(category % 32)) & 1 == 1
    }
}

/// The iterations of a fitted `HistGradientBoostingClassifier` or `…Regressor`, with the
/// preprocessing of categorical columns of scikit-learn 1.4 on.
struct HistogramBoosting: Sendable {
    /// Every tree's nodes in one array, iteration by iteration (`_predictors[i][k]` is
    /// tree `i * baseline.count + k`), children and bitsets pointing into the packed arrays.
    let nodes: [HistogramNode]
    /// Where each tree starts in ``nodes``.
    let roots: [Int]
    /// Every tree's `raw_left_cat_bitsets`, one after the other.
    let leftCategories: [UInt32]
    /// `_baseline_prediction`: where each raw column starts.
    let baseline: [Double]
    let inputWidth: Int
    /// Per tree feature (after preprocessing), the known categories' bitset.
    let knownCategories: [[UInt32]?]
    /// scikit-learn 1.4 on: the columns ordinal-encoded first (the categorical ones,
    /// with their categories in code order), then the numeric ones.
    let encoder: CategoryEncoder?
    let negativeIsMissing: Bool

    /// Rows are walked in blocks, each block through every tree, as ``PackedTrees`` does.
    static let blockRows = PackedTrees.blockRows

    var textColumns: Set<Int> { encoder?.textColumns ?? [] }

    init(_ object: FittedObject) throws(EstimatorError) {
        inputWidth = try object.integer("n_features_in_")
        // The walk starts from the rows' buffer address, which rows of no column lack.
        guard inputWidth >= 1 else { throw object.error("n_features_in_", "is below 1") }
        let columns = try object.integer("n_trees_per_iteration_")
        baseline = try object.doubles("_baseline_prediction", count: columns)
        encoder =
            object.optional("_preprocessor") != nil
            ? try CategoryEncoder(object, inputWidth: inputWidth) : nil
        negativeIsMissing = object.sklearnVersion >= .init(1, 4)
        knownCategories = try Self.knownCategories(object, featureCount: inputWidth)
        guard case .list(let list) = try object.value("_predictors"), !list.items.isEmpty
        else { throw object.error("_predictors", "expected a list of iterations") }
        var nodes: [HistogramNode] = []
        var roots: [Int] = []
        var leftCategories: [UInt32] = []
        for item in list.items {
            guard case .list(let trees) = item, trees.items.count == columns else {
                throw object.error("_predictors", "an iteration does not hold \(columns) trees")
            }
            for tree in trees.items {
                let tree = try HistogramTree(tree, featureCount: inputWidth, owner: object)
                for node in tree.nodes where node.bitset >= 0 {
                    guard knownCategories[Int(node.feature)] != nil else {
                        throw object.error(
                            "_predictors",
                            "a categorical split on a numeric feature"
                        )
                    }
                }
                guard let nodeOffset = Int32(exactly: nodes.count),
                    let bitsetOffset = Int32(exactly: leftCategories.count),
                    Int32(exactly: nodes.count + tree.nodes.count) != nil,
                    Int32(exactly: leftCategories.count + tree.leftCategories.count) != nil
                else { throw object.error("_predictors", "more than 2^31 nodes together") }
                roots.append(nodes.count)
                nodes += tree.nodes(movedBy: nodeOffset, bitsetsBy: bitsetOffset)
                leftCategories += tree.leftCategories
            }
        }
        self.nodes = nodes
        self.roots = roots
        self.leftCategories = leftCategories
    }

    /// `_bin_mapper.make_known_categories_bitsets`: the categories each categorical
    /// feature was fitted with (`bin_thresholds_`), as 256-bit sets.
    private static func knownCategories(_ object: FittedObject, featureCount: Int)
        throws(EstimatorError) -> [[UInt32]?]
    {
        let mapper = try FittedObject(try object.value("_bin_mapper"))
        guard mapper.optional("is_categorical_") != nil else {
            return [[UInt32]?](repeating: nil, count: featureCount)
        }
        let flags = try mapper.array("is_categorical_")
        let categorical = try mapper.reading("is_categorical_") { () throws(ArrayError) in
            try flags.integers().map { $0 != 0 }
        }
        guard categorical.count == featureCount,
            case .list(let thresholds) = try mapper.value("bin_thresholds_"),
            thresholds.items.count == featureCount
        else {
            throw mapper.error("bin_thresholds_", "does not fit \(featureCount) features")
        }
        var result: [[UInt32]?] = []
        for (feature, isCategorical) in categorical.enumerated() {
            guard isCategorical else {
                result.append(nil)
                continue
            }
            let categories = try mapper.reading("bin_thresholds_") {
                () throws(ArrayError) -> [Double]? in
                try ArrayDecoder.array(thresholds.items[feature])?.doubles()
            }
            var bitset = [UInt32](repeating: 0, count: 8)
            for category in categories ?? [] {
                guard category >= 0, category < 256 else {
                    throw mapper.error("bin_thresholds_", "category \(category) out of range")
                }
                let byte = Int(category)
                bitset[byte / 32] |= 1 << UInt32(byte % 32)
            }
            result.append(bitset)
        }
        return result
    }

    /// Raw predictions: the baseline, then each iteration's tree values added in turn.
    func rawPredictions(_ input: Matrix) throws(InputError) -> Matrix {
        let prepared = encoder?.transform(input) ?? input
        let columns = baseline.count
        var result = Matrix(rows: input.rows, columns: columns)
        for row in 0..<input.rows {
            for column in 0..<columns { result[row, column] = baseline[column] }
        }
        let width = prepared.columns
        result.values.withUnsafeMutableBufferPointer { raw in
            nodes.withUnsafeBufferPointer { nodes in
                prepared.values.withUnsafeBufferPointer { features in
                    // Blocks of rows through every tree, as PackedTrees walks; per row and
                    // column the trees still come in iteration order. Each row walks alone:
                    // a lockstep walk measured slower on these wider nodes.
                    var blockStart = 0
                    while blockStart < input.rows {
                        let blockCount = min(Self.blockRows, input.rows - blockStart)
                        let first = features.baseAddress! + blockStart * width
                        for (tree, root) in roots.enumerated() {
                            let column = columns == 1 ? 0 : tree % columns
                            for row in 0..<blockCount {
                                var leaf = root
                                while !nodes[leaf].isLeaf {
                                    leaf = child(of: leaf, in: nodes, features: first + row * width)
                                }
                                raw[(blockStart + row) * columns + column] += nodes[leaf].value
                            }
                        }
                        blockStart += blockCount
                    }
                }
            }
        }
        return result
    }

    /// `_predict_one_from_raw_data`, one level down from the split at `index`: NaN follows
    /// the recorded side; a numeric value goes left when it is at most the threshold
    /// (`!(x > t)` is `x <= t` except that a NaN passes it).
    @inline(__always)
    private func child(
        of index: Int,
        in nodes: UnsafeBufferPointer<HistogramNode>,
        features: UnsafePointer<Double>
    ) -> Int {
        let node = nodes[index]
        let value = features[Int(node.feature)]
        let goesLeft: Bool
        if node.bitset >= 0 {
            goesLeft = categoricalGoesLeft(node, value)
        } else {
            goesLeft = node.missingGoesLeft ? !(value > node.threshold) : value <= node.threshold
        }
        return Int(goesLeft ? node.left : node.right)
    }

    /// A categorical value goes left when its category is in the split's left bitset,
    /// right when it is another known category, and otherwise (NaN, unknown, negative from
    /// 1.4) where NaN goes.
    private func categoricalGoesLeft(_ node: HistogramNode, _ value: Double) -> Bool {
        if value.isNaN || (negativeIsMissing && value < 0) { return node.missingGoesLeft }
        let category = HistogramTree.categoryByte(value)
        if HistogramTree.contains(leftCategories, at: Int(node.bitset), category) {
            return true
        }
        if let known = knownCategories[Int(node.feature)], HistogramTree.contains(known, category) {
            return false
        }
        return node.missingGoesLeft
    }
}

/// The `_preprocessor` of a histogram gradient boosting model with categorical features
/// (scikit-learn 1.4 on): an `OrdinalEncoder` (unknown categories and NaN become NaN) on
/// the categorical columns, placed first, then the numeric columns as they are.
struct CategoryEncoder: Sendable {
    /// Input columns in output order: categorical first, then numeric.
    let order: [Int]
    /// Per categorical column (in output order): its categories, numbers or strings.
    let numberCategories: [[Double]]
    let textCategories: [[String]]
    let textColumns: Set<Int>

    init(_ object: FittedObject, inputWidth: Int) throws(EstimatorError) {
        let flags = try object.array("is_categorical_")
        let categorical = try object.reading("is_categorical_") { () throws(ArrayError) in
            try flags.integers().map { $0 != 0 }
        }
        guard categorical.count == inputWidth else {
            throw object.error("is_categorical_", "does not fit \(inputWidth) features")
        }
        let categoricalColumns = categorical.indices.filter { categorical[$0] }
        order = categoricalColumns + categorical.indices.filter { !categorical[$0] }
        let preprocessor = try FittedObject(try object.value("_preprocessor"))
        guard case .list(let transformers) = try preprocessor.value("transformers_"),
            case .tuple(let first)? = transformers.items.first, first.count == 3,
            case .string("encoder") = first[0]
        else {
            throw preprocessor.error("transformers_", "expected the encoder first")
        }
        let encoder = try FittedObject(first[1])
        guard case .list(let categories) = try encoder.value("categories_"),
            categories.items.count == categoricalColumns.count
        else {
            throw encoder.error("categories_", "does not fit the categorical columns")
        }
        var numbers: [[Double]] = []
        var texts: [[String]] = []
        var textColumns: Set<Int> = []
        for (index, item) in categories.items.enumerated() {
            let array = try encoder.reading("categories_") { () throws(ArrayError) in
                try ArrayDecoder.array(item)
            }
            guard let array else { throw encoder.error("categories_", "expected arrays") }
            if array.dtype.kind == .object || array.dtype.kind == .unicode {
                let values = try encoder.reading("categories_") { () throws(ArrayError) in
                    try array.objects().map { value -> String? in
                        if case .string(let text) = value { text } else { nil }
                    }
                }
                // A trailing NaN stands for missing values, which encode to NaN anyway.
                texts.append(values.compactMap { $0 })
                numbers.append([])
                textColumns.insert(categoricalColumns[index])
            } else {
                let values = try encoder.reading("categories_") { () throws(ArrayError) in
                    try array.doubles()
                }
                numbers.append(values.filter { !$0.isNaN })
                texts.append([])
            }
        }
        numberCategories = numbers
        textCategories = texts
        self.textColumns = textColumns
    }

    /// Encodes the categorical columns: an unknown category, infinity included, becomes
    /// NaN.
    func transform(_ input: Matrix) -> Matrix {
        var result = Matrix(rows: input.rows, columns: order.count)
        let categoricalCount = numberCategories.count
        for row in 0..<input.rows {
            for (position, column) in order.enumerated() {
                let value = input[row, column]
                guard position < categoricalCount else {
                    result[row, position] = value
                    continue
                }
                let code: Int?
                if let text = input.text(row: row, column: column) {
                    code = textCategories[position].firstIndex(of: text)
                } else if value.isNaN {
                    code = nil

                } else {
                    code = numberCategories[position].firstIndex(of: value)
                }
                result[row, position] = code.map(Double.init) ?? .nan
            }
        }
        return result
    }
}

/// `sklearn.ensemble.HistGradientBoostingRegressor`: the raw prediction through the
/// loss's inverse link (identity, or exp for the Poisson, gamma and Tweedie losses).
struct HistGradientBoostingRegressor: Regressor {
    let boosting: HistogramBoosting
    let logLink: Bool

    var inputWidth: Int { boosting.inputWidth }
    var acceptsMissing: Bool { true }
    var textColumns: Set<Int> { boosting.textColumns }

    init(_ object: FittedObject) throws(EstimatorError) {
        boosting = try HistogramBoosting(object)
        guard boosting.baseline.count == 1 else {
            throw object.error("_baseline_prediction", "expected one value")
        }
        let loss = try FittedObject(try object.value("_loss")).className
        switch loss {
        case "HalfSquaredError", "AbsoluteError", "PinballLoss", "HuberLoss",
            "HalfTweedieLossIdentity":
            logLink = false
        case "HalfPoissonLoss", "HalfGammaLoss", "HalfTweedieLoss":
            logLink = true
        default:
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "_loss",
                "loss \(loss) is not supported"
            )
        }
    }

    func predict(_ input: Matrix) throws(InputError) -> Matrix {
        var raw = try boosting.rawPredictions(input)
        if logLink {
            for index in raw.values.indices { raw.values[index] = raw.values[index].exp() }
        }
        return raw
    }
}

/// `sklearn.ensemble.HistGradientBoostingClassifier`, binary or multiclass.
struct HistGradientBoostingClassifier: Classifier {
    let boosting: HistogramBoosting
    let classes: ClassLabels
    /// Before 1.4, `predict` took the argmax of the probabilities; since, of the raw
    /// values (for two classes, whether the raw value is positive).
    let predictsFromProbabilities: Bool

    var inputWidth: Int { boosting.inputWidth }
    var acceptsMissing: Bool { true }
    var textColumns: Set<Int> { boosting.textColumns }
    var hasDecisionFunction: Bool { true }

    init(_ object: FittedObject) throws(EstimatorError) {
        classes = try object.classLabels()
        boosting = try HistogramBoosting(object)
        let expected = classes.count == 2 ? 1 : classes.count
        guard classes.count >= 2, boosting.baseline.count == expected else {
            throw object.error(
                "_baseline_prediction",
                "\(boosting.baseline.count) raw columns for \(classes.count) classes"
            )
        }
        predictsFromProbabilities = object.sklearnVersion < .init(1, 4)
    }

    func decisionFunction(_ input: Matrix) throws(InputError) -> Matrix {
        try boosting.rawPredictions(input)
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        Self.probabilities(try boosting.rawPredictions(input))
    }

    static func probabilities(_ raw: Matrix) -> Matrix {
        // scikit-learn holds raw predictions in Fortran order, so numpy sums each row's
        // exponentials column by column: sequentially, not pairwise.
        guard raw.columns == 1 else { return Probability.softmax(raw) }
        var result = Matrix(rows: raw.rows, columns: 2)
        for row in 0..<raw.rows {
            let positive = LinearAlgebra.expit(raw.values[row])
            result[row, 0] = 1 - positive
            result[row, 1] = positive
        }
        return result
    }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        let raw = try boosting.rawPredictions(input)
        let scores = predictsFromProbabilities ? Self.probabilities(raw) : raw
        if scores.columns == 1 { return scores.values.map { $0 > 0 ? 1 : 0 } }
        return Probability.argmaxOfRows(scores)
    }
}
