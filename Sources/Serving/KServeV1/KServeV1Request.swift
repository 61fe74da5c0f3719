import Estimators

/// Decodes a KServe V1 predict body: `{"instances": [...]}` or `{"inputs": [...]}`, rows
/// as lists or as objects keyed by feature name.
///
/// Augur's one extension: `"outputs": ["predict_proba"]` (a single output name, any the
/// model has) puts that output in `predictions` instead of `predict`, as KServe's own
/// scikit-learn server does for probabilities, and adds `"classes"`. V1 answers one
/// output; several come from `/predict` or V2.
enum KServeV1Request {
    static func decode(
        _ body: [UInt8],
        for served: ServedModel,
        limits: ServingLimits
    ) throws(ServingError)
        -> InferenceRequest
    {
        try JSONReader.decodeBody(
            body,
            limits: limits,
            emptyHint: "send a JSON object with \"instances\""
        ) { reader, _ throws(ServingError) in
            var decoder = KServeV1Decoder(rows: RowCollector(served: served, limits: limits))
            return try decoder.decode(&reader)
        }
    }
}

/// The state of decoding one V1 body.
private struct KServeV1Decoder {
    var rows: RowCollector
    /// A problem with the body's shape (400), reported before problems of fit.
    var shapeError: ServingError?

    mutating func noteShape(_ message: String) {
        if shapeError == nil { shapeError = ServingError(.badRequest, message) }
    }

    mutating func decode(_ reader: inout JSONReader) throws(ServingError) -> InferenceRequest {
        guard try reader.peekKind() == .object else {
            try reader.skipValue()
            try reader.expectEnd()
            throw ServingError(.badRequest, "the body must be a JSON object with \"instances\"")
        }
        try reader.expect(UInt8(ascii: "{"))
        var rowKey: String?
        var outputs: [ModelOutput]?
        var keys: Set<String> = []
        if !reader.consume(UInt8(ascii: "}")) {
            repeat {
                let key = try reader.readString()
                try reader.expect(UInt8(ascii: ":"))
                guard keys.insert(key).inserted else {
                    noteShape("the body gives \"\(RowCollector.clip(key))\" twice")
                    try reader.skipValue()
                    continue
                }
                switch key {
                case "instances", "inputs":
                    if let rowKey {
                        noteShape("give rows under \"\(rowKey)\" or \"\(key)\", not both")
                        try reader.skipValue()
                    } else {
                        rowKey = key
                        _ = try rows.readRows(&reader, allowSingleRow: false, key: key)
                    }
                case "outputs":
                    outputs = try rows.readOutputs(&reader)
                    if let count = outputs?.count, count > 1 {
                        noteShape(
                            "\"outputs\" takes one output name here; ask /predict or V2 for several"
                        )
                    }
                default:
                    noteShape(
                        "unknown field \"\(RowCollector.clip(key))\"; expected \"instances\" or "
                            + "\"inputs\", and optionally \"outputs\""
                    )
                    try reader.skipValue()
                }
            } while try reader.nextElement(closing: UInt8(ascii: "}"))
        }
        try reader.expectEnd()
        if let shapeError { throw shapeError }
        if let pending = rows.pending { throw pending }
        guard rowKey != nil else {
            throw ServingError(.badRequest, "the body has no \"instances\" or \"inputs\"")
        }
        return InferenceRequest(
            rows: rows.matrix(),
            outputs: outputs ?? rows.served.defaultOutputs
        )
    }
}
