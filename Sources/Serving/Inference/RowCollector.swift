import Estimators

/// Gathers feature rows from JSON into one contiguous matrix as a dialect's decoder reads
/// them: numbers go straight into the buffer, strings only into columns the model takes
/// strings in, and named rows are placed by the model's feature names.
///
/// Syntax errors are thrown at once; errors of fit (a short row, an unknown feature) are
/// remembered in ``pending`` and thrown by the decoder once the whole document has parsed,
/// so a broken document is always reported as broken JSON.
struct RowCollector {
    let served: ServedModel
    let limits: ServingLimits
    var width: Int { served.model.inputWidth }
    var values: [Double] = []
    /// Cells that hold strings, by index into `values`.
    var text: [Int: String] = [:]
    var rowCount = 0
    /// The first problem of fit found.
    var pending: ServingError?

    init(served: ServedModel, limits: ServingLimits) {
        self.served = served
        self.limits = limits
    }

    /// Counts one more row, refusing the row past `--max-rows` at once: a resource limit,
    /// not an error of fit, so it does not wait for the rest of the body.
    mutating func addRow() throws(ServingError) {
        rowCount += 1
        try checkRowCount(rowCount)
    }

    func checkRowCount(_ count: Int) throws(ServingError) {
        guard count > limits.maxRows else { return }
        throw ServingError(
            .tooManyRows,
            "the request has more than \(limits.maxRows) rows, the server's limit (--max-rows); "
                + "split it into smaller requests"
        )
    }

    mutating func note(_ error: ServingError) {
        if pending == nil { pending = error }
    }

    /// The rows read so far.
    func matrix() -> Matrix {
        var rows = Matrix(rows: rowCount, columns: width, values: values)
        rows.text = text
        return rows
    }

    /// Reads one row or a list of rows; returns whether it was one bare row.
    mutating func readRows(_ reader: inout JSONReader, allowSingleRow: Bool, key: String)
        throws(ServingError) -> Bool
    {
        switch try reader.peekKind() {
        case .object where allowSingleRow:
            try readNamedRow(&reader)
            return true
        case .string where served.takesDocuments && allowSingleRow:
            try readDocument(&reader)
            return true
        case .array:
            break
        default:
            note(ServingError(.badRequest, "\"\(key)\" must be a list of rows"))
            try reader.skipValue()
            return false
        }
        try reader.expect(UInt8(ascii: "["))
        if reader.consume(UInt8(ascii: "]")) { return false }
        let first = try reader.peekKind()
        if served.takesDocuments, first != .array, first != .object {
            // A text model's rows are documents: each scalar is a row of its own.
            repeat {
                try readDocument(&reader)
            } while try reader.nextElement(closing: UInt8(ascii: "]"))
            return false
        }
        if first != .array && first != .object {
            // A bare row of scalars.
            if !allowSingleRow {
                note(
                    ServingError(
                        .badRequest,
                        "\"\(key)\" must be a list of rows, each a list of \(width) values"
                    )
                )
            }
            try readRowElements(&reader)
            return true
        }
        repeat {
            switch try reader.peekKind() {
            case .array:
                try reader.expect(UInt8(ascii: "["))
                if reader.consume(UInt8(ascii: "]")) {
                    try finishPositionalRow(count: 0)
                } else {
                    try readRowElements(&reader)
                }
            case .object:
                try readNamedRow(&reader)
            default:
                note(ServingError(.badRequest, "row \(rowCount) is not a list or an object"))
                try reader.skipValue()
                try addRow()
                values.append(contentsOf: repeatElement(0, count: width))
            }
        } while try reader.nextElement(closing: UInt8(ascii: "]"))
        return false
    }

    /// Reads one scalar as a row of its own for a text model; a number or `null` is kept,
    /// for the model to refuse naming the row, as scikit-learn refuses a document that is
    /// not a string.
    mutating func readDocument(_ reader: inout JSONReader) throws(ServingError) {
        values.append(0)
        try addRow()
        try readCell(&reader, at: values.count - 1, feature: "0")
    }

    /// Reads the elements of a positional row after its `[`, through its `]`.
    mutating func readRowElements(_ reader: inout JSONReader) throws(ServingError) {
        var count = 0
        repeat {
            if count < width {
                values.append(0)
                try readCell(&reader, at: values.count - 1, feature: "\(count)")
            } else {
                try reader.skipValue()
            }
            count += 1
        } while try reader.nextElement(closing: UInt8(ascii: "]"))
        try finishPositionalRow(count: count)
    }

    mutating func finishPositionalRow(count: Int) throws(ServingError) {
        if count != width {
            note(
                ServingError(
                    .featureCount,
                    served.expectsFeatures(width) + ", row \(rowCount) has \(count)"
                )
            )
            if count < width { values.append(contentsOf: repeatElement(0, count: width - count)) }
        }
        try addRow()
    }

    /// Reads one cell into `values[position]`: a number; `null` as NaN (missing), which
    /// the model refuses later if it takes no missing values; a string where the model
    /// takes text.
    mutating func readCell(_ reader: inout JSONReader, at position: Int, feature: String)
        throws(ServingError)
    {
        let row = position / width
        switch try reader.peekKind() {
        case .number:
            let value = try reader.readNumber()
            checkRange(value, row: row, feature: feature)
            values[position] = value
        case .null:
            try reader.skipValue()
            values[position] = .nan
        case .string where served.model.textColumns.contains(position % width):
            text[position] = try reader.readString()
            values[position] = .nan
        case let kind:
            let takesText = served.model.textColumns.contains(position % width)
            noteValueType(kind, row: row, feature: feature, takesText: takesText)
            try reader.skipValue()
        }
    }

