import Arrays

/// Cluster centers with the norms scikit-learn's k-means code derives from them, and the
/// two computations it runs on them: the nearest center (`_labels_inertia`) and the
/// distance to each (`euclidean_distances`).
///
/// scikit-learn computes in the dtype of the centers. Centers fitted on float32 data are
/// float32, and `predict` then accepts only float32 rows (a float64 row fails in Cython
/// with a buffer dtype mismatch), so such centers read every row as float32: both outputs
/// are what scikit-learn gives for the rows cast to float32, and a value beyond float32's
/// range is refused, as scikit-learn refuses the infinity the cast makes.
struct ClusterCenters: Sendable {
    /// One row per center; float32 centers are held exactly.
    let values: Matrix
    /// The centers as float32, when they are: the nearest center is then found in float32.
    let single: [Float]?
    /// `row_norms(centers, squared=True)` in float64, as `_labels_inertia` (float64
    /// centers) and `euclidean_distances` (either dtype, upcast) compute it.
    let squaredNorms: [Double]
    /// The same norms in float32, as `_labels_inertia` computes them for float32 centers.
    let singleSquaredNorms: [Float]

    var count: Int { values.rows }
    var width: Int { values.columns }

    /// `values` holds `count` rows of `width`; `single` says they are float32 values.
    init(_ values: [Double], count: Int, width: Int, single: Bool) {
        self.values = Matrix(rows: count, columns: width, values: values)
        let rows = (0..<count).map { ($0 * width)..<(($0 + 1) * width) }
        squaredNorms = rows.map { NumpyEinsum.squaredNorm(values[$0]) }
        if single {
            let narrowed = values.map { Float($0) }
            self.single = narrowed
            singleSquaredNorms = rows.map { NumpyEinsum.squaredNorm(narrowed[$0]) }
        } else {
            self.single = nil
            singleSquaredNorms = []
        }
    }

    /// Reads a 2-D float64 or float32 array of finite centers, `width` features each when
    /// given.
    init(_ object: FittedObject, _ attribute: String, width expected: Int? = nil)
        throws(EstimatorError)
    {
        let array = try object.array(attribute)
        let shape = array.shape
        guard shape.count == 2, shape[0] > 0, shape[1] > 0 else {
            throw object.error(attribute, "expected a 2-D array, found shape \(shape)")
        }
        if let expected, shape[1] != expected {
            throw object.error(attribute, "has \(shape[1]) features, expected \(expected)")
        }
        let single = try Self.isSingle(array, object, attribute)
        let values = try object.doubles(attribute)
        guard values.allSatisfy(\.isFinite) else {
            throw object.error(attribute, "holds a value that is NaN or infinite")
        }
        self.init(values, count: shape[0], width: shape[1], single: single)
    }

    /// Whether a float array is float32 (else float64); other dtypes are refused.
    static func isSingle(_ array: NDArray, _ object: FittedObject, _ attribute: String)
        throws(EstimatorError) -> Bool
    {
        guard array.dtype.kind == .float, [4, 8].contains(array.dtype.itemSize) else {
            throw object.error(attribute, "expected float64 or float32, found \(array.dtype)")
        }
        return array.dtype.itemSize == 4
    }

    /// The row's features in the precision of the centers: float32 copies for float32
    /// centers (nil otherwise).
    func narrowed(_ row: ArraySlice<Double>) -> [Float]? {
        single == nil ? nil : row.map { Float($0) }
    }

    /// `_labels_inertia`'s E step for one row: for each center `||c||² - 2 x·c` (the row's
    /// own norm does not change the argmin), each `x·c` summed as OpenBLAS's gemm kernel
    /// sums it, one fused multiply-add per feature from the first; the first center
    /// strictly below every earlier one wins, as the Cython loop picks it (so a NaN first
    /// value keeps center 0). `narrowed` is ``narrowed(_:)`` of `row`.
    func nearest(_ row: ArraySlice<Double>, narrowed: [Float]?) -> Int {
        var best = 0
        var smallest = 0.0
        for center in 0..<count {
            let value: Double
            if let single, let narrowed {
                let start = center * width
                let dot = Arithmetic.fusedDot(narrowed[...], single[start..<(start + width)])
                value = Double(singleSquaredNorms[center] + -2 * dot)
            } else {
                value = squaredNorms[center] + -2 * Arithmetic.fusedDot(row, values.row(center))
            }
            if center == 0 || value < smallest {
                smallest = value
                best = center
            }
        }
        return best
    }

