import Arrays

/// `sklearn.preprocessing.KBinsDiscretizer`: each value's bin among the fitted
/// `bin_edges_` (the inner edges, right-closed as `searchsorted(side='right')`), as an
/// ordinal or one-hot encoded (`'onehot'` is served dense).
struct KBinsDiscretizer: Transformer {
    /// The inner edges of each feature's bins.
    let innerEdges: [[Double]]
    /// `n_bins_`: the one-hot width of each feature.
    let binCounts: [Int]
    let oneHot: Bool

    var inputWidth: Int { innerEdges.count }
    var outputWidth: Int { oneHot ? binCounts.reduce(0, +) : innerEdges.count }

    init(_ object: FittedObject) throws(EstimatorError) {
        let width = try object.featureCount()
        switch object.string("encode") ?? "onehot" {
        case "ordinal": oneHot = false
        case "onehot", "onehot-dense": oneHot = true
        case let other: throw object.unsupported("encode", "'\(other)' is not supported")
        }
        if case .global(_, let name)? = object.optional("dtype"), name != "float64" {
            // The bins would then compare the input cast to that dtype.
            throw object.unsupported("dtype", "only float64 output is supported, not \(name)")
        }
        let edges = try object.array("bin_edges_")
        let perFeature = try object.reading("bin_edges_") { () throws(ArrayError) in
            try edges.objects()
        }
        guard perFeature.count == width else {
            throw object.error("bin_edges_", "expected \(width) arrays of edges")
        }
        var innerEdges: [[Double]] = []
        for value in perFeature {
            let array = try object.reading("bin_edges_") { () throws(ArrayError) in
                try ArrayDecoder.array(value)
            }
            guard let array,
                let all = try? array.doubles(), all.count >= 2
            else {
                throw object.error("bin_edges_", "expected arrays of two or more edges")
            }
            innerEdges.append(Array(all.dropFirst().dropLast()))
        }
        self.innerEdges = innerEdges
        binCounts = try object.doubles("n_bins_", count: width).map { Int($0) }
        guard zip(binCounts, innerEdges).allSatisfy({ $0 == $1.count + 1 }) else {
            throw object.error("n_bins_", "does not match the number of edges")
        }
    }

    func transform(_ input: Matrix) -> Matrix {
        var output = Matrix(rows: input.rows, columns: outputWidth)
        for row in 0..<input.rows {
            var offset = 0
            for column in 0..<input.columns {
                let bin = NumpyReductions.countAtMost(input[row, column], innerEdges[column])
                if oneHot {
                    output[row, offset + bin] = 1
                    offset += binCounts[column]
                } else {
                    output[row, column] = Double(bin)
                }
            }
        }
        return output
    }
}
