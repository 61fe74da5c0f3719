/// What the document says about one route: a summary, its group, the body it reads, its
/// answer and every error status it can give.
struct OpenAPIOperation {
    var id: String
    var summary: String
    var tag: String
    var requestBody: OpenAPIValue?
    var success: OpenAPIValue
    var errorStatuses: [Int]

    /// The statuses of the routes that run a model.
    static let predicting = [400, 404, 405, 413, 415, 422, 500, 502, 503, 504]
    /// Reads about one model: it may be unknown or not ready.
    static let modelReads = [404, 405, 500, 502, 503, 504]
    /// Reads about the server.
    static let serverReads = [405, 500, 502, 504]
    /// Health: 503 says not ready.
    static let health = [405, 500, 502, 503, 504]

    /// - Parameter hasDefaultModel: whether the routes without a model name have a model,
    ///   whose own rows the document then gives them.
    init(_ route: Route, hasDefaultModel: Bool) {
        let defaultPrefix = hasDefaultModel ? "DefaultModel" : ""
        switch route {
        case .nativePredict(let model):
            id = model == nil ? "predict" : "predict_model"
            summary =
                model == nil
                ? "Predict with the default model (the only one, or the one named by --default)"
                : "Predict with the named model"
            tag = "native"
            requestBody = Self.body(
                json: OpenAPISchemas.ref((model == nil ? defaultPrefix : "") + "NativeRequest"),
                examples: OpenAPIExamples.nativeRequests,
                csv: true
            )
            success = Self.json(
                "One key per output asked for.",
                OpenAPISchemas.ref("NativeResponse"),
                examples: OpenAPIExamples.nativeResponses
            )
            errorStatuses = Self.predicting
        case .kserveV1Predict:
            id = "v1_predict"
            summary = "KServe V1: predict"
            tag = "kserve-v1"
            requestBody = Self.body(
                json: OpenAPISchemas.ref("V1PredictRequest"),
                examples: OpenAPIExamples.v1Requests
            )
            success = Self.json(
                "One prediction per row.",
                OpenAPISchemas.ref("V1PredictResponse"),
                examples: ["iris": ["value": ["predictions": [0, 2]]]]
            )
            errorStatuses = Self.predicting
        case .kserveV1ModelStatus:
            id = "v1_model"
            summary = "KServe V1: whether a model is ready"
            tag = "kserve-v1"
            success = Self.json("The model's status.", OpenAPISchemas.ref("V1ModelStatus"))
            errorStatuses = Self.modelReads
        case .kserveV1ModelList:
            id = "v1_models"
            summary = "KServe V1: the served models"
            tag = "kserve-v1"
            success = Self.json("The served names.", OpenAPISchemas.ref("V1ModelList"))
            errorStatuses = Self.serverReads
        case .openInferenceInfer(_, let version):
            id = version == nil ? "v2_infer" : "v2_infer_version"
            summary = "Open Inference (V2): infer" + (version == nil ? "" : " with a version")
            tag = "open-inference"
            requestBody = Self.body(
                json: OpenAPISchemas.ref("V2InferRequest"),
                examples: OpenAPIExamples.v2Requests
            )
            success = Self.json("The output tensors.", OpenAPISchemas.ref("V2InferResponse"))
            errorStatuses = Self.predicting
        case .openInferenceModelMetadata(_, let version):
            id = version == nil ? "v2_model" : "v2_model_version"
            summary = "Open Inference (V2): model metadata"
            tag = "open-inference"
            success = Self.json("The model's metadata.", OpenAPISchemas.ref("V2ModelMetadata"))
            errorStatuses = Self.modelReads
        case .openInferenceModelReady(_, let version):
            id = version == nil ? "v2_model_ready" : "v2_model_ready_version"
            summary = "Open Inference (V2): whether a model is ready"
            tag = "open-inference"
            success = Self.json("Ready.", OpenAPISchemas.ref("V2ModelReady"))
            errorStatuses = Self.modelReads
        case .openInferenceServerMetadata:
            id = "v2_server"
            summary = "Open Inference (V2): server metadata"
            tag = "open-inference"
            success = Self.json(
                "Name, version, extensions.",
                OpenAPISchemas.ref("V2ServerMetadata")
            )
            errorStatuses = Self.serverReads
        case .openInferenceLive:
            id = "v2_live"
            summary = "Open Inference (V2): liveness"
            tag = "open-inference"
            success = Self.json("Live.", OpenAPISchemas.ref("V2Health"))
            errorStatuses = Self.health
        case .openInferenceReady:
            id = "v2_ready"
            summary = "Open Inference (V2): readiness (every model loaded)"
            tag = "open-inference"
            success = Self.json("Ready.", OpenAPISchemas.ref("V2Health"))
            errorStatuses = Self.health
        case .mlflowInvocations:
            id = "invocations"
            summary = "MLflow: predict with the default model"
            tag = "mlflow"
            requestBody = Self.body(
                json: OpenAPISchemas.ref(defaultPrefix + "MLflowRequest"),
                examples: OpenAPIExamples.mlflowRequests,
                csv: true
            )
            success = Self.json(
                "One prediction per row.",
                OpenAPISchemas.ref("MLflowResponse"),
                examples: ["iris": ["value": ["predictions": [0, 2]]]]
            )
            errorStatuses = Self.predicting
        case .mlflowPing, .mlflowHealth:
            id = route == .mlflowPing ? "ping" : "health"
            summary = "MLflow: the server is up"
            tag = "mlflow"
            success = Self.json("Up; the body is not part of the contract.", [:])
            errorStatuses = Self.health
        case .mlflowVersion:
            id = "version"
            summary = "MLflow: the Augur version"
            tag = "mlflow"
            success = Self.json(
                "The version, \(AugurVersion.current) for this server.",
                [
                    "type": "object",
                    "required": ["version"],
                    "properties": ["version": ["type": "string"]],
                    "additionalProperties": false,
                ],
                examples: ["this": ["value": ["version": .string(AugurVersion.current)]]]
            )
            errorStatuses = Self.serverReads
        case .metrics:
            id = "metrics"
            summary = "Prometheus metrics, summed over the workers (local addresses only)"
            tag = "operations"
            success = [
                "description": "Prometheus text format 0.0.4.",
                "content": ["text/plain": ["schema": ["type": "string"]]],
            ]
            // 404 when the server keeps no metrics; 403 from nginx for other addresses.
            errorStatuses = [403, 404, 405, 500, 502, 504]
        case .openAPI:
            id = "openapi"
            summary = "This document"
            tag = "operations"
            success = Self.json("OpenAPI 3.1.", OpenAPISchemas.ref("OpenAPIDocument"))
            errorStatuses = Self.serverReads
        }
    }

