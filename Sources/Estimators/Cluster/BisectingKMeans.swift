/// `BisectingKMeans`: `predict` walks `_bisecting_tree` from the root, at each split
/// taking the nearer of the two child centers (each plus `_X_mean`, in the centers' dtype,
/// as `_predict_recursive` adds them), down to a leaf's `label`; `transform` is the
/// distance to each of `cluster_centers_`, as for ``KMeans``.
struct BisectingKMeans: Classifier {
    /// A node of the tree: a leaf's label, or a split's two centers and children.
    enum Node: Sendable {
        case leaf(label: Int)
        case split(centers: ClusterCenters, left: Int, right: Int)
    }

    let centers: ClusterCenters
    /// The tree's nodes, the root first; children are indices into it.
    let nodes: [Node]
    let name: String

    let classes: ClassLabels
    var inputWidth: Int { centers.width }
    var hasProbabilities: Bool { false }
    var transformation: (any Transformer)? { CenterDistances(centers: centers, name: name) }

    init(_ object: FittedObject) throws(EstimatorError) {
        centers = try ClusterCenters(object, "cluster_centers_")
        try object.requireClusterCount(centers.count)
        classes = .clusterIndices(centers.count)
        name = object.className
        nodes = try Self.nodes(object, centers: centers)
    }

    /// Reads the tree without recursion, checking that it is one: at most `2 × count - 1`
    /// nodes (so a node that is its own ancestor is refused), both children or none, and
    /// each label of `0..<count` on exactly one leaf.
    private static func nodes(_ object: FittedObject, centers: ClusterCenters)
        throws(EstimatorError) -> [Node]
    {
        let attribute = "_bisecting_tree"
        let (width, single) = (centers.width, centers.single != nil)
        var mean = [Double](repeating: 0, count: width)
        if object.optional("_X_mean") != nil {
            guard try ClusterCenters.isSingle(object.array("_X_mean"), object, "_X_mean") == single
            else { throw object.error("_X_mean", "has another dtype than cluster_centers_") }
            mean = try object.doubles("_X_mean", count: width)
        }
        var read: [FittedObject] = [try object.nested(attribute)]
        var nodes: [Node?] = [nil]
        var labelled = Set<Int>()
        var next = 0
        while next < read.count {
            let node = read[next]
            guard read.count <= 2 * centers.count - 1 else {
                throw object.error(attribute, "has more nodes than \(centers.count) clusters make")
            }
            switch (node.optional("left"), node.optional("right")) {
            case (nil, nil):
                let label = try node.integer("label")
                guard (0..<centers.count).contains(label), labelled.insert(label).inserted else {
                    throw object.error(attribute, "leaf label \(label) is out of range or repeated")
                }
                nodes[next] = .leaf(label: label)
            case (let left?, let right?):
                var pair: [Double] = []
                for child in [left, right] {
                    let childNode = try FittedObject(child)
                    let array = try childNode.array("center")
                    guard try ClusterCenters.isSingle(array, childNode, "center") == single else {
                        throw object.error(attribute, "a center has another dtype than the model's")
                    }
                    let center = try childNode.doubles("center", count: width)
                    // numpy adds in the centers' dtype: float32 sums round to float32.
                    pair += zip(center, mean).map {
                        single ? Double(Float($0) + Float($1)) : $0 + $1
                    }
                    read.append(childNode)
                    nodes.append(nil)
                }
                guard pair.allSatisfy(\.isFinite) else {
                    throw object.error(attribute, "holds a center that is NaN or infinite")
                }
                nodes[next] = .split(
                    centers: ClusterCenters(pair, count: 2, width: width, single: single),
                    left: read.count - 2,
                    right: read.count - 1
                )
            default:
                throw object.error(attribute, "a node has one child; expected two or none")
            }
            next += 1
        }
        guard labelled.count == centers.count else {
            throw object.error(
                attribute,
                "labels \(labelled.count) leaves for \(centers.count) clusters"
            )
        }
        return nodes.compactMap { $0 }
    }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        try centers.requireRange(input, name: name)
        return (0..<input.rows).map { row in
            let features = input.row(row)
            let narrowed = centers.narrowed(features)
            var index = 0
            while true {
                switch nodes[index] {
                case .leaf(let label):
                    return label
                case .split(let pair, let left, let right):
                    index = pair.nearest(features, narrowed: narrowed) == 0 ? left : right
                }
            }
        }
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        preconditionFailure("predict_proba called on \(name), which has none")
    }
}
