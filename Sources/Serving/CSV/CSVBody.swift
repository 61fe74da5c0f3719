import Estimators

/// Reads a `text/csv` body (RFC 4180) into a model's rows, for MLflow's `/invocations` and
/// native `/predict`.
///
/// - Each record is a row. A header line of names places columns by the model's feature
///   names, or, for a model fitted without names, by position when the count matches.
/// - An empty cell is a missing value (NaN). A cell that reads as a JSON number is a
///   number, read exactly as the JSON reader reads it; any other text is a string, which
///   only the model's text columns take.
/// - Blank lines are skipped, as pandas skips them; a leading UTF-8 byte order mark too.
enum CSVBody {
    /// How to tell whether the first line is a header, unless the `Content-Type` says so
    /// with RFC 4180's `header=present` or `header=absent`.
    enum HeaderRule {
        /// The first line is the header, as pandas (and so MLflow) reads CSV.
        case always
        /// The first line is a header when it names one of the model's features, or holds
        /// text where the model takes only numbers; it is data otherwise.
        case detect
    }

    static func decode(
        _ body: [UInt8],
        contentType: String?,
        for served: ServedModel,
        header rule: HeaderRule,
        limits: ServingLimits
    ) throws(ServingError) -> Matrix {
        try ServingError.requireBody(body, hint: "send CSV rows, one per line")
        let declared = ContentType.parameter("header", in: contentType)?.lowercased()
        if let declared, declared != "present", declared != "absent" {
            throw ServingError(
                .badRequest,
                "the Content-Type parameter header must be \"present\" or \"absent\""
            )
        }
        return try body.withUnsafeBufferPointer { buffer throws(ServingError) in
            var decoder = CSVDecoder(
                scanner: CSVScanner(buffer, maxCellBytes: limits.maxStringBytes),
                rows: RowCollector(served: served, limits: limits)
            )
            return try decoder.decode(header: declared.map { $0 == "present" }, rule: rule)
        }
    }
}

extension ContentType {
    /// The value of parameter `name` (case folded, quotes removed) in a `Content-Type`
    /// header, e.g. `header` in `text/csv; header=present`.
    static func parameter(_ name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].filter { $0 != " " && $0 != "\t" }.lowercased()
            guard key == name.lowercased() else { continue }
            var value = Substring(pair[1])
            while value.first == " " || value.first == "\t" { value.removeFirst() }
            while value.last == " " || value.last == "\t" { value.removeLast() }
            if value.count >= 2, value.first == "\"", value.last == "\"" {
                value = value.dropFirst().dropLast()
            }
            return String(value)
        }
        return nil
    }
}

/// The state of decoding one CSV body.
private struct CSVDecoder {
    var scanner: CSVScanner
    var rows: RowCollector

    /// - Parameter header: whether the first line is a header, when the client said so.
    mutating func decode(header: Bool?, rule: CSVBody.HeaderRule) throws(ServingError) -> Matrix {
        guard scanner.startRecord() else {
            throw ServingError(.emptyBody, "empty body; send CSV rows, one per line")
        }
        let firstLine = scanner.line
        var first: [CSVCell] = []
        var ended = false
        while !ended {
            let (cell, endsRecord) = try scanner.readCell()
            first.append(cell)
            ended = endsRecord
        }
        let hasHeader: Bool
        switch (header, rule) {
        case (let declared?, _): hasHeader = declared
        case (nil, .always): hasHeader = true
        case (nil, .detect): hasHeader = looksLikeHeader(first)
        }
        let placement: ColumnPlacement
        if hasHeader {
            var names: [String] = []
            for cell in first {
                guard let name = scanner.text(cell) else {
                    throw scanner.error("the header is not valid UTF-8", line: firstLine)
                }
                names.append(name)
            }
            placement = ColumnPlacement(names: names, rows: &rows, source: "the CSV header")
        } else {
            placement = .positional(width: rows.width)
            try place(first, line: firstLine, placement)
        }
        while scanner.startRecord() {
            let line = scanner.line
            var cells: [CSVCell] = []
            cells.reserveCapacity(placement.targets.count)
            var endsRecord = false
            while !endsRecord {
                let next = try scanner.readCell()
                cells.append(next.cell)
                endsRecord = next.endsRecord
            }
            try place(cells, line: line, placement)
        }
        if let pending = rows.pending { throw pending }
        return rows.matrix()
    }

    /// Whether the first record is a header: it names a feature, or holds text in a
    /// column that takes only numbers (where it could not be data).
    func looksLikeHeader(_ cells: [CSVCell]) -> Bool {
        let model = rows.served.model
        for (column, cell) in cells.enumerated() where !cell.isEmpty {
            if let index = rows.served.featureIndex,
                index[Array(scanner.bytes[cell.start..<cell.end])] != nil
            {
                return true
            }
            if scanner.number(cell) == nil, !model.textColumns.contains(column) {
                return true
            }
        }
        return false
    }

    /// Puts one record's cells into the next row.
    mutating func place(_ cells: [CSVCell], line: Int, _ placement: ColumnPlacement)
        throws(ServingError)
    {
        let row = rows.rowCount
        let start = rows.values.count
        rows.values.append(contentsOf: repeatElement(0, count: rows.width))
        try rows.addRow()
        for (index, cell) in cells.enumerated() where index < placement.targets.count {
            guard let column = placement.targets[index] else { continue }
            try read(
                cell,
                at: start + column,
                row: row,
                line: line,
                feature: placement.labels[index]
            )
        }
        guard cells.count != placement.targets.count else { return }
        if placement.isListed {
            rows.note(
                scanner.error(
                    "the line has \(cells.count) cells; the header has \(placement.targets.count)",
                    line: line
                )
            )
        } else {
            rows.note(
                ServingError(
                    .featureCount,
                    rows.served.expectsFeatures(rows.width) + ", "
                        + "row \(row) has \(cells.count)"
                )
            )
        }
    }

    /// Reads one cell into `rows.values[position]`: empty is missing (NaN), a number is a
    /// number, text goes only to a column that takes text.
    mutating func read(_ cell: CSVCell, at position: Int, row: Int, line: Int, feature: String)
        throws(ServingError)
    {
        if cell.isEmpty {
            rows.values[position] = .nan
        } else if let value = scanner.number(cell) {
            rows.checkRange(value, row: row, feature: feature)
            rows.values[position] = value
        } else if rows.served.model.textColumns.contains(position % rows.width) {
            guard let text = scanner.text(cell) else {
                throw scanner.error("a cell is not valid UTF-8", line: line)
            }
            rows.text[position] = text
            rows.values[position] = .nan
        } else {
            rows.note(
                ServingError(
                    .valueType,
                    "row \(row), feature \(feature): expected a number, found text; "
                        + "leave a cell empty for a missing value"
                )
            )
        }
    }
}
