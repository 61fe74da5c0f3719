/// Where each column of a named list (a CSV header, MLflow's `dataframe_split` columns)
/// goes in the model's rows.
///
/// A model fitted with feature names places columns by name, in any order, and every
/// feature must be listed exactly once. A model fitted without names takes the columns in
/// the order given, and only when there are as many as it has features: names cannot be
/// checked, so the count is the one guard against a shifted column.
struct ColumnPlacement {
    /// The model column of each listed column; nil for one that is dropped (after an error
    /// has been noted).
    var targets: [Int?]
    /// Each listed column as messages name it.
    var labels: [String]
    /// The columns were listed by the client (so a row of another length disagrees with
    /// the list, not with the model).
    var isListed: Bool

    private init(targets: [Int?], labels: [String], isListed: Bool) {
        self.targets = targets
        self.labels = labels
        self.isListed = isListed
    }

    /// Columns in the model's own order, for rows that list no names.
    static func positional(width: Int) -> ColumnPlacement {
        ColumnPlacement(
            targets: (0..<width).map { $0 },
            labels: (0..<width).map { "\($0)" },
            isListed: false
        )
    }

    /// The placement of `names` in `rows`' model; problems (unknown, repeated or missing
    /// names, a count that does not match) are noted in `rows`. `source` names the list in
    /// messages, e.g. `the CSV header`.
    init(names: [String], rows: inout RowCollector, source: String) {
        isListed = true
        labels = names.map { "\"\(RowCollector.clip($0))\"" }
        let served = rows.served
        let width = rows.width
        guard let index = served.featureIndex, let featureNames = served.model.featureNames
        else {
            targets = names.indices.map { $0 < width ? $0 : nil }
            labels = names.indices.map { "\($0)" }
            if names.count != width {
                rows.note(
                    ServingError(
                        .featureCount,
                        "\(source) lists \(names.count) columns; model '\(served.name)' was "
                            + "fitted without feature names and takes \(width), by position"
                    )
                )
            }
            return
        }
        var seen = [Bool](repeating: false, count: width)
        var unknown: [String] = []
        targets = []
        for name in names {
            guard let column = index[Array(name.utf8)] else {
                unknown.append(RowCollector.clip(name))
                targets.append(nil)
                continue
            }
            if seen[column] {
                rows.note(
                    ServingError(
                        .featureNames,
                        "\(source) lists \"\(RowCollector.clip(name))\" twice"
                    )
                )
                targets.append(nil)
                continue
            }
            seen[column] = true
            targets.append(column)
        }
        if !unknown.isEmpty {
            rows.note(
                ServingError(
                    .featureNames,
                    "\(source) has unknown column\(unknown.count > 1 ? "s" : "") "
                        + "\(RowCollector.list(unknown)); model '\(served.name)' takes "
                        + RowCollector.list(featureNames)
                )
            )
        }
        let missing = seen.indices.filter { !seen[$0] }.map { featureNames[$0] }
        if !missing.isEmpty {
            rows.note(
                ServingError(
                    .featureNames,
                    "\(source) is missing column\(missing.count > 1 ? "s" : "") "
                        + RowCollector.list(missing)
                )
            )
        }
    }
}

extension RowCollector {
    /// Reads one JSON list of values laid out as `placement` says into the next row.
    /// `listName` names the list of rows in messages (`"data"`).
    mutating func readPlacedRow(
        _ reader: inout JSONReader,
        _ placement: ColumnPlacement,
        listName: String
    ) throws(ServingError) {
        let row = rowCount
        let start = values.count
        values.append(contentsOf: repeatElement(0, count: width))
        try addRow()
        guard try reader.peekKind() == .array else {
            note(ServingError(.badRequest, "row \(row) of \(listName) is not a list of values"))
            try reader.skipValue()
            return
        }
        try reader.expect(UInt8(ascii: "["))
        var count = 0
        if !reader.consume(UInt8(ascii: "]")) {
            repeat {
                if count < placement.targets.count, let column = placement.targets[count] {
                    try readCell(&reader, at: start + column, feature: placement.labels[count])
                } else {
                    try reader.skipValue()
                }
                count += 1
            } while try reader.nextElement(closing: UInt8(ascii: "]"))
        }
        guard count != placement.targets.count else { return }
        if placement.isListed {
            note(
                ServingError(
                    .badRequest,
                    "row \(row) of \(listName) has \(count) values; the columns list "
                        + "\(placement.targets.count)"
                )
            )
        } else {
            note(
                ServingError(
                    .featureCount,
                    served.expectsFeatures(width) + ", "
                        + "row \(row) has \(count)"
                )
            )
        }
    }
}
