/// `KMeans` and `MiniBatchKMeans` through the `predict` and `transform` they share
/// (`_BaseKMeans`): the index of the nearest of `cluster_centers_`, and the Euclidean
/// distance to each center.
///
/// scikit-learn computes in the dtype of `cluster_centers_`. Centers fitted on float32 data
/// are float32, and its `predict` then accepts only float32 rows (a float64 row fails in
/// Cython with a buffer dtype mismatch), so such a model reads every row as float32: both
/// outputs are what scikit-learn gives for the rows cast to float32, and a value beyond
/// float32's range is refused, as scikit-learn refuses the infinity the cast makes.
struct NearestCenter: Classifier {
    /// `cluster_centers_`, one row per cluster; float32 centers are held exactly.
    let centers: Matrix
    /// The centers as float32, when they are: `predict` then computes in float32.
    let singleCenters: [Float]?
    /// `row_norms(cluster_centers_, squared=True)` in float64, as `_labels_inertia` (float64
    /// centers) and `euclidean_distances` (either dtype, upcast) compute it.
    let squaredNorms: [Double]
    /// The same norms in float32, as `_labels_inertia` computes them for float32 centers.
    let singleSquaredNorms: [Float]
    /// The class name, for messages.
    let name: String

    /// Cluster indices: `predict` returns them as int32 labels.
    let classes: ClassLabels
    var inputWidth: Int { centers.columns }
    var hasProbabilities: Bool { false }
    var transformation: (any Transformer)? { CenterDistances(model: self) }

    init(_ object: FittedObject) throws(EstimatorError) {
        let array = try object.array("cluster_centers_")
        let shape = array.shape
        guard shape.count == 2, shape[0] > 0, shape[1] > 0 else {
            throw object.error("cluster_centers_", "expected a 2-D array, found shape \(shape)")
        }
        guard array.dtype.kind == .float, [4, 8].contains(array.dtype.itemSize) else {
            throw object.error(
                "cluster_centers_",
                "expected float64 or float32 centers, found dtype \(array.dtype)"
            )
        }
        let values = try object.doubles("cluster_centers_")
        guard values.allSatisfy(\.isFinite) else {
            throw object.error("cluster_centers_", "holds a value that is NaN or infinite")
        }
        if object.optional("n_clusters") != nil {
            let declared = try object.integer("n_clusters")
            guard declared == shape[0] else {
                throw object.error(
                    "cluster_centers_",
                    "has \(shape[0]) centers, but n_clusters is \(declared)"
                )
            }
        }
        let (count, width) = (shape[0], shape[1])
        centers = Matrix(rows: count, columns: width, values: values)
        let single = array.dtype.itemSize == 4 ? values.map { Float($0) } : nil
        singleCenters = single
        squaredNorms = (0..<count).map {
            NumpyEinsum.squaredNorm(values[($0 * width)..<(($0 + 1) * width)])
        }
        singleSquaredNorms =
            single.map { single in
                (0..<count).map {
                    NumpyEinsum.squaredNorm(single[($0 * width)..<(($0 + 1) * width)])
                }
            } ?? []
        classes = .integers((0..<Int64(shape[0])).map { $0 })
        name = object.className
    }

    /// `_labels_inertia`'s E step: for each center `||c||² - 2 x·c` (the row's own norm
    /// does not change the argmin), summed as OpenBLAS's gemm kernel sums it, with one fused
    /// multiply-add per feature; the first smallest wins.
    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        try requireSingleRange(input)
        let width = inputWidth
        return (0..<input.rows).map { row in
            if let singleCenters {
                let features = input.row(row).map { Float($0) }
                return nearest { center in
                    let dot = Arithmetic.fusedDot(
                        features[...],
                        singleCenters[(center * width)..<((center + 1) * width)]
                    )
                    return Double(singleSquaredNorms[center] + -2 * dot)
                }
            }
            let features = input.row(row)
            return nearest { center in
                squaredNorms[center] + -2 * Arithmetic.fusedDot(features, centers.row(center))
            }
        }
    }

    /// The first cluster whose value is strictly below every earlier one, as the Cython
    /// loop picks it (so a NaN first value keeps cluster 0).
    private func nearest(_ value: (Int) -> Double) -> Int {
        var best = 0
        var smallest = value(0)
        for center in 1..<centers.rows {
            let candidate = value(center)
            if candidate < smallest {
                smallest = candidate
                best = center
            }
        }
        return best
    }

    /// Refuses a value that float32 cannot hold, for float32 centers.
    func requireSingleRange(_ input: Matrix) throws(InputError) {
        guard singleCenters != nil,
            let index = input.values.firstIndex(where: { $0.isFinite && Float($0).isInfinite })
        else { return }
        throw InputError(
            row: index / input.columns,
            column: nil,
            "\(input.values[index]) in column \(index % input.columns) of the input of \(name) "
                + "is too large for float32, the dtype its cluster centers were fitted in"
        )
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        preconditionFailure("predict_proba called on \(name), which has none")
    }
}

