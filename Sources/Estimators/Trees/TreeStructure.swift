import Arrays
import Pickle

/// The nodes of one fitted `sklearn.tree._tree.Tree`: node 0 is the root; a leaf has no
/// children.
struct TreeStructure: Sendable {
    /// Splits and leaves, packed for walking (``TreeNode``).
    let nodes: [TreeNode]
    /// Whether the file records where NaN goes (scikit-learn ≥ 1.3); older trees refuse NaN.
    let recordsMissingDirection: Bool
    /// `values[(node * outputCount + output) * valueWidth ..< … + valueWidth]`: class
    /// weights or fractions for classifiers, the mean target for regressors.
    let values: [Double]
    /// Values per output at each node: the largest class count, or 1 for regressors.
    let valueWidth: Int
    /// Training samples that reached each node (`n_node_samples`).
    let sampleCounts: [Int64]
    /// Targets the tree was fitted on (`n_outputs`): columns of a 2-D `y`.
    let outputCount: Int
    let featureCount: Int

    /// Reads the `Tree` object of a fitted tree estimator (its `tree_`).
    init(_ value: PickleValue, owner: String) throws(EstimatorError) {
        guard case .object(let tree) = value, tree.qualifiedName == "sklearn.tree._tree.Tree",
            let state = tree.stateDict, tree.arguments.count == 3,
            case .int(let featureCount) = tree.arguments[0],
            case .int(let outputs) = tree.arguments[2]
        else {
            throw EstimatorError(
                .invalidAttribute,
                className: owner,
                attribute: "tree_",
                "expected a sklearn.tree._tree.Tree, found \(value.kindName)"
            )
        }
        func fail(_ message: String) -> EstimatorError {
            EstimatorError(.invalidAttribute, className: owner, attribute: "tree_", message)
        }
        guard outputs >= 1 else { throw fail("the tree has \(outputs) outputs") }
        guard let nodesValue = state["nodes"], let valuesValue = state["values"] else {
            throw fail("the tree state has no nodes or values")
        }
        do {
            guard let nodes = try ArrayDecoder.array(nodesValue),
                let values = try ArrayDecoder.array(valuesValue)
            else { throw fail("nodes and values must be numpy arrays") }
            let count = nodes.count
            guard values.shape.count == 3, values.shape[0] == count,
                values.shape[1] == outputs, values.shape[2] >= 1
            else {
                throw fail("values of shape \(values.shape) do not fit \(count) nodes")
            }
            let left = try Self.indices(nodes.fieldIntegers("left_child"), fail)
            let right = try Self.indices(nodes.fieldIntegers("right_child"), fail)
            let feature = try Self.indices(nodes.fieldIntegers("feature"), fail)
            let threshold = try nodes.fieldDoubles("threshold")
            sampleCounts = try nodes.fieldIntegers("n_node_samples")
            recordsMissingDirection = nodes.hasField("missing_go_to_left")
            let missingGoesLeft =
                recordsMissingDirection
                ? try nodes.fieldIntegers("missing_go_to_left").map { $0 != 0 }
                : [Bool](repeating: false, count: count)
            self.nodes = (0..<count).map { node in
                TreeNode(
                    left: left[node],
                    right: right[node],
                    feature: feature[node],
                    threshold: threshold[node],
                    missingGoesLeft: missingGoesLeft[node]
                )
            }
            self.values = try values.doubles()
            valueWidth = values.shape[2]
        } catch let error as ArrayError {
            throw fail(error.message)
        } catch let error as EstimatorError {
            throw error
        } catch {
            throw fail("\(error)")
        }
        self.featureCount = Int(featureCount)
        outputCount = Int(outputs)
        try validate(fail)
    }

    /// Node and feature indices, which must fit 32 bits (a larger one is no real index).
    private static func indices(_ values: [Int64], _ fail: (String) -> EstimatorError)
        throws(EstimatorError) -> [Int32]
    {
        var result: [Int32] = []
        result.reserveCapacity(values.count)
        for value in values {
            guard let index = Int32(exactly: value) else {
                throw fail("index \(value) is out of range")
            }
            result.append(index)
        }
        return result
    }

    /// Checks what ``leaf(for:)`` relies on, so prediction has no failure path: every
    /// child index points forward inside the array (so every walk ends), every split
    /// feature is a real column.
    private func validate(_ fail: (String) -> EstimatorError) throws(EstimatorError) {
        let count = nodes.count
        guard count > 0 else { throw fail("the tree has no nodes") }
        for (node, split) in nodes.enumerated() {
            let left = Int(split.left)
            let right = Int(split.right)
            if left == -1 || right == -1 {
                guard left == -1, right == -1 else { throw fail("node \(node) has one child") }
                continue
            }
            guard left > node, left < count, right > node, right < count else {
                // Children always come after their parent, so every walk ends.
                throw fail(
                    "node \(node) has children \(left) and \(right); each must lie after it "
                        + "and before \(count)"
                )
            }
            guard split.feature >= 0, Int(split.feature) < featureCount else {
                throw fail("node \(node) splits on feature \(split.feature) of \(featureCount)")
            }
        }
    }

    /// The index of the leaf that `row` falls in, for callers that walk one row through
    /// one tree (ensembles walk ``PackedTrees`` instead).
    ///
    /// scikit-learn casts inputs to float32 before walking, and compares the float32
    /// value (widened back to double) with the float64 threshold; so does this.
    func leaf(for row: ArraySlice<Double>) -> Int {
        var node = 0
        let base = row.startIndex
        while !nodes[node].isLeaf {
            let split = nodes[node]
            let value = Float(row[base + Int(split.feature)])
            let goLeft = value.isNaN ? split.missingGoesLeft : value <= split.threshold
            node = Int(goLeft ? split.left : split.right)
        }
        return node
    }

    /// The values of `output` at `node`.
    func leafValues(_ node: Int, output: Int = 0) -> ArraySlice<Double> {
        let start = (node * outputCount + output) * valueWidth
        return values[start..<(start + valueWidth)]
    }

    /// The first value of `output` at the leaf `row` falls in: a regression tree's
    /// prediction.
    func predictedValue(for row: ArraySlice<Double>, output: Int = 0) -> Double {
        values[(leaf(for: row) * outputCount + output) * valueWidth]
    }
}
