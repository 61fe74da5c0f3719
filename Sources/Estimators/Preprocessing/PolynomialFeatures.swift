/// `sklearn.preprocessing.PolynomialFeatures`: products of input columns, one output
/// column per entry of `powers_`, in its order.
struct PolynomialFeatures: Transformer {
    /// The input columns multiplied together for each output column (empty: the bias).
    let combinations: [[Int]]
    let inputWidth: Int

    var outputWidth: Int { combinations.count }

    init(_ object: FittedObject) throws(EstimatorError) {
        inputWidth = try object.featureCount()
        let minimum: Int
        let maximum: Int
        if object.optional("_max_degree") != nil {
            minimum = try object.integer("_min_degree")
            maximum = try object.integer("_max_degree")
        } else {
            minimum = 0
            maximum = try object.integer("degree")
        }
        guard minimum >= 0, minimum <= maximum, maximum <= 16 else {
            throw object.error("degree", "expected 0 <= min degree <= max degree <= 16")
        }
        let interactionOnly = object.boolean("interaction_only", default: false)
        var combinations: [[Int]] = object.boolean("include_bias", default: true) ? [[]] : []
        for degree in max(1, minimum)...max(1, maximum) where degree <= maximum {
            combinations += Self.combinations(
                of: inputWidth,
                size: degree,
                repeating: !interactionOnly
            )
        }
        guard combinations.count < 1 << 20 else {
            throw object.error("degree", "gives \(combinations.count) output columns")
        }
        if object.optional("n_output_features_") != nil {
            let declared = try object.integer("n_output_features_")
            guard declared == combinations.count else {
                throw object.error(
                    "n_output_features_",
                    "is \(declared), but the options give \(combinations.count) columns"
                )
            }
        }
        self.combinations = combinations
    }

    /// Sorted index tuples in itertools' order: `combinations` or, when repeating,
    /// `combinations_with_replacement`.
    static func combinations(of count: Int, size: Int, repeating: Bool) -> [[Int]] {
        var result: [[Int]] = []
        var current: [Int] = []
        func extend(from start: Int) {
            if current.count == size {
                result.append(current)
                return
            }
            guard start < count else { return }
            for index in start..<count {
                current.append(index)
                extend(from: repeating ? index : index + 1)
                current.removeLast()
            }
        }
        extend(from: 0)
        return result
    }

    /// Each product runs from the last index of its combination to the first, as
    /// scikit-learn multiplies the block of the degree below by one more column.
    func transform(_ input: Matrix) -> Matrix {
        var output = Matrix(rows: input.rows, columns: combinations.count)
        for row in 0..<input.rows {
            for (column, combination) in combinations.enumerated() {
                guard let last = combination.last else {
                    output[row, column] = 1
                    continue
                }
                var product = input[row, last]
                for index in combination.dropLast().reversed() { product *= input[row, index] }
                output[row, column] = product
            }
        }
        return output
    }
}