/// `transform` of ``NearestCenter``: `euclidean_distances(X, cluster_centers_)`, that is
/// `sqrt(max(-2 x·c + ||x||² + ||c||², 0))` in scikit-learn's order, in float64 (numpy's
/// matmul sums `x·c` with fused multiply-adds, `row_norms` is numpy's `einsum`). For float32
/// centers scikit-learn upcasts the float32 rows and centers, computes the same in float64,
/// then casts to float32 before the maximum and the square root.
struct CenterDistances: Transformer {
    let model: NearestCenter

    var inputWidth: Int { model.inputWidth }
    var outputWidth: Int { model.centers.rows }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        try model.requireSingleRange(input)
        let single = model.singleCenters != nil
        var output = Matrix(rows: input.rows, columns: outputWidth)
        for row in 0..<input.rows {
            let features =
                single ? input.row(row).map { Double(Float($0)) }[...] : input.row(row)
            let rowNorm = NumpyEinsum.squaredNorm(features)
            for center in 0..<outputWidth {
                var squared = -2 * Arithmetic.fusedDot(features, model.centers.row(center))
                squared += rowNorm
                squared += model.squaredNorms[center]
                output[row, center] =
                    single
                    ? Double(Arithmetic.distance(Float(squared)))
                    : Arithmetic.distance(squared)
            }
        }
        return output
    }
}

/// The arithmetic of scikit-learn's k-means code, in either precision.
enum Arithmetic {
    /// A dot product as OpenBLAS's Haswell gemm kernels compute each element: one fused
    /// multiply-add per term, in order, from zero.
    static func fusedDot<Value: FloatingPoint>(
        _ left: ArraySlice<Value>,
        _ right: ArraySlice<Value>
    ) -> Value {
        var sum: Value = 0
        var index = right.startIndex
        for value in left {
            sum.addProduct(value, right[index])
            index += 1
        }
        return sum
    }

    /// `sqrt(maximum(squared, 0))` as numpy computes it: `maximum` keeps NaN.
    static func distance<Value: FloatingPoint>(_ squared: Value) -> Value {
        (squared >= 0 || squared.isNaN ? squared : 0).squareRoot()
    }
}

/// numpy's `einsum`, as scikit-learn's `row_norms` calls it.
enum NumpyEinsum {
    /// `einsum('ij,ij->i', X, X)` for one row: numpy's SIMD sum of products over 128-bit
    /// vectors (2 doubles or 4 floats), four vectors a step folded into one accumulator
    /// from the last to the first, then the rest a vector at a time, zero-padded; each
    /// product rounded before it is added; finally the lanes summed pairwise.
    static func squaredNorm<Value: BinaryFloatingPoint>(_ values: ArraySlice<Value>) -> Value {
        let lanes = 16 / MemoryLayout<Value>.size
        var sums = [Value](repeating: 0, count: lanes)
        var index = values.startIndex
        while values.endIndex - index >= 4 * lanes {
            for vector in (0..<4).reversed() {
                for lane in 0..<lanes {
                    let value = values[index + vector * lanes + lane]
                    let product = value * value
                    sums[lane] = sums[lane] + product
                }
            }
            index += 4 * lanes
        }
        while index < values.endIndex {
            for lane in 0..<lanes where index + lane < values.endIndex {
                let value = values[index + lane]
                let product = value * value
                sums[lane] = sums[lane] + product
            }
            index += lanes
        }
        return lanes == 2 ? sums[0] + sums[1] : (sums[0] + sums[1]) + (sums[2] + sums[3])
    }
}
