import Estimators

/// A decoded `POST /v2/models/{m}/infer` body: the rows, the outputs asked for, and the
/// request's `id` to echo.
struct InferRequest {
    var inference: InferenceRequest
    var id: String?
}

extension InferRequest {
    /// Decodes an Open Inference body against `served`: one tensor of whole rows, or one
    /// tensor per feature column.
    ///
    /// Errors come in three tiers, each reported only when the one before found nothing:
    /// JSON syntax, then the body's V2 shape (400), then its fit to the model (422).
    static func decode(
        _ body: [UInt8],
        for served: ServedModel,
        limits: ServingLimits
    ) throws(ServingError)
        -> InferRequest
    {
        try JSONReader.decodeBody(
            body,
            limits: limits,
            emptyHint: "send a JSON object with \"inputs\""
        ) { reader, _ throws(ServingError) in
            var decoder = InferDecoder(rows: RowCollector(served: served, limits: limits))
            return try decoder.decode(&reader)
        }
    }
}

/// One entry of `inputs` as read.
private struct Tensor {
    /// The name as sent, for placing columns; `label` is what messages show.
    var name: String?
    var shape: [Int]?
    var datatype: TensorDataType?
    var cells: TensorCells?
    /// `parameters.binary_data_size`: the data follows the JSON in binary, which Augur
    /// does not read.
    var isBinary = false
    let position: Int

    var label: String {
        name.map { "'\(RowCollector.clip($0))'" } ?? "\(position)"
    }
}

/// The state of decoding one infer body.
private struct InferDecoder {
    var rows: RowCollector
    /// The first way the body is not a V2 request (400), reported before errors of fit.
    var problem: ServingError?
    var id: String?
    /// The request's `parameters.content_type`: "pd" reads each input as a named column.
    var contentType: String?
    var inputs: [Tensor]?
    var outputs: [ModelOutput]?

    var served: ServedModel { rows.served }

    static let expectedFields =
        "an Open Inference (V2) request has \"inputs\", a list of tensors "
        + "{\"name\", \"shape\", \"datatype\", \"data\"}, and optionally \"id\", "
        + "\"parameters\" and \"outputs\""

    mutating func structural(_ message: String) {
        if problem == nil { problem = ServingError(.badRequest, message) }
    }

    mutating func decode(_ reader: inout JSONReader) throws(ServingError) -> InferRequest {
        guard try reader.peekKind() == .object else {
            try reader.skipValue()
            try reader.expectEnd()
            throw ServingError(
                .badRequest,
                "the body must be a JSON object; \(Self.expectedFields)"
            )
        }
        try reader.expect(UInt8(ascii: "{"))
        var keys: Set<String> = []
        if !reader.consume(UInt8(ascii: "}")) {
            repeat {
                let key = try reader.readString()
                try reader.expect(UInt8(ascii: ":"))
                guard keys.insert(key).inserted else {
                    structural("the body gives \"\(RowCollector.clip(key))\" twice")
                    try reader.skipValue()
                    continue
                }
                try readField(key, &reader)
            } while try reader.nextElement(closing: UInt8(ascii: "}"))
        }
        if inputs?.contains(where: \.isBinary) == true {
            // The binary part after the JSON would read as a syntax error; say what it is.
            throw ServingError(
                .badRequest,
                "binary tensor data is not supported; send \"data\" as JSON "
                    + "(tritonclient: binary_data=False)"
            )
        }
        try reader.expectEnd()
        if let problem { throw problem }
        guard var inputs else {
            throw ServingError(.badRequest, "the body has no \"inputs\"; \(Self.expectedFields)")
        }
        guard !inputs.isEmpty else {
            throw ServingError(.badRequest, "\"inputs\" is empty; \(Self.expectedFields)")
        }
        // The decoder lets go of the tensors so that their values are held once, and
        // rounding or taking them copies nothing.
        self.inputs = nil
        try place(&inputs)
        if let problem { throw problem }
        if let pending = rows.pending { throw pending }
        return InferRequest(
            inference: InferenceRequest(
                rows: rows.matrix(),
                outputs: outputs ?? served.defaultOutputs
            ),
            id: id
        )
    }

