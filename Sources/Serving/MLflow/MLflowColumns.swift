extension RowCollector {
    /// Reads MLflow's column form, `{"a": [1, 2], "b": [3, 4]}` (one list per feature,
    /// one value per row), into rows. `key` names the field in messages.
    mutating func readColumns(_ reader: inout JSONReader, key: String) throws(ServingError) {
        let index = served.featureIndex
        if index == nil {
            note(
                ServingError(
                    .featureNames,
                    "model '\(served.name)' was fitted without feature names; send \"\(key)\" "
                        + "as a list of rows, each a list of \(width) values"
                )
            )
        }
        var seen = [Bool](repeating: false, count: width)
        var lengths: [(name: String, count: Int)] = []
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
                            "\"\(key)\" has unknown column \"\(Self.clip(name))\"; model "
                                + "'\(served.name)' takes "
                                + Self.list(served.model.featureNames ?? [])
                        )
                    )
                    try reader.skipValue()
                    continue
                }
                guard !seen[column] else {
                    note(ServingError(.featureNames, "\"\(key)\" gives \"\(name)\" twice"))
                    try reader.skipValue()
                    continue
                }
                seen[column] = true
                guard try reader.peekKind() == .array else {
                    note(
                        ServingError(
                            .badRequest,
                            "column \"\(Self.clip(name))\" of \"\(key)\" must be a list of values"
                        )
                    )
                    try reader.skipValue()
                    continue
                }
                try reader.expect(UInt8(ascii: "["))
                var count = 0
                if !reader.consume(UInt8(ascii: "]")) {
                    repeat {
                        while rowCount <= count {
                            values.append(contentsOf: repeatElement(0, count: width))
                            try addRow()
                        }
                        try readCell(
                            &reader,
                            at: count * width + column,
                            feature: "\"\(Self.clip(name))\""
                        )
                        count += 1
                    } while try reader.nextElement(closing: UInt8(ascii: "]"))
                }
                lengths.append((Self.clip(name), count))
            } while try reader.nextElement(closing: UInt8(ascii: "}"))
        }
        if let first = lengths.first, let other = lengths.first(where: { $0.count != first.count })
        {
            note(
                ServingError(
                    .badRequest,
                    "the columns of \"\(key)\" differ in length: \"\(first.name)\" has "
                        + "\(first.count) values, \"\(other.name)\" has \(other.count)"
                )
            )
        }
        if index != nil, let names = served.model.featureNames {
            let missing = seen.indices.filter { !seen[$0] }.map { names[$0] }
            if !missing.isEmpty {
                note(
                    ServingError(
                        .featureNames,
                        "\"\(key)\" is missing column\(missing.count > 1 ? "s" : "") "
                            + Self.list(missing)
                    )
                )
            }
        }
    }
}
