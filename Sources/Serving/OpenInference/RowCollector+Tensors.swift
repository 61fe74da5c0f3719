import Estimators

/// One Open Inference tensor's `data` as read: the values in row-major order, straight
/// from the scanner, and what checking them against `shape` and `datatype` needs. Those
/// may come after `data` in the object, so the checks run once the tensor is whole.
struct TensorCells {
    var values: [Double] = []
    /// Cells that hold strings, by index into `values` (where they read as NaN).
    var text: [Int: String] = [:]
    /// How many lists enclose the scalars (1 for flat data); nil while none was seen.
    var leafDepth: Int?
    /// Scalars at different depths, or lists of one depth with different lengths.
    var isUnevenlyNested = false
    /// The length of the lists at each depth, the `data` list first, as first seen.
    var lengths: [Int] = []
    var holdsObject = false
    var firstNumber: Int?
    var firstBoolean: Int?
    var firstString: Int?
    /// The exact value of integer literals at or beyond 2^53, by index: a double cannot
    /// tell 9223372036854775807 (an INT64) from 2^63 (not one), so the range check of the
    /// 64-bit integer types needs the digits.
    var wideIntegers: [Int: JSONReader.IntegerLiteral] = [:]

    /// Deeper nesting than any sensible tensor is refused rather than followed.
    static let maxDepth = 32

    /// Reads a `data` list, flat or nested, after checking that one comes next.
    mutating func read(_ reader: inout JSONReader) throws(ServingError) {
        try readList(&reader, depth: 0)
    }

    private mutating func readList(_ reader: inout JSONReader, depth: Int) throws(ServingError) {
        guard depth < Self.maxDepth else {
            throw ServingError(.badRequest, "\"data\" nests deeper than \(Self.maxDepth) levels")
        }
        while lengths.count <= depth { lengths.append(-1) }
        try reader.expect(UInt8(ascii: "["))
        var count = 0
        if !reader.consume(UInt8(ascii: "]")) {
            repeat {
                try readElement(&reader, depth: depth)
                count += 1
            } while try reader.nextElement(closing: UInt8(ascii: "]"))
        }
        if lengths[depth] == -1 {
            lengths[depth] = count
        } else if lengths[depth] != count {
            isUnevenlyNested = true
        }
    }

    private mutating func readElement(_ reader: inout JSONReader, depth: Int)
        throws(ServingError)
    {
        let index = values.count
        switch try reader.peekKind() {
        case .array:
            try readList(&reader, depth: depth + 1)
            return
        case .object:
            holdsObject = true
            try reader.skipValue()
            return
        case .number:
            let start = reader.position
            let value = try reader.readNumber()
            values.append(value)
            if abs(value) >= 0x1p53, let literal = reader.integerLiteral(from: start) {
                wideIntegers[index] = literal
            }
            if firstNumber == nil { firstNumber = index }
        case .null:
            try reader.readNull()
            values.append(.nan)
        case .boolean:
            values.append(try reader.readBoolean() ? 1 : 0)
            if firstBoolean == nil { firstBoolean = index }
        case .string:
            text[index] = try reader.readString()
            values.append(.nan)
            if firstString == nil { firstString = index }
        }
        if leafDepth == nil {
            leafDepth = depth + 1
        } else if leafDepth != depth + 1 {
            isUnevenlyNested = true
        }
    }