    mutating func readField(_ key: String, _ reader: inout JSONReader) throws(ServingError) {
        switch key {
        case "id":
            guard try reader.peekKind() == .string else {
                structural("\"id\" must be a string")
                try reader.skipValue()
                return
            }
            id = try reader.readString()
        case "parameters":
            var value: String?
            var isString = true
            let isObject = try Self.readParameters(&reader) { key, reader throws(ServingError) in
                guard key == "content_type" else { return false }
                guard try reader.peekKind() == .string else {
                    isString = false
                    return false
                }
                value = try reader.readString()
                return true
            }
            if !isObject {
                structural("\"parameters\" must be an object")
            } else if !isString {
                structural("\"parameters\": \"content_type\" must be a string")
            } else if let value, value != "pd" && value != "np" {
                structural(
                    "\"parameters\": content_type \"\(RowCollector.clip(value))\" is not "
                        + "read; use \"pd\" for one input per column, or \"np\" (the "
                        + "default) for one input of whole rows"
                )
            } else if let value {
                contentType = value
            }
        case "inputs":
            inputs = try readInputs(&reader)
        case "outputs":
            outputs = try readOutputs(&reader)
        default:
            let known = [
                "instances", "features", "signature_name", "dataframe_split",
                "dataframe_records",
            ]
            let hint =
                known.contains(key)
                ? " (a KServe V1, MLflow or native body: POST that to its own route)" : ""
            structural("unknown field \"\(RowCollector.clip(key))\"\(hint); \(Self.expectedFields)")
            try reader.skipValue()
        }
    }

    /// Reads a `parameters` object: `read` takes the keys it knows (returning true once
    /// it consumed the value); the rest are skipped, as the protocol lets clients send
    /// parameters a server does not use. Returns false (having skipped the value) when it
    /// is not an object.
    static func readParameters(
        _ reader: inout JSONReader,
        _ read: (String, inout JSONReader) throws(ServingError) -> Bool
    ) throws(ServingError) -> Bool {
        guard try reader.peekKind() == .object else {
            try reader.skipValue()
            return false
        }
        try reader.expect(UInt8(ascii: "{"))
        if reader.consume(UInt8(ascii: "}")) { return true }
        repeat {
            let key = try reader.readString()
            try reader.expect(UInt8(ascii: ":"))
            if try !read(key, &reader) { try reader.skipValue() }
        } while try reader.nextElement(closing: UInt8(ascii: "}"))
        return true
    }

    mutating func readInputs(_ reader: inout JSONReader) throws(ServingError) -> [Tensor] {
        guard try reader.peekKind() == .array else {
            structural("\"inputs\" must be a list of tensors; \(Self.expectedFields)")
            try reader.skipValue()
            return []
        }
        try reader.expect(UInt8(ascii: "["))
        var tensors: [Tensor] = []
        if reader.consume(UInt8(ascii: "]")) { return tensors }
        repeat {
            guard try reader.peekKind() == .object else {
                let kind = try reader.peekKind()
                structural(
                    "each of \"inputs\" must be a tensor {\"name\", \"shape\", \"datatype\", "
                        + "\"data\"}; input \(tensors.count) is \(kind.name) (rows belong in a "
                        + "tensor's \"data\")"
                )
                try reader.skipValue()
                continue
            }
            tensors.append(try readTensor(&reader, position: tensors.count))
        } while try reader.nextElement(closing: UInt8(ascii: "]"))
        return tensors
    }

