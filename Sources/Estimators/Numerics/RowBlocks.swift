/// Runs a row-by-row computation over a request a block of rows at a time, so that the
/// intermediate matrices (rows × training rows for a kernel, rows × units for a network)
/// stay a few megabytes however many rows the request has. Only for computations whose
/// every output row depends on its own input row alone: the answers are then the same bits
/// as for the whole batch at once.
enum RowBlocks {
    /// Cells (8 bytes each) an intermediate matrix of one block may hold.
    static let cellBudget = 1 << 18
    /// The most rows a block holds, however narrow its matrices.
    static let maximumRows = 256

    /// Rows per block when each row's intermediate matrix row holds `width` cells.
    static func rows(forWidth width: Int) -> Int {
        max(1, min(maximumRows, cellBudget / max(width, 1)))
    }

    /// The rows `range` of `input`.
    static func slice(_ input: Matrix, _ range: Range<Int>) -> Matrix {
        if range == 0..<input.rows { return input }
        let columns = input.columns
        return Matrix(
            rows: range.count,
            columns: columns,
            values: Array(input.values[range.lowerBound * columns..<range.upperBound * columns])
        )
    }

    /// `body` applied to each block of rows, its result rows concatenated; an error names
    /// its row in `input`, not in the block.
    static func map(
        _ input: Matrix,
        width: Int,
        _ body: (Matrix) throws(InputError) -> Matrix
    ) throws(InputError) -> Matrix {
        try concatenate(input, width: width) { block, start throws(InputError) in
            try offsettingErrors(start) { () throws(InputError) in try body(block) }
        }
    }

    /// `body`, which cannot fail, applied to each block of rows, its result rows
    /// concatenated.
    static func map(_ input: Matrix, width: Int, _ body: (Matrix) -> Matrix) -> Matrix {
        concatenate(input, width: width) { block, _ in body(block) }
    }

    /// `body` applied to each block of rows, its per-row results concatenated.
    static func map<Element>(
        _ input: Matrix,
        width: Int,
        _ body: (Matrix) throws(InputError) -> [Element]
    ) throws(InputError) -> [Element] {
        let step = rows(forWidth: width)
        if input.rows <= step { return try body(input) }
        var result: [Element] = []
        result.reserveCapacity(input.rows)
        for start in stride(from: 0, to: input.rows, by: step) {
            let block = slice(input, start..<min(start + step, input.rows))
            result += try offsettingErrors(start) { () throws(InputError) in try body(block) }
        }
        return result
    }

    /// `body(block, first row of the block)` for each block, the rows concatenated.
    private static func concatenate<Failure: Error>(
        _ input: Matrix,
        width: Int,
        _ body: (Matrix, Int) throws(Failure) -> Matrix
    ) throws(Failure) -> Matrix {
        let step = rows(forWidth: width)
        if input.rows <= step { return try body(input, 0) }
        var values: [Double] = []
        var columns = 0
        for start in stride(from: 0, to: input.rows, by: step) {
            let block = try body(slice(input, start..<min(start + step, input.rows)), start)
            if start == 0 {
                columns = block.columns
                values.reserveCapacity(input.rows * columns)
            }
            values.append(contentsOf: block.values)
        }
        return Matrix(rows: input.rows, columns: columns, values: values)
    }

    private static func offsettingErrors<Result>(
        _ start: Int,
        _ body: () throws(InputError) -> Result
    ) throws(InputError) -> Result {
        do {
            return try body()
        } catch {
            var shifted = error
            shifted.row += start
            throw shifted
        }
    }
}
