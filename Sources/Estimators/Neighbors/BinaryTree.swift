import Arrays
import Pickle

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fitted `KDTree` or `BallTree` (a neighbors estimator's `_tree`), searched as its
/// Cython code searches it: depth first, the nearer child first, pruning nodes whose lower
/// bound is beyond the current k-th distance. The order points are met in decides which of
/// several equidistant points a k-neighbors search keeps, so the walk is the same one.
struct BinaryTree: Sendable {
    enum Kind: Sendable {
        /// Node bounds are boxes: `bounds[0]` the lower corners, `bounds[1]` the upper.
        case kd
        /// Node bounds are balls: `bounds[0]` the centroids, `radii` their radii.
        case ball
    }

    struct Node: Sendable {
        let start: Int
        let end: Int
        let isLeaf: Bool
        let radius: Double
    }

    let kind: Kind
    let metric: NeighborMetric
    /// The tree's own copy of the training rows, row-major.
    let data: [Double]
    let width: Int
    /// Rows of `data` in the tree's order: a leaf holds `order[start..<end]`.
    let order: [Int]
    let nodes: [Node]
    /// `node_bounds`: for KD trees, lower corners then upper corners, each node `width`
    /// values; for ball trees, the centroids.
    let bounds: [Double]

    /// Reads the `(data, idx_array, node_data, node_bounds, …)` state of a pickled tree.
    init(_ value: PickleValue, kind: Kind, metric: NeighborMetric, owner: FittedObject)
        throws(EstimatorError)
    {
        func fail(_ message: String) -> EstimatorError {
            owner.error("_tree", message)
        }
        guard case .object(let tree) = value, case .tuple(let state)? = tree.state,
            state.count >= 12
        else {
            throw fail("expected a pickled KDTree or BallTree, found \(value.kindName)")
        }
        self.kind = kind
        self.metric = metric
        // The tree measured with its own DistanceMetric; it must be the estimator's.
        if case .object(let pickled) = state[11],
            case .global(_, let name)? = pickled.arguments.first
        {
            let base =
                name.hasSuffix("64") || name.hasSuffix("32") ? String(name.dropLast(2)) : name
            guard base == metric.className else {
                throw fail(
                    "the tree measures with \(name), but the estimator's metric is \(metric.name)"
                )
            }
        }
        do {
            guard let data = try ArrayDecoder.array(state[0]),
                let order = try ArrayDecoder.array(state[1]),
                let nodeData = try ArrayDecoder.array(state[2]),
                let bounds = try ArrayDecoder.array(state[3])
            else { throw fail("the tree state does not hold its four arrays") }
            guard data.shape.count == 2, data.shape[0] > 0, data.shape[1] > 0 else {
                throw fail("data of shape \(data.shape)")
            }
            let count = data.shape[0]
            width = data.shape[1]
            self.data = try data.doubles()
            self.order = try order.integers().map { Int($0) }
            let starts = try nodeData.fieldIntegers("idx_start")
            let ends = try nodeData.fieldIntegers("idx_end")
            let leaves = try nodeData.fieldIntegers("is_leaf")
            let radii = try nodeData.fieldDoubles("radius")
            nodes = starts.indices.map {
                Node(
                    start: Int(starts[$0]),
                    end: Int(ends[$0]),
                    isLeaf: leaves[$0] != 0,
                    radius: radii[$0]
                )
            }
            let planes = kind == .kd ? 2 : 1
            guard bounds.shape == [planes, nodes.count, width] else {
                throw fail("node_bounds of shape \(bounds.shape) for \(nodes.count) nodes")
            }
            self.bounds = try bounds.doubles()
            try validate(count: count, fail)
        } catch let error as ArrayError {
            throw fail(error.message)
        } catch let error as EstimatorError {
            throw error
        } catch {
            throw fail("\(error)")
        }
    }

    /// Checks what the walks rely on: `order` is a permutation of the rows, every node's
    /// range lies inside it, and every inner node has both children.
    private func validate(count: Int, _ fail: (String) -> EstimatorError) throws(EstimatorError) {
        guard order.count == count, !nodes.isEmpty else {
            throw fail("idx_array holds \(order.count) rows for \(count)")
        }
        var seen = [Bool](repeating: false, count: count)
        for row in order {
            guard row >= 0, row < count, !seen[row] else {
                throw fail("idx_array is not a permutation of the rows")
            }
            seen[row] = true
        }
        for (index, node) in nodes.enumerated() {
            guard node.start >= 0, node.start <= node.end, node.end <= count else {
                throw fail("node \(index) spans \(node.start)..<\(node.end) of \(count) rows")
            }
            if !node.isLeaf {
                guard 2 * index + 2 < nodes.count else {
                    throw fail("inner node \(index) has no children among \(nodes.count)")
                }
            }
        }
    }

    // MARK: - Bounds

    private func lower(_ node: Int, _ j: Int) -> Double { bounds[node * width + j] }
    private func upper(_ node: Int, _ j: Int) -> Double {
        bounds[(nodes.count + node) * width + j]
    }

    /// `min_rdist`: the reduced distance from `point` to the nearest place in `node`.
    private func minimumReduced(_ node: Int, _ point: UnsafePointer<Double>) -> Double {
        switch kind {
        case .kd:
            let p = metric.exponent
            var result = 0.0
            for j in 0..<width {
                let below = lower(node, j) - point[j]
                let above = point[j] - upper(node, j)
                let d = (below + abs(below)) + (above + abs(above))
                if p == .infinity {
                    result = fmax(result, 0.5 * d)
                } else {
                    result += Foundationless.pow(0.5 * d, p)
                }
            }
            return result
        case .ball:
            return metric.reduced(fromDistance: minimumBallDistance(node, point))
        }
    }

    private func centroidDistance(_ node: Int, _ point: UnsafePointer<Double>) -> Double {
        bounds.withUnsafeBufferPointer { bounds in
            metric.distance(point, bounds.baseAddress! + node * width, width: width)
        }
    }

    private func minimumBallDistance(_ node: Int, _ point: UnsafePointer<Double>) -> Double {
        fmax(0, centroidDistance(node, point) - nodes[node].radius)
    }

    /// `min_max_dist`: the nearest and farthest distances from `point` to `node`.
    private func distanceRange(_ node: Int, _ point: UnsafePointer<Double>) -> (Double, Double) {
        switch kind {
        case .kd:
            let p = metric.exponent
            var nearest = 0.0
            var farthest = 0.0
            for j in 0..<width {
                let below = lower(node, j) - point[j]
                let above = point[j] - upper(node, j)
                let d = (below + abs(below)) + (above + abs(above))
                if p == .infinity {
                    nearest = fmax(nearest, 0.5 * d)
                    farthest = fmax(farthest, abs(below))
                    farthest = fmax(farthest, abs(above))
                } else {
                    nearest += Foundationless.pow(0.5 * d, p)
                    farthest += Foundationless.pow(fmax(abs(below), abs(above)), p)
                }
            }
            if p != .infinity {
                nearest = Foundationless.pow(nearest, 1 / p)
                farthest = Foundationless.pow(farthest, 1 / p)
            }
            return (nearest, farthest)
        case .ball:
            let centre = centroidDistance(node, point)
            return (fmax(0, centre - nodes[node].radius), centre + nodes[node].radius)
        }
    }

    // MARK: - Queries

    /// `query(point, k)`: the heap of the k nearest rows, as the depth-first walk leaves it.
    func nearest(_ point: UnsafePointer<Double>, count k: Int) -> NeighborHeap {
        var heap = NeighborHeap(size: k, empty: .infinity)
        data.withUnsafeBufferPointer { data in
            visit(0, point, data.baseAddress!, &heap, bound: minimumReduced(0, point))
        }
        return heap
    }

    private func visit(
        _ node: Int,
        _ point: UnsafePointer<Double>,
        _ data: UnsafePointer<Double>,
        _ heap: inout NeighborHeap,
        bound: Double
    ) {
        if bound > heap.largest { return }
        let info = nodes[node]
        if info.isLeaf {
            for position in info.start..<info.end {
                let row = order[position]
                heap.push(metric.reducedDistance(point, data + row * width, width: width), row)
            }
            return
        }
        let first = 2 * node + 1
        let second = first + 1
        let firstBound = minimumReduced(first, point)
        let secondBound = minimumReduced(second, point)
        if firstBound <= secondBound {
            visit(first, point, data, &heap, bound: firstBound)
            visit(second, point, data, &heap, bound: secondBound)
        } else {
            visit(second, point, data, &heap, bound: secondBound)
            visit(first, point, data, &heap, bound: firstBound)
        }
    }

    /// `query_radius(point, radius)`: every row within `radius`, in the order the walk
    /// finds them, with its distance.
    func within(_ point: UnsafePointer<Double>, radius: Double) -> [(distance: Double, index: Int)]
    {
        var found: [(distance: Double, index: Int)] = []
        data.withUnsafeBufferPointer { data in
            collect(
                0,
                point,
                data.baseAddress!,
                radius,
                metric.reduced(fromDistance: radius),
                &found
            )
        }
        return found
    }

    private func collect(
        _ node: Int,
        _ point: UnsafePointer<Double>,
        _ data: UnsafePointer<Double>,
        _ radius: Double,
        _ reducedRadius: Double,
        _ found: inout [(distance: Double, index: Int)]
    ) {
        let (nearest, farthest) = distanceRange(node, point)
        let info = nodes[node]
        if nearest > radius { return }
        if farthest <= radius {
            // The whole node lies inside: every row is taken without its own test.
            for position in info.start..<info.end {
                let row = order[position]
                found.append((metric.distance(point, data + row * width, width: width), row))
            }
        } else if info.isLeaf {
            for position in info.start..<info.end {
                let row = order[position]
                let reduced = metric.reducedDistance(point, data + row * width, width: width)
                if reduced <= reducedRadius {
                    found.append((metric.distance(fromReduced: reduced), row))
                }
            }
        } else {
            collect(2 * node + 1, point, data, radius, reducedRadius, &found)
            collect(2 * node + 2, point, data, radius, reducedRadius, &found)
        }
    }
}