    mutating func readTensor(_ reader: inout JSONReader, position: Int) throws(ServingError)
        -> Tensor
    {
        var tensor = Tensor(position: position)
        try reader.expect(UInt8(ascii: "{"))
        var keys: Set<String> = []
        if !reader.consume(UInt8(ascii: "}")) {
            repeat {
                let key = try reader.readString()
                try reader.expect(UInt8(ascii: ":"))
                guard keys.insert(key).inserted else {
                    structural("input \(tensor.label) gives \"\(RowCollector.clip(key))\" twice")
                    try reader.skipValue()
                    continue
                }
                try readTensorField(key, into: &tensor, &reader)
            } while try reader.nextElement(closing: UInt8(ascii: "}"))
        }
        for (field, present) in [
            ("name", tensor.name != nil), ("shape", keys.contains("shape")),
            ("datatype", keys.contains("datatype")), ("data", keys.contains("data")),
        ] where !present {
            structural("input \(tensor.label) has no \"\(field)\"")
        }
        return tensor
    }

    mutating func readTensorField(
        _ key: String,
        into tensor: inout Tensor,
        _ reader: inout JSONReader
    ) throws(ServingError) {
        let kind = try reader.peekKind()
        switch key {
        case "name" where kind == .string:
            tensor.name = try reader.readString()
        case "shape":
            tensor.shape = try readShape(&reader, input: tensor.label)
        case "datatype" where kind == .string:
            let name = try reader.readString()
            tensor.datatype = TensorDataType(rawValue: name)
            if tensor.datatype == nil {
                structural(
                    "input \(tensor.label): unknown datatype \"\(RowCollector.clip(name))\"; "
                        + "use one of \(TensorDataType.names)"
                )
            }
        case "data" where kind == .array:
            var cells = TensorCells()
            try cells.read(&reader)
            tensor.cells = cells
        case "parameters":
            var isBinary = false
            let isObject = try Self.readParameters(&reader) { key, _ throws(ServingError) in
                if key == "binary_data_size" { isBinary = true }
                return false
            }
            if !isObject { structural("input \(tensor.label): \"parameters\" must be an object") }
            tensor.isBinary = isBinary
        case "name", "datatype", "data":
            let wanted = key == "data" ? "a list" : "a string"
            structural("input \(tensor.label): \"\(key)\" must be \(wanted), not \(kind.name)")
            try reader.skipValue()
        default:
            structural(
                "input \(tensor.label) has unknown field \"\(RowCollector.clip(key))\"; a tensor "
                    + "has \"name\", \"shape\", \"datatype\", \"data\" and optionally "
                    + "\"parameters\""
            )
            try reader.skipValue()
        }
    }

    /// Reads `shape`: a list of non-negative integers.
    mutating func readShape(_ reader: inout JSONReader, input: String) throws(ServingError)
        -> [Int]?
    {
        let message =
            "input \(input): \"shape\" must be a list of non-negative integers, such as [2, 4]"
        guard try reader.peekKind() == .array else {
            structural(message)
            try reader.skipValue()
            return nil
        }
        try reader.expect(UInt8(ascii: "["))
        var shape: [Int] = []
        var isValid = true
        var tooLarge: String?
        if !reader.consume(UInt8(ascii: "]")) {
            repeat {
                guard try reader.peekKind() == .number else {
                    isValid = false
                    try reader.skipValue()
                    continue
                }
                let start = reader.position
                _ = try reader.readNumber()
                // Integers as written: `2.0` and `2e0` are refused, as int64 shapes are.
                guard let literal = reader.integerLiteral(from: start),
                    !literal.negative || literal.magnitude == 0
                else {
                    isValid = false
                    continue
                }
                guard literal.magnitude < 1 << 53 else {
                    tooLarge = tooLarge ?? "\(literal.magnitude)"
                    continue
                }
                shape.append(Int(literal.magnitude))
            } while try reader.nextElement(closing: UInt8(ascii: "]"))
        }
        guard isValid else {
            structural(message)
            return nil
        }
        if let tooLarge {
            structural("input \(input): \"shape\" dimension \(tooLarge) is too large")
            return nil
        }
        return shape
    }

