/// A dense row-major matrix of doubles: a batch of feature rows, or of output rows.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// `rows * columns` values; row `r` is `values[r * columns ..< (r + 1) * columns]`.
    public var values: [Double]
    /// Cells that hold text, by index into ``values`` (where they read as NaN). Only
    /// encoders read them; a request puts text only in a model's ``Estimator/textColumns``.
    public var text: [Int: String] = [:]

    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "matrix values do not fill its shape")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        self.init(
            rows: rows,
            columns: columns,
            values: [Double](repeating: value, count: rows * columns)
        )
    }

    /// Builds a matrix from equal-length rows.
    public init(_ rowList: [[Double]]) {
        let width = rowList.first?.count ?? 0
        precondition(rowList.allSatisfy { $0.count == width }, "rows differ in length")
        self.init(rows: rowList.count, columns: width, values: rowList.flatMap { $0 })
    }

    /// The text of a cell, when it holds text.
    public func text(row: Int, column: Int) -> String? {
        text.isEmpty ? nil : text[row * columns + column]
    }

    /// The given columns of every row, text included, in the order given.
    public func selecting(columns selected: [Int]) -> Matrix {
        var result = Matrix(rows: rows, columns: selected.count)
        let width = selected.count
        values.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                for row in 0..<rows {
                    for (index, column) in selected.enumerated() {
                        target[row * width + index] = source[row * columns + column]
                    }
                }
            }
        }
        guard !text.isEmpty else { return result }
        // Each text cell is visited once, rather than every selected cell looked up.
        var position = [Int](repeating: -1, count: columns)
        var repeatsColumn = false
        for (index, column) in selected.enumerated() {
            if position[column] >= 0 { repeatsColumn = true }
            position[column] = index
        }
        for (cell, string) in text {
            let (row, column) = cell.quotientAndRemainder(dividingBy: columns)
            guard position[column] >= 0 else { continue }
            if !repeatsColumn {
                result.text[row * width + position[column]] = string
                continue
            }
            for (index, selectedColumn) in selected.enumerated() where selectedColumn == column {
                result.text[row * width + index] = string
            }
        }
        return result
    }

    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    public func row(_ index: Int) -> ArraySlice<Double> {
        values[(index * columns)..<((index + 1) * columns)]
    }
}