    /// `euclidean_distances(X, centers)` for row `index` of `input`: `sqrt(max(-2 x·c +
    /// ||x||² + ||c||², 0))` in that order, in float64 (`x·c` as numpy's matmul sums it for
    /// the shapes of `input` and the centers, `row_norms` as numpy's `einsum`). For float32
    /// centers scikit-learn upcasts the float32 rows and centers, computes the same in
    /// float64, then casts to float32 before the maximum and the square root.
    func distances(_ input: Matrix, row index: Int, into output: inout Matrix) {
        let row = input.row(index)
        let features = single == nil ? row : row.map { Double(Float($0)) }[...]
        let rowNorm = NumpyEinsum.squaredNorm(features)
        let product = NumpyMatmul.Product(rows: input.rows, columns: count)
        for center in 0..<count {
            var squared = -2 * product.dot(features, values.row(center))
            squared += rowNorm
            squared += squaredNorms[center]
            output[index, center] =
                single == nil
                ? Arithmetic.distance(squared) : Double(Arithmetic.distance(Float(squared)))
        }
    }

    /// Refuses a value that float32 cannot hold, for float32 centers; `name` is the class.
    func requireRange(_ input: Matrix, name: String) throws(InputError) {
        guard single != nil,
            let index = input.values.firstIndex(where: { $0.isFinite && Float($0).isInfinite })
        else { return }
        throw InputError(
            row: index / input.columns,
            column: nil,
            "\(input.values[index]) in column \(index % input.columns) of the input of \(name) "
                + "is too large for float32, the dtype its cluster centers were fitted in"
        )
    }
}

/// `transform` of a k-means model: the distance from each row to each center.
struct CenterDistances: Transformer {
    let centers: ClusterCenters
    /// The class name, for messages.
    let name: String

    var inputWidth: Int { centers.width }
    var outputWidth: Int { centers.count }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        try centers.requireRange(input, name: name)
        var output = Matrix(rows: input.rows, columns: outputWidth)
        for row in 0..<input.rows {
            centers.distances(input, row: row, into: &output)
        }
        return output
    }
}

/// The arithmetic of scikit-learn's k-means code, in either precision.
enum Arithmetic {
    /// A dot product as OpenBLAS's Haswell gemm kernels compute each element (of a product
    /// with several rows and several columns): one fused multiply-add per term, in order,
    /// from zero.
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

/// numpy's matmul `X @ C.T` of rows by centers, whose sums depend on the shapes: OpenBLAS's
/// gemm for several rows and several centers, its gemv when either side is a single row
/// (numpy turns a vector-matrix product into a matrix-vector one), numpy's own loop for
/// one row and one center. Each is mirrored as it computes with up to 7 features on
/// x86-64 with FMA; beyond that a few sums differ in the last bit.
enum NumpyMatmul {
    enum Product {
        case gemm, gemv, loop

        init(rows: Int, columns: Int) {
            switch (rows > 1, columns > 1) {
            case (true, true): self = .gemm
            case (false, false): self = .loop
            default: self = .gemv
            }
        }

        func dot(_ left: ArraySlice<Double>, _ right: ArraySlice<Double>) -> Double {
            switch self {
            case .gemm: return Arithmetic.fusedDot(left, right)
            case .gemv: return NumpyMatmul.gemvDot(left, right)
            case .loop:
                var sum = 0.0
                for (a, b) in zip(left, right) { sum = sum + a * b }
                return sum
            }
        }
    }

    /// One element of OpenBLAS's `dgemv_t` (Haswell): whole blocks of 4 features in 4 lanes
    /// of fused multiply-adds, lanes summed as (0 + 2) + (1 + 3); then the last 1 to 3
    /// features as its C code is compiled (`a0*x0 + a1*x1 + a2*x2`, contracted into fused
    /// multiply-adds from the second product), added to the blocks' sum.
    static func gemvDot(_ left: ArraySlice<Double>, _ right: ArraySlice<Double>) -> Double {
        let count = left.count
        let blocked = count & ~3
        let (a, b) = (Array(left), Array(right))
        var sum = 0.0
        if blocked > 0 {
            var lanes = [0.0, 0.0, 0.0, 0.0]
            for start in stride(from: 0, to: blocked, by: 4) {
                for lane in 0..<4 { lanes[lane].addProduct(a[start + lane], b[start + lane]) }
            }
            sum = sum + ((lanes[0] + lanes[2]) + (lanes[1] + lanes[3]))
        }
        let rest = blocked
        switch count - blocked {
        case 1:
            sum.addProduct(a[rest], b[rest])
        case 2:
            sum = sum + (a[rest + 1] * b[rest + 1]).addingProduct(a[rest], b[rest])
        case 3:
            let pair = (a[rest + 1] * b[rest + 1]).addingProduct(a[rest], b[rest])
            sum = sum + pair.addingProduct(a[rest + 2], b[rest + 2])
        default:
            break
        }
        return sum
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