    /// Notes a value of a JSON type the feature cannot take; `takesText` when the feature
    /// takes strings as well as numbers, so the message names both.
    mutating func noteValueType(
        _ kind: JSONReader.ValueKind,
        row: Int,
        feature: String,
        takesText: Bool
    ) {
        let wanted = takesText ? "a string or a number" : "a number"
        if kind == .array || kind == .object {
            note(
                ServingError(
                    .badRequest,
                    "row \(row), feature \(feature): expected \(wanted), found \(kind.name); "
                        + "rows nest one level"
                )
            )
        } else {
            note(
                ServingError(
                    .valueType,
                    "row \(row), feature \(feature): expected \(wanted), found \(kind.name)"
                )
            )
        }
    }

    /// Notes a number that no estimator accepts: one beyond a double's range (JSON has no
    /// infinity, but 1e400 overflows), or, for models that cast inputs to float32 as trees
    /// do, beyond float32's range. scikit-learn refuses both ("Input X contains infinity
    /// or a value too large").
    mutating func checkRange(_ value: Double, row: Int, feature: String) {
        if !value.isFinite {
            note(
                ServingError(
                    .valueType,
                    "row \(row), feature \(feature): the number is too large for a double"
                )
            )
        } else if served.model.castsInputsToFloat32, Float(value).isInfinite {
            note(
                ServingError(
                    .valueType,
                    "row \(row), feature \(feature): \(value) is too large for this model, "
                        + "which reads inputs as float32"
                )
            )
        }
    }

    /// Reads `{"name": value, ...}` into the next row, by the model's feature names.
    mutating func readNamedRow(_ reader: inout JSONReader) throws(ServingError) {
        let row = rowCount
        let start = values.count
        values.append(contentsOf: repeatElement(0, count: width))
        try addRow()
        var seen = [Bool](repeating: false, count: width)
        let index = served.featureIndex
        if index == nil {
            note(
                ServingError(
                    .featureNames,
                    "model '\(served.name)' was fitted without feature names; send rows as lists of "
                        + "\(width) numbers"
                )
            )
        }
        try reader.expect(UInt8(ascii: "{"))
        if !reader.consume(UInt8(ascii: "}")) {
            repeat {
                let name = try reader.readString()
                try reader.expect(UInt8(ascii: ":"))
                guard let index else {
                    try reader.skipValue()
                    continue
                }
                guard let column = index[Array(name.utf8)] else {
                    note(
                        ServingError(
                            .featureNames,
                            "row \(row) has unknown feature \"\(Self.clip(name))\"; model '\(served.name)' "
                                + "takes \(Self.list(served.model.featureNames ?? []))"
                        )
                    )
                    try reader.skipValue()
                    continue
                }
                if seen[column] {
                    note(ServingError(.featureNames, "row \(row) gives feature \"\(name)\" twice"))
                }
                seen[column] = true
                try readCell(&reader, at: start + column, feature: "\"\(Self.clip(name))\"")
            } while try reader.nextElement(closing: UInt8(ascii: "}"))
        }
        if index != nil, let missing = seen.firstIndex(of: false),
            let names = served.model.featureNames
        {
            let absent = seen.indices.filter { !seen[$0] }.map { names[$0] }
            note(
                ServingError(
                    .featureNames,
                    "row \(row) is missing feature\(absent.count > 1 ? "s" : "") "
                        + Self.list(absent.isEmpty ? [names[missing]] : absent)
                )
            )
        }
    }

    mutating func readOutputs(_ reader: inout JSONReader) throws(ServingError) -> [ModelOutput] {
        guard try reader.peekKind() == .array else {
            note(ServingError(.badRequest, "\"outputs\" must be a list of output names"))
            try reader.skipValue()
            return []
        }
        try reader.expect(UInt8(ascii: "["))
        var outputs: [ModelOutput] = []
        if reader.consume(UInt8(ascii: "]")) {
            note(ServingError(.badRequest, "\"outputs\" is empty"))
            return outputs
        }
        repeat {
            guard try reader.peekKind() == .string else {
                note(ServingError(.badRequest, "\"outputs\" must be a list of output names"))
                try reader.skipValue()
                continue
            }
            let name = try reader.readString()
            guard let output = ModelOutput(rawValue: name), served.model.outputs.contains(output)
            else {
                note(
                    ServingError(
                        .unknownOutput,
                        "model '\(served.name)' has no output \"\(Self.clip(name))\"; it offers "
                            + Self.list(served.model.outputs.map(\.rawValue))
                    )
                )
                continue
            }
            if !outputs.contains(output) { outputs.append(output) }
        } while try reader.nextElement(closing: UInt8(ascii: "]"))
        return outputs
    }

    /// A client-supplied name, cut short so errors never echo large input.
    static func clip(_ text: String) -> String {
        text.count <= 64 ? text : String(text.prefix(64)) + "…"
    }

    static func list(_ names: [String]) -> String {
        let shown = names.prefix(20).map { "\"\($0)\"" }.joined(separator: ", ")
        return names.count > 20 ? shown + ", … (\(names.count) in all)" : shown
    }
}