    /// Reads `outputs`: `[{"name": "predict"}, ...]`, each output the model offers, once.
    /// An empty list asks for the default, as leaving `outputs` out does.
    mutating func readOutputs(_ reader: inout JSONReader) throws(ServingError) -> [ModelOutput]? {
        let shapeMessage =
            "\"outputs\" must be a list of objects such as {\"name\": \"predict_proba\"}"
        guard try reader.peekKind() == .array else {
            structural(shapeMessage)
            try reader.skipValue()
            return nil
        }
        try reader.expect(UInt8(ascii: "["))
        var outputs: [ModelOutput] = []
        if reader.consume(UInt8(ascii: "]")) { return nil }
        repeat {
            guard try reader.peekKind() == .object else {
                structural(shapeMessage)
                try reader.skipValue()
                continue
            }
            if let name = try readOutputRequest(&reader) {
                guard let output = ModelOutput(rawValue: name),
                    served.model.outputs.contains(output)
                else {
                    rows.note(
                        ServingError(
                            .unknownOutput,
                            "model '\(served.name)' has no output \"\(RowCollector.clip(name))\"; "
                                + "it offers "
                                + RowCollector.list(served.model.outputs.map(\.rawValue))
                        )
                    )
                    continue
                }
                if !outputs.contains(output) { outputs.append(output) }
            }
        } while try reader.nextElement(closing: UInt8(ascii: "]"))
        return outputs
    }

    /// One requested output's name; its `parameters` (such as `binary_data`) are read
    /// past: every output is answered as JSON.
    mutating func readOutputRequest(_ reader: inout JSONReader) throws(ServingError) -> String? {
        try reader.expect(UInt8(ascii: "{"))
        var name: String?
        if !reader.consume(UInt8(ascii: "}")) {
            repeat {
                let key = try reader.readString()
                try reader.expect(UInt8(ascii: ":"))
                let kind = try reader.peekKind()
                switch key {
                case "name" where kind == .string:
                    name = try reader.readString()
                case "parameters":
                    let isObject = try Self.readParameters(&reader) { _, _ throws(ServingError) in
                        false
                    }
                    if !isObject { structural("an output's \"parameters\" must be an object") }
                default:
                    structural(
                        "an output has \"name\" and optionally \"parameters\"; found "
                            + "\"\(RowCollector.clip(key))\""
                    )
                    try reader.skipValue()
                }
            } while try reader.nextElement(closing: UInt8(ascii: "}"))
        }
        if name == nil { structural("each of \"outputs\" needs a \"name\" string") }
        return name
    }

    // MARK: - Placing the tensors

    /// Puts the inputs into the collector: by feature name when the request says it sends
    /// columns (`content_type` "pd") or when the names are exactly the model's features;
    /// otherwise one input of whole rows.
    mutating func place(_ inputs: inout [Tensor]) throws(ServingError) {
        var checked: [(tensor: Tensor, shape: [Int], cells: TensorCells)] = []
        for index in inputs.indices {
            var tensor = inputs[index]
            inputs[index].cells = nil
            guard let shape = tensor.shape, let datatype = tensor.datatype,
                var cells = tensor.cells
            else { return }
            tensor.cells = nil
            if let message = cells.shapeProblem(shape, input: tensor.label) {
                structural(message)
            } else if let message = cells.conform(to: datatype, input: tensor.label) {
                structural(message)
            }
            checked.append((tensor, shape, cells))
        }
        let names = inputs.compactMap(\.name)
        let wantsColumns =
            contentType == "pd" || (contentType == nil && namesAreTheFeatures(names))
        if wantsColumns {
            try placeColumns(checked)
        } else if checked.count == 1 {
            try placeRows(checked[0].tensor, checked[0].shape, checked[0].cells)
        } else {
            let width = rows.width
            let features = served.model.featureNames.map {
                ", or one input of shape [N] per feature, named " + RowCollector.list($0)
            }
            structural(
                "model '\(served.name)' takes one input of shape [N, \(width)]\(features ?? ""); "
                    + "got \(inputs.count) inputs named "
                    + RowCollector.list(names.map { RowCollector.clip($0) })
            )
        }
    }