    /// What is wrong with the data for `shape`, if anything: the number of values, or
    /// nesting that disagrees with it. Flat data is read in row-major order.
    func shapeProblem(_ shape: [Int], input: String) -> String? {
        var product = 1
        for dimension in shape {
            let (result, overflow) = product.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return "input \(input): shape \(Self.text(shape)) is too large" }
            product = result
        }
        if holdsObject {
            return "input \(input): \"data\" holds an object; it takes numbers, strings, "
                + "booleans and null, flat or in nested lists"
        }
        if isUnevenlyNested {
            return "input \(input): the lists in \"data\" differ in length or depth"
        }
        let isFlat = lengths.count <= 1
        if isFlat, values.count != product {
            return "input \(input): shape \(Self.text(shape)) needs \(product) values, "
                + "got \(values.count)"
        }
        if !isFlat, lengths != shape {
            return "input \(input): \"data\" nests as \(Self.text(lengths)) but shape is "
                + "\(Self.text(shape)); nest it as the shape says, or send it flat"
        }
        return nil
    }

    /// Checks that every value fits `type` and rounds FP16 and FP32 values as numpy would
    /// store them; returns what does not fit.
    mutating func conform(to type: TensorDataType, input: String) -> String? {
        let prefix = "input \(input) is \(type.rawValue), but"
        switch type {
        case .bool:
            if let index = firstNumber {
                return "\(prefix) element \(index) is a number; send true or false"
            }
        case .bytes:
            if let index = firstBoolean {
                return "\(prefix) element \(index) is a boolean; send strings"
            }
            return nil
        default:
            if let index = firstBoolean {
                return "\(prefix) element \(index) is a boolean; send numbers, or use BOOL"
            }
        }
        if let index = firstString {
            return "\(prefix) element \(index) is a string; send strings in a BYTES input"
        }
        if let (lower, upper) = type.integerBounds {
            for (index, value) in values.enumerated() where !value.isNaN {
                if value.rounded(.towardZero) != value {
                    return "\(prefix) element \(index) is \(value), not an integer"
                }
                let fits =
                    wideIntegers[index].map { type.holds($0) } ?? (value >= lower && value < upper)
                if !fits {
                    return "\(prefix) element \(index) is \(Self.text(value)), outside "
                        + type.rangeText
                }
            }
        } else if type == .fp32 || type == .fp16 {
            for index in values.indices where !values[index].isNaN {
                guard let rounded = type.rounded(values[index]) else {
                    return "\(prefix) element \(index) is \(values[index]), too large for "
                        + type.rawValue
                }
                values[index] = rounded
            }
        }
        return nil
    }

    /// A shape as the messages write it: `[2,4]`.
    static func text(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ",") + "]"
    }

    /// A number as written in a message: integers without a fraction.
    static func text(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 0x1p63 ? String(Int64(value)) : "\(value)"
    }
}

extension RowCollector {
    /// Takes one tensor of whole rows, `rows` × ``width`` in row-major order, as the batch:
    /// its values become the matrix without a copy.
    mutating func takeRows(_ cells: TensorCells, count rows: Int) throws(ServingError) {
        try checkRowCount(rows)
        values = cells.values
        text = cells.text
        rowCount = rows
        let width = self.width
        checkCells { index in (index / width, index % width, "\(index % width)") }
    }

    /// Takes one tensor per feature column (a DataFrame's columns), each `rows` long,
    /// placed at the column its feature name has. Columns not given stay NaN; the caller
    /// reports them.
    mutating func takeColumns(
        _ columns: [(column: Int, name: String, cells: TensorCells)],
        rows: Int
    ) throws(ServingError) {
        try checkRowCount(rows)
        let width = self.width
        values = [Double](repeating: .nan, count: rows * width)
        text = [:]
        rowCount = rows
        for (column, _, cells) in columns {
            for row in 0..<rows {
                values[row * width + column] = cells.values[row]
            }
            for (row, cell) in cells.text {
                text[row * width + column] = cell
            }
        }
        let names = Dictionary(columns.map { ($0.column, $0.name) }) { first, _ in first }
        checkCells { index in
            let column = index % width
            return (index / width, column, "\"\(Self.clip(names[column] ?? "\(column)"))\"")
        }
    }

    /// Notes the first number out of range and the first string where the model takes no
    /// text; `place` gives a cell's row, column and feature name for messages.
    private mutating func checkCells(_ place: (Int) -> (row: Int, column: Int, feature: String)) {
        let limitToFloat32 = served.model.castsInputsToFloat32
        // Names are made only for the cell reported, not for every value.
        for (index, value) in values.enumerated()
        where value.isInfinite || (limitToFloat32 && !value.isNaN && Float(value).isInfinite) {
            let (row, _, feature) = place(index)
            checkRange(value, row: row, feature: feature)
            break
        }
        let textColumns = served.model.textColumns
        let misplaced = text.keys.filter { !textColumns.contains($0 % width) }.min()
        if let misplaced {
            let (row, _, feature) = place(misplaced)
            noteValueType(.string, row: row, feature: feature, takesText: false)
        }
    }
}
