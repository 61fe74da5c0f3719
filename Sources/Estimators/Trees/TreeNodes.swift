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

    private init(left: Int32, right: Int32, feature: Int32, threshold: Float, missing: Bool) {
        self.left = left
        self.right = right
        self.feature = feature
        self.threshold = threshold
        missingGoesLeft = missing
    }

    /// The same node at `index` of an array where its tree starts at `offset`; a leaf
    /// becomes its own child (see ``PackedTrees``).
    func packed(at index: Int32, treeStart offset: Int32) -> TreeNode {
        if isLeaf {
            return TreeNode(left: index, right: index, feature: 0, threshold: 0, missing: false)
        }
        return TreeNode(
            left: left + offset,
            right: right + offset,
            feature: feature,
            threshold: threshold,
            missing: missingGoesLeft
        )
    }

    var isLeaf: Bool { left < 0 }

    /// The largest float32 not above `value` (infinities and NaN stay as they are).
    static func roundedDown(_ value: Double) -> Float {
        let nearest = Float(value)
        return Double(nearest) > value ? nearest.nextDown : nearest
    }

}

/// The input rows cast to float32 once, as scikit-learn's trees read them.
struct Float32Rows {
    let count: Int
    let columns: Int
    /// Row-major; never empty, so it always has a base address.
    let values: [Float]
    /// Whether any value is NaN.
    let hasMissing: Bool

    init(_ input: Matrix) {
        count = input.rows
        columns = input.columns
        values = input.values.isEmpty ? [0] : input.values.map { Float($0) }
        hasMissing = values.contains { $0.isNaN }
    }
}

/// The trees of an ensemble laid out for prediction: every tree's nodes in one array, in
/// the ensemble's order, children already pointing into it, and every leaf its own child
/// (so a row that reached a leaf stays there however many more steps it takes). A leaf's
/// index in this array indexes the ensemble's per-node value tables, built in the same order.
struct PackedTrees: Sendable {
    let nodes: [TreeNode]
    /// Where each tree starts in ``nodes``.
    let roots: [Int]
    /// Each tree's depth: the most splits on a path from its root to a leaf.
    let depths: [Int]

    /// Rows are walked in blocks of this many, each block through every tree in turn: the
    /// block's features and the tree's nodes stay in cache while the block goes through it.
    static let blockRows = 64
    /// Levels a block goes down in lockstep before each row finishes alone: deeper levels
    /// hold few rows' paths, and a lockstep walk pays for every level down to the deepest.
    static let lockstepLevels = 16

    init(_ trees: [TreeStructure], owner: FittedObject) throws(EstimatorError) {
        var nodes: [TreeNode] = []
        var roots: [Int] = []
        var depths: [Int] = []
        nodes.reserveCapacity(trees.reduce(0) { $0 + $1.nodes.count })
        for tree in trees {
            guard Int32(exactly: nodes.count + tree.nodes.count) != nil else {
                throw owner.error("estimators_", "the trees hold more than 2^31 nodes together")
            }
            let start = Int32(nodes.count)
            roots.append(nodes.count)
            depths.append(Self.depth(of: tree))
            for (index, node) in tree.nodes.enumerated() {
                nodes.append(node.packed(at: start + Int32(index), treeStart: start))
            }
        }
        self.nodes = nodes
        self.roots = roots
        self.depths = depths
    }

    /// The most splits from the root to a leaf; children lie after their parent.
    private static func depth(of tree: TreeStructure) -> Int {
        var depths = [Int](repeating: 0, count: tree.nodes.count)
        for (index, node) in tree.nodes.enumerated() where !node.isLeaf {
            depths[Int(node.left)] = depths[index] + 1
            depths[Int(node.right)] = depths[index] + 1
        }
        return depths.max() ?? 0
    }

    /// The node a row at `index` goes to next; a leaf's is itself. Written as a choice
    /// between two comparisons so that it compiles without a branch: `!(x > t)` is
    /// `x <= t` except that a NaN passes it. Rows without NaN (`mayBeMissing` false, a
    /// constant where this is inlined) need only the one comparison.
    @inline(__always)
    static func child(
        of index: Int,
        in nodes: UnsafeBufferPointer<TreeNode>,
        features: UnsafePointer<Float>,
        mayBeMissing: Bool = true
    ) -> Int {
        let node = nodes[index]
        let value = features[Int(node.feature)]
        let goesLeft =
            mayBeMissing && node.missingGoesLeft
            ? !(value > node.threshold) : value <= node.threshold
        return Int(goesLeft ? node.left : node.right)
    }

    /// The leaf a row reaches from `index`.
    @inline(__always)
    static func leaf(
        in nodes: UnsafeBufferPointer<TreeNode>,
        from index: Int,
        features: UnsafePointer<Float>
    ) -> Int {
        var current = index
        // A leaf is its own child.
        while Int(nodes[current].left) != current {
            current = child(of: current, in: nodes, features: features)
        }
        return current
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
        let width = rows.columns
        nodes.withUnsafeBufferPointer { nodes in
            rows.values.withUnsafeBufferPointer { features in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: Self.blockRows) { at in
                    let base = features.baseAddress!
                    var blockStart = 0
                    while blockStart < rows.count {
                        let blockCount = min(Self.blockRows, rows.count - blockStart)
                        let first = base + blockStart * width
                        if blockCount == 1 {
                            // One row: nothing to overlap, so no bookkeeping either.
                            for (tree, root) in roots.enumerated() {
                                body(
                                    tree,
                                    blockStart,
                                    Self.leaf(in: nodes, from: root, features: first)
                                )
                            }
                            blockStart += 1
                            continue
                        }
                        for (tree, root) in roots.enumerated() {
                            for row in 0..<blockCount { at[row] = root }
                            // The block's rows step down together: their walks overlap
                            // instead of each waiting on its own last load and branch.
                            let lockstep =
                                blockCount < 8 ? 0 : min(depths[tree], Self.lockstepLevels)
                            // Two copies of the loop, so the common one compares once.
                            if rows.hasMissing {
                                for _ in 0..<lockstep {
                                    for row in 0..<blockCount {
                                        at[row] = Self.child(
                                            of: at[row],
                                            in: nodes,
                                            features: first + row * width
                                        )
                                    }
                                }
                            } else {
                                for _ in 0..<lockstep {
                                    for row in 0..<blockCount {
                                        at[row] = Self.child(
                                            of: at[row],
                                            in: nodes,
                                            features: first + row * width,
                                            mayBeMissing: false
                                        )
                                    }
                                }
                            }
                            for row in 0..<blockCount {
                                let leaf = Self.leaf(
                                    in: nodes,
                                    from: at[row],
                                    features: first + row * width
                                )
                                body(tree, blockStart + row, leaf)
                            }
                        }
                        blockStart += blockCount
                    }
                }
            }
        }
    }
}
