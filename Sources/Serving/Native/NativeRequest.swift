import Estimators

/// A decoded `POST /predict` body: the feature rows and the outputs asked for.
struct NativeRequest {
    var inference: InferenceRequest
    /// True when the body gave one bare row (`"features": [..]` or `{..}`), which is
    /// answered with `prediction` rather than `predictions`.
    var isSingleRow: Bool
}

extension NativeRequest {
    /// Decodes a native body against `served`, reading numbers straight into the matrix.
    ///
    /// Syntax errors win over errors of fit: a problem with the rows is remembered and
    /// reported only once the whole document has parsed.
    static func decode(
        _ body: [UInt8],
        for served: ServedModel,
        limits: ServingLimits
    ) throws(ServingError)
        -> NativeRequest
    {
        try JSONReader.decodeBody(
            body,
            limits: limits,
            emptyHint: "send a JSON object with \"features\""
        ) { reader, _ throws(ServingError) in
            var decoder = NativeDecoder(rows: RowCollector(served: served, limits: limits))
            return try decoder.decode(&reader)
        }
    }
}

extension ServedModel {
    /// The first `limit` feature rows of a native `/predict` body, placed exactly as a
    /// request's decoder places them, for tools of this package that time the model on a
    /// request's rows (augur-bench).
    package func featureRows(ofNativeBody body: [UInt8], limit: Int) throws(ServingError)
        -> Matrix
    {
        let rows = try NativeRequest.decode(body, for: self, limits: .none).inference.rows
        guard rows.rows > limit else { return rows }
        let cells = limit * rows.columns
        var first = Matrix(
            rows: limit,
            columns: rows.columns,
            values: Array(rows.values.prefix(cells))
        )
        first.text = rows.text.filter { $0.key < cells }
        return first
    }
}

/// The state of decoding one native body.
private struct NativeDecoder {
    var rows: RowCollector

    mutating func decode(_ reader: inout JSONReader) throws(ServingError) -> NativeRequest {
        guard try reader.peekKind() == .object else {
            try reader.skipValue()
            try reader.expectEnd()
            throw ServingError(.badRequest, "the body must be a JSON object with \"features\"")
        }
        try reader.expect(UInt8(ascii: "{"))
        var sawRows = false
        var isSingleRow = false
        var outputs: [ModelOutput]?
        // Only these three keys can be repeated wrongly; unknown ones are refused anyway.
        var seenKeys: (features: Bool, instances: Bool, outputs: Bool) = (false, false, false)
        if !reader.consume(UInt8(ascii: "}")) {
            repeat {
                let key = try reader.readString()
                try reader.expect(UInt8(ascii: ":"))
                var isRepeated = false
                switch key {
                case "features":
                    isRepeated = seenKeys.features
                    seenKeys.features = true
                case "instances":
                    isRepeated = seenKeys.instances
                    seenKeys.instances = true
                case "outputs":
                    isRepeated = seenKeys.outputs
                    seenKeys.outputs = true
                default: break
                }
                if isRepeated {
                    rows.note(ServingError(.badRequest, "the body gives \"\(key)\" twice"))
                    try reader.skipValue()
                    continue
                }
                switch key {
                case "features", "instances":
                    if sawRows {
                        rows.note(
                            ServingError(
                                .badRequest,
                                "give rows under \"features\" or \"instances\", not both"
                            )
                        )
                        try reader.skipValue()
                    } else {
                        sawRows = true
                        isSingleRow = try rows.readRows(
                            &reader,
                            allowSingleRow: key == "features",
                            key: key
                        )
                    }
                case "outputs":
                    outputs = try rows.readOutputs(&reader)
                default:
                    rows.note(
                        ServingError(
                            .badRequest,
                            "unknown field \"\(RowCollector.clip(key))\"; expected \"features\" or "
                                + "\"instances\", and optionally \"outputs\""
                        )
                    )
                    try reader.skipValue()
                }
            } while try reader.nextElement(closing: UInt8(ascii: "}"))
        }
        try reader.expectEnd()
        if let pending = rows.pending { throw pending }
        guard sawRows else {
            throw ServingError(.badRequest, "the body has no \"features\" or \"instances\"")
        }
        return NativeRequest(
            inference: InferenceRequest(
                rows: rows.matrix(),
                outputs: outputs ?? rows.served.defaultOutputs
            ),
            isSingleRow: isSingleRow
        )
    }
}
