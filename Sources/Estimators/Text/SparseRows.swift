/// A batch of rows in compressed sparse row form, as scipy's `csr_matrix`: what the text
/// vectorizers produce, so that a vocabulary of a million terms costs only the terms a
/// row has. Within a row, entries are in increasing column order.
struct SparseRows: Sendable, Equatable {
    private(set) var rows: Int
    let columns: Int
    /// `rows + 1` offsets: row `r`'s entries are `rowStarts[r] ..< rowStarts[r + 1]`.
    var rowStarts: [Int]
    var columnIndices: [Int]
    var values: [Double]

    init(columns: Int) {
        rows = 0
        self.columns = columns
        rowStarts = [0]
        columnIndices = []
        values = []
    }

    private init(rows: Int, columns: Int, starts: [Int], indices: [Int], values: [Double]) {
        self.rows = rows
        self.columns = columns
        rowStarts = starts
        columnIndices = indices
        self.values = values
    }

    /// Appends a row from (column, value) pairs already sorted by column.
    mutating func appendRow(_ entries: [(column: Int, value: Double)]) {
        for entry in entries {
            columnIndices.append(entry.column)
            values.append(entry.value)
        }
        rowStarts.append(columnIndices.count)
        rows += 1
    }

    /// The same rows with every zero written out.
    func dense() -> Matrix {
        var matrix = Matrix(rows: rows, columns: columns)
        for row in 0..<rows {
            for entry in rowStarts[row]..<rowStarts[row + 1] {
                matrix.values[row * columns + columnIndices[entry]] = values[entry]
            }
        }
        return matrix
    }

    /// The nonzero cells of a dense matrix, as `csr_matrix(X)` keeps them.
    init(_ matrix: Matrix) {
        self.init(columns: matrix.columns)
        var starts = [0]
        var indices: [Int] = []
        var kept: [Double] = []
        for row in 0..<matrix.rows {
            for column in 0..<matrix.columns where matrix[row, column] != 0 {
                indices.append(column)
                kept.append(matrix[row, column])
            }
            starts.append(indices.count)
        }
        self = SparseRows(
            rows: matrix.rows,
            columns: matrix.columns,
            starts: starts,
            indices: indices,
            values: kept
        )
    }

    /// scikit-learn's `normalize` of a CSR matrix: each row divided by the sum of its
    /// entries' absolute values (l1) or the square root of the sum of their squares (l2),
    /// summed in entry order; an all-zero row stays as it is. For float32 data
    /// (`singlePrecision`) each square is a float32 product and each quotient is rounded
    /// to float32, as the kernel's `floating` type makes them; the sum is a double in both.
    mutating func normalize(_ norm: RowNorm, singlePrecision: Bool = false) {
        for row in 0..<rows {
            let entries = rowStarts[row]..<rowStarts[row + 1]
            var sum = 0.0
            switch norm {
            case .l1: for entry in entries { sum += abs(values[entry]) }
            case .l2:
                for entry in entries {
                    let value = values[entry]
                    sum += singlePrecision ? Double(Float(value) * Float(value)) : value * value
                }
            }
            if sum == 0 { continue }
            if norm == .l2 { sum = sum.squareRoot() }
            for entry in entries {
                values[entry] =
                    singlePrecision ? Double(Float(values[entry] / sum)) : values[entry] / sum
            }
        }
    }
}

/// A row norm of `TfidfTransformer` and `HashingVectorizer` (`norm`).
enum RowNorm: Sendable, Equatable {
    case l1
    case l2

    /// Reads `norm`: 'l1', 'l2' or None (nil).
    static func read(_ object: FittedObject) throws(EstimatorError) -> RowNorm? {
        switch object.optional("norm") {
        case nil: return nil
        case .string("l1")?: return .l1
        case .string("l2")?: return .l2
        case let other?:
            throw object.unsupported("norm", "\(other.kindName) is not one of 'l1', 'l2', None")
        }
    }
}
