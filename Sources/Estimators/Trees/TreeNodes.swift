/// One node of a fitted tree, packed for walking: 20 bytes, so a walk reads one small record
/// per level instead of one entry in each of five arrays.
struct TreeNode: Sendable {
    /// Children as indices into the same node array; -1 for both at a leaf.
    let left: Int32
    let right: Int32
    let feature: Int32
    /// scikit-learn's float64 threshold rounded down to float32. scikit-learn compares the
    /// float32 input, widened, with the float64 threshold; for a float32 `x`, `x <= t`
    /// holds exactly when `x <= t32` for `t32` the largest float32 not above `t`.
    let threshold: Float
    /// Where a NaN goes (scikit-learn 1.3 on); false for older trees, which refuse NaN.
    let missingGoesLeft: Bool

    init(left: Int32, right: Int32, feature: Int32, threshold: Double, missingGoesLeft: Bool) {
        self.left = left
        self.right = right
        self.feature = feature
        self.threshold = Self.roundedDown(threshold)
        self.missingGoesLeft = missingGoesLeft
    }

    private init(moving node: TreeNode, by offset: Int32) {
        left = node.left < 0 ? node.left : node.left + offset
        right = node.right < 0 ? node.right : node.right + offset
        feature = node.feature
        threshold = node.threshold
        missingGoesLeft = node.missingGoesLeft
    }

    /// The same node in an array where its tree starts at `offset`.
    func moved(by offset: Int32) -> TreeNode { TreeNode(moving: self, by: offset) }

    var isLeaf: Bool { left < 0 }

    /// The largest float32 not above `value` (infinities and NaN stay as they are).
    static func roundedDown(_ value: Double) -> Float {
        let nearest = Float(value)
        return Double(nearest) > value ? nearest.nextDown : nearest
    }

    /// The leaf that the float32 row at `features` reaches from `root`. The caller
    /// guarantees what the tree was validated for at load: children inside `nodes`, split
    /// features inside the row.
    @inline(__always)
    static func leaf(
        in nodes: UnsafeBufferPointer<TreeNode>,
        from root: Int,
        features: UnsafePointer<Float>
    ) -> Int {
        var index = root
        while true {
            let node = nodes[index]
            if node.left < 0 { return index }
            let value = features[Int(node.feature)]
            // A NaN fails the comparison and goes right unless the split sends it left.
            let goesLeft = value <= node.threshold || (value.isNaN && node.missingGoesLeft)
            index = Int(goesLeft ? node.left : node.right)
        }
    }
}

/// The input rows cast to float32 once, as scikit-learn's trees read them.
struct Float32Rows {
    let count: Int
    let columns: Int
    /// Row-major; never empty, so it always has a base address.
    let values: [Float]

    init(_ input: Matrix) {
        count = input.rows
        columns = input.columns
        values =
            input.values.isEmpty ? [0] : input.values.map { Float($0) }
    }
}

/// The trees of an ensemble laid out for prediction: every tree's nodes in one array, in
/// the ensemble's order, children already pointing into it. A leaf's index in this array
/// indexes the ensemble's per-node value tables, built in the same order.
struct PackedTrees: Sendable {
    let nodes: [TreeNode]
    /// Where each tree starts in ``nodes``.
    let roots: [Int]

    /// Rows are walked in blocks of this many, each block through every tree in turn: the
    /// block's features and the tree's nodes stay in cache while the block goes through it.
    static let blockRows = 64

    init(_ trees: [TreeStructure], owner: FittedObject) throws(EstimatorError) {
        var nodes: [TreeNode] = []
        var roots: [Int] = []
        nodes.reserveCapacity(trees.reduce(0) { $0 + $1.nodes.count })
        for tree in trees {
            guard Int32(exactly: nodes.count + tree.nodes.count) != nil else {
                throw owner.error("estimators_", "the trees hold more than 2^31 nodes together")
            }
            let start = Int32(nodes.count)
            roots.append(nodes.count)
            nodes.append(contentsOf: tree.nodes.map { $0.moved(by: start) })
        }
        self.nodes = nodes
        self.roots = roots
    }

    init(single tree: TreeStructure) {
        nodes = tree.nodes
        roots = [0]
    }

    /// Calls `body(tree, row, leaf)` for every tree and row. For each row the trees come
    /// in order, so sums built in `body` add up in scikit-learn's order.
    ///
    /// - Precondition: `rows.columns` is the width the trees were validated for.
    @inline(__always)
    func forEachLeaf(
        _ rows: Float32Rows,
        _ body: (_ tree: Int, _ row: Int, _ leaf: Int) -> Void
    ) {
        nodes.withUnsafeBufferPointer { nodes in
            rows.values.withUnsafeBufferPointer { features in
                let base = features.baseAddress!
                var blockStart = 0
                while blockStart < rows.count {
                    let blockEnd = min(blockStart + Self.blockRows, rows.count)
                    for (tree, root) in roots.enumerated() {
                        for row in blockStart..<blockEnd {
                            let leaf = TreeNode.leaf(
                                in: nodes,
                                from: root,
                                features: base + row * rows.columns
                            )
                            body(tree, row, leaf)
                        }
                    }
                    blockStart = blockEnd
                }
            }
        }
    }
}
