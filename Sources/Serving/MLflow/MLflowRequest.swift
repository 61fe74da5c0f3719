import Estimators

/// Decodes an MLflow `/invocations` JSON body into rows.
///
/// The body is an object with exactly one of `dataframe_split` (`{"columns", "data"}`,
/// `"index"` ignored), `dataframe_records` (a list of objects), `instances` (rows) or
/// `inputs` (rows, or one list per column: `{"a": [..], "b": [..]}`). `params` may come
/// too: a scikit-learn model takes no inference parameters, so it is read and ignored.
/// MLflow 1.x bodies are read when the `Content-Type` says which:
/// `format=pandas-split` (a bare `{"columns", "data"}`) or `format=pandas-records` (a
/// bare list of objects).
enum MLflowRequest {
    /// MLflow 1.x's `format` parameter of the `Content-Type`.
    enum PandasFormat {
        case split, records

        init?(contentType: String?) throws(ServingError) {
            guard let format = ContentType.parameter("format", in: contentType) else {
                return nil
            }
            switch format.lowercased() {
            case "pandas-split": self = .split
            case "pandas-records": self = .records
            default:
                throw ServingError(
                    .badRequest,
                    "the Content-Type parameter format must be pandas-split or pandas-records"
                )
            }
        }
    }

    static let rowKeys = ["dataframe_split", "dataframe_records", "instances", "inputs"]

    static func decode(
        _ body: [UInt8],
        pandasFormat: PandasFormat?,
        for served: ServedModel,
        limits: ServingLimits
    )
        throws(ServingError) -> Matrix
    {
        try JSONReader.decodeBody(
            body,
            limits: limits,
            emptyHint: "send a JSON object with \"dataframe_split\", "
                + "\"dataframe_records\", \"instances\" or \"inputs\""
        ) { reader, buffer throws(ServingError) in
            var decoder = MLflowDecoder(
                rows: RowCollector(served: served, limits: limits),
                buffer: buffer
            )
            switch pandasFormat {
            case .split?: try decoder.readSplit(&reader, key: "the body")
            case .records?: try decoder.readRecords(&reader, key: "the body")
            case nil: try decoder.readEnvelope(&reader)
            }
            try reader.expectEnd()
            if let shapeError = decoder.shapeError { throw shapeError }
            if let pending = decoder.rows.pending { throw pending }
            return decoder.rows.matrix()
        }
    }
}

/// The state of decoding one MLflow body.
private struct MLflowDecoder {
    var rows: RowCollector
    /// The whole body, for `data` that comes before its `columns`.
    let buffer: UnsafeBufferPointer<UInt8>
    /// A problem with the body's shape (400), reported before problems of fit.
    var shapeError: ServingError?

    static let accepted =
        "\"dataframe_split\", \"dataframe_records\", \"instances\" or \"inputs\""

    mutating func noteShape(_ message: String) {
        if shapeError == nil { shapeError = ServingError(.badRequest, message) }
    }

    /// MLflow 2's envelope: one key of rows, and optionally `params`.
    mutating func readEnvelope(_ reader: inout JSONReader) throws(ServingError) {
        guard try reader.peekKind() == .object else {
            try reader.skipValue()
            try reader.expectEnd()
            throw ServingError(.badRequest, "the body must be a JSON object with \(Self.accepted)")
        }
        try reader.expect(UInt8(ascii: "{"))
        var found: [String] = []
        var sawParams = false
        if !reader.consume(UInt8(ascii: "}")) {
            repeat {
                let key = try reader.readString()
                try reader.expect(UInt8(ascii: ":"))
                switch key {
                case _ where MLflowRequest.rowKeys.contains(key):
                    if let earlier = found.first {
                        noteShape(
                            earlier == key
                                ? "the body gives \"\(key)\" twice"
                                : "give exactly one of \(Self.accepted); the body has "
                                    + "\"\(earlier)\" and \"\(key)\""
                        )
                        found.append(key)
                        try reader.skipValue()
                        continue
                    }
                    found.append(key)
                    try readRows(&reader, key: key)
                case "params":
                    if sawParams { noteShape("the body gives \"params\" twice") }
                    sawParams = true
                    if try reader.peekKind() != .object {
                        noteShape("\"params\" must be an object")
                    }
                    try reader.skipValue()
                default:
                    noteShape(
                        "unknown field \"\(RowCollector.clip(key))\"; expected one of "
                            + "\(Self.accepted), and optionally \"params\""
                    )
                    try reader.skipValue()
                }
            } while try reader.nextElement(closing: UInt8(ascii: "}"))
        }
        if found.isEmpty { noteShape("the body has none of \(Self.accepted)") }
    }

    mutating func readRows(_ reader: inout JSONReader, key: String) throws(ServingError) {
        switch key {
        case "dataframe_split":
            try readSplit(&reader, key: "\"dataframe_split\"")
        case "dataframe_records":
            try readRecords(&reader, key: "\"dataframe_records\"")
        case "inputs" where try reader.peekKind() == .object:
            try rows.readColumns(&reader, key: key)
        default:
            _ = try rows.readRows(&reader, allowSingleRow: false, key: key)
        }
    }