    /// Whether the input names are the model's feature names, each once, byte for byte.
    func namesAreTheFeatures(_ names: [String]) -> Bool {
        guard let index = served.featureIndex, names.count == index.count else { return false }
        return Set(names.compactMap { index[Array($0.utf8)] }).count == index.count
    }

    mutating func placeRows(_ tensor: Tensor, _ shape: [Int], _ cells: TensorCells)
        throws(ServingError)
    {
        let width = rows.width
        guard shape.count == 1 || shape.count == 2 else {
            structural(
                "input \(tensor.label) has shape \(TensorCells.text(shape)); send [N, \(width)] "
                    + "for N rows, or [\(width)] for one row"
            )
            return
        }
        if served.takesDocuments, shape.count == 1 {
            // A text model's rows are documents: shape [N] is N of them, as numpy's 1-D
            // array of strings is to scikit-learn.
            guard problem == nil else { return }
            try rows.takeRows(cells, count: shape[0])
            return
        }
        let columns = shape[shape.count - 1]
        guard columns == width else {
            let hint =
                shape.count == 1 && width == 1
                ? "; for \(columns) rows of one feature send shape [\(columns), 1]" : ""
            rows.note(
                ServingError(
                    .featureCount,
                    served.expectsFeatures(width) + "; input "
                        + "\(tensor.label) has shape \(TensorCells.text(shape))\(hint)"
                )
            )
            return
        }
        guard problem == nil else { return }
        try rows.takeRows(cells, count: shape.count == 1 ? 1 : shape[0])
    }

    mutating func placeColumns(_ inputs: [(tensor: Tensor, shape: [Int], cells: TensorCells)])
        throws(ServingError)
    {
        guard let index = served.featureIndex, let features = served.model.featureNames else {
            rows.note(
                ServingError(
                    .featureNames,
                    "model '\(served.name)' was fitted without feature names, so inputs cannot "
                        + "be placed by name; send one input of shape [N, \(rows.width)]"
                )
            )
            return
        }
        var rowCount: Int?
        var columns: [(column: Int, name: String, cells: TensorCells)] = []
        var seen = [Bool](repeating: false, count: features.count)
        for (tensor, shape, cells) in inputs {
            guard shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
                structural(
                    "input \(tensor.label) is a column, so its shape must be [N] or [N, 1], "
                        + "not \(TensorCells.text(shape))"
                )
                continue
            }
            if let rowCount, rowCount != shape[0] {
                structural(
                    "the columns differ in length: input \(tensor.label) has \(shape[0]) rows, "
                        + "the first \(rowCount)"
                )
            }
            rowCount = rowCount ?? shape[0]
            let name = tensor.name ?? ""
            guard let column = index[Array(name.utf8)] else {
                rows.note(
                    ServingError(
                        .featureNames,
                        "unknown input \(tensor.label); model '\(served.name)' takes the columns "
                            + RowCollector.list(features)
                    )
                )
                continue
            }
            if seen[column] {
                rows.note(ServingError(.featureNames, "column \(tensor.label) is given twice"))
            }
            seen[column] = true
            columns.append((column, name, cells))
        }
        let missing = features.indices.filter { !seen[$0] }.map { features[$0] }
        if !missing.isEmpty {
            rows.note(
                ServingError(
                    .featureNames,
                    "missing column\(missing.count > 1 ? "s" : "") \(RowCollector.list(missing)); "
                        + "model '\(served.name)' takes the columns \(RowCollector.list(features))"
                )
            )
        }
        guard problem == nil, rows.pending == nil, let rowCount else { return }
        try rows.takeColumns(columns, rows: rowCount)
    }
}
