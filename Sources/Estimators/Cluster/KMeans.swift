/// `KMeans` and `MiniBatchKMeans` through the `predict` and `transform` they share
/// (`_BaseKMeans`): the index of the nearest of `cluster_centers_`, and the Euclidean
/// distance to each center (see ``ClusterCenters`` for the arithmetic and the dtype).
struct KMeans: Classifier {
    let centers: ClusterCenters
    /// The class name, for messages.
    let name: String

    /// Cluster indices: `predict` returns them as int32 labels.
    let classes: ClassLabels
    var inputWidth: Int { centers.width }
    var hasProbabilities: Bool { false }
    var transformation: (any Transformer)? { CenterDistances(centers: centers, name: name) }

    init(_ object: FittedObject) throws(EstimatorError) {
        centers = try ClusterCenters(object, "cluster_centers_")
        try object.requireClusterCount(centers.count)
        classes = .clusterIndices(centers.count)
        name = object.className
    }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        try centers.requireRange(input, name: name)
        return (0..<input.rows).map { row in
            let features = input.row(row)
            return centers.nearest(features, narrowed: centers.narrowed(features))
        }
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        preconditionFailure("predict_proba called on \(name), which has none")
    }
}

extension ClassLabels {
    /// `0..<count`, the labels a clustering model predicts.
    static func clusterIndices(_ count: Int) -> ClassLabels {
        .integers((0..<Int64(count)).map { $0 })
    }
}

extension FittedObject {
    /// `n_clusters`, when recorded, must count the fitted centers.
    func requireClusterCount(_ count: Int) throws(EstimatorError) {
        guard optional("n_clusters") != nil else { return }
        let declared = try integer("n_clusters")
        guard declared == count else {
            throw error("cluster_centers_", "has \(count) centers, but n_clusters is \(declared)")
        }
    }
}