    /// The operation object for `route`, whose path gives the parameters.
    func value(_ route: Route) -> OpenAPIValue {
        var parameters: [OpenAPIValue] = []
        if route.path.contains("{model}") {
            parameters.append(["$ref": "#/components/parameters/model"])
        }
        if route.path.contains("{version}") {
            parameters.append(["$ref": "#/components/parameters/version"])
        }
        var responses: [(key: String, value: OpenAPIValue)] = [("200", success)]
        for status in errorStatuses {
            responses.append(
                (
                    String(status),
                    OpenAPIErrors.response(
                        status: status,
                        dialect: route.dialect,
                        allowedMethods: route.allowedMethods
                    )
                )
            )
        }
        var members: [(key: String, value: OpenAPIValue)] = [
            ("operationId", .string(id)),
            ("summary", .string(summary)),
            ("tags", [.string(tag)]),
        ]
        if !parameters.isEmpty { members.append(("parameters", .array(parameters))) }
        if let requestBody { members.append(("requestBody", requestBody)) }
        members.append(("responses", .object(responses)))
        return .object(members)
    }

    /// A JSON request body (and, for `csv`, a `text/csv` one: one row per line, a first
    /// line of feature names read as a header).
    static func body(json schema: OpenAPIValue, examples: OpenAPIValue, csv: Bool = false)
        -> OpenAPIValue
    {
        var content: [(key: String, value: OpenAPIValue)] = [
            ("application/json", ["schema": schema, "examples": examples])
        ]
        if csv {
            content.append(
                (
                    "text/csv",
                    [
                        "schema": ["type": "string"],
                        "examples": ["iris": ["value": .string(OpenAPIExamples.csv)]],
                    ]
                )
            )
        }
        return ["required": true, "content": .object(content)]
    }

    static func json(_ description: String, _ schema: OpenAPIValue, examples: OpenAPIValue? = nil)
        -> OpenAPIValue
    {
        var media: OpenAPIValue = ["schema": schema]
        if let examples { media = media.adding([("examples", examples)]) }
        return ["description": .string(description), "content": ["application/json": media]]
    }
}