    /// pandas' `split` orientation: `{"columns": [...], "data": [[...]], "index": [...]}`.
    /// Without `columns`, rows are positional.
    mutating func readSplit(_ reader: inout JSONReader, key: String) throws(ServingError) {
        guard try reader.peekKind() == .object else {
            noteShape("\(key) must be an object with \"columns\" and \"data\"")
            try reader.skipValue()
            return
        }
        try reader.expect(UInt8(ascii: "{"))
        var placement: ColumnPlacement?
        var deferredData: Range<Int>?
        var sawData = false
        var keys: Set<String> = []
        if !reader.consume(UInt8(ascii: "}")) {
            repeat {
                let field = try reader.readString()
                try reader.expect(UInt8(ascii: ":"))
                guard keys.insert(field).inserted else {
                    noteShape("\(key) gives \"\(RowCollector.clip(field))\" twice")
                    try reader.skipValue()
                    continue
                }
                switch field {
                case "columns":
                    if let names = try readNames(&reader) {
                        placement = ColumnPlacement(
                            names: names,
                            rows: &rows,
                            source: "\"columns\""
                        )
                    }
                case "data":
                    sawData = true
                    if let placement {
                        try readData(&reader, placement)
                    } else {
                        // The columns may still come: read the rows once they are known.
                        _ = reader.peek()
                        let start = reader.position
                        try reader.skipValue()
                        deferredData = start..<reader.position
                    }
                case "index":
                    try reader.skipValue()
                default:
                    noteShape(
                        "unknown field \"\(RowCollector.clip(field))\" in \(key); expected "
                            + "\"columns\", \"data\" and optionally \"index\""
                    )
                    try reader.skipValue()
                }
            } while try reader.nextElement(closing: UInt8(ascii: "}"))
        }
        if let deferredData {
            // A part of the body whose nesting was checked with the whole: no second scan.
            var later = JSONReader(
                UnsafeBufferPointer(rebasing: buffer[deferredData]),
                maxDepth: rows.limits.maxJSONDepth,
                maxStringBytes: rows.limits.maxStringBytes
            )
            try readData(&later, placement ?? .positional(width: rows.width))
        }
        if !sawData { noteShape("\(key) has no \"data\"; give the rows as a list of lists") }
    }

    /// `columns`: a list of names (numbers, as pandas writes a default column index, are
    /// taken as their text). Nil after noting a shape error.
    mutating func readNames(_ reader: inout JSONReader) throws(ServingError) -> [String]? {
        guard try reader.peekKind() == .array else {
            noteShape("\"columns\" must be a list of column names")
            try reader.skipValue()
            return nil
        }
        try reader.expect(UInt8(ascii: "["))
        var names: [String] = []
        var isValid = true
        if !reader.consume(UInt8(ascii: "]")) {
            repeat {
                switch try reader.peekKind() {
                case .string:
                    names.append(try reader.readString())
                case .number:
                    let number = try reader.readNumber()
                    names.append(
                        number == number.rounded() && abs(number) < 1e15
                            ? String(Int64(number)) : "\(number)"
                    )
                default:
                    isValid = false
                    try reader.skipValue()
                }
            } while try reader.nextElement(closing: UInt8(ascii: "]"))
        }
        guard isValid else {
            noteShape("\"columns\" must be a list of column names")
            return nil
        }
        return names
    }

    mutating func readData(_ reader: inout JSONReader, _ placement: ColumnPlacement)
        throws(ServingError)
    {
        guard try reader.peekKind() == .array else {
            noteShape("\"data\" must be a list of rows")
            try reader.skipValue()
            return
        }
        try reader.expect(UInt8(ascii: "["))
        if reader.consume(UInt8(ascii: "]")) { return }
        repeat {
            try rows.readPlacedRow(&reader, placement, listName: "\"data\"")
        } while try reader.nextElement(closing: UInt8(ascii: "]"))
    }

    /// pandas' `records` orientation: a list of objects keyed by column name.
    mutating func readRecords(_ reader: inout JSONReader, key: String) throws(ServingError) {
        guard try reader.peekKind() == .array else {
            noteShape("\(key) must be a list of objects, one per row")
            try reader.skipValue()
            return
        }
        try reader.expect(UInt8(ascii: "["))
        if reader.consume(UInt8(ascii: "]")) { return }
        repeat {
            if try reader.peekKind() == .object {
                try rows.readNamedRow(&reader)
            } else {
                noteShape("\(key) must be a list of objects; row \(rows.rowCount) is not one")
                try reader.skipValue()
                rows.values.append(contentsOf: repeatElement(0, count: rows.width))
                try rows.addRow()
            }
        } while try reader.nextElement(closing: UInt8(ascii: "]"))
    }
}
