/// `GET /openapi.json`: an OpenAPI 3.1 description of every route ``Route`` knows, with the
/// bodies and statuses of PROTOCOLS.md.
///
/// The served model names fill the `{model}` parameter's `enum`, so that generated clients
/// and contract testers (schemathesis) reach real models rather than 404s. That makes the
/// document depend on the catalog: ``PredictionService`` makes it once, when it is made.
enum OpenAPIDocument {
    /// Every path the document describes, each a route whose parameters are written as
    /// `{model}` and `{version}`; ``Route/path`` turns each into its path template.
    static let routes: [Route] = [
        .nativePredict(model: nil),
        .nativePredict(model: "{model}"),
        .kserveV1ModelList,
        .kserveV1ModelStatus(model: "{model}"),
        .kserveV1Predict(model: "{model}"),
        .openInferenceServerMetadata,
        .openInferenceLive,
        .openInferenceReady,
        .openInferenceModelMetadata(model: "{model}", version: nil),
        .openInferenceModelMetadata(model: "{model}", version: "{version}"),
        .openInferenceModelReady(model: "{model}", version: nil),
        .openInferenceModelReady(model: "{model}", version: "{version}"),
        .openInferenceInfer(model: "{model}", version: nil),
        .openInferenceInfer(model: "{model}", version: "{version}"),
        .mlflowInvocations,
        .mlflowPing,
        .mlflowHealth,
        .mlflowVersion,
        .metrics,
        .openAPI,
    ]

    /// The document for `catalog`'s models, as bytes to serve.
    static func json(for catalog: ModelCatalog) -> [UInt8] {
        var writer = JSONWriter(capacity: 96 * 1024)
        document(for: catalog).write(into: &writer)
        return writer.finish()
    }

    static func document(for catalog: ModelCatalog) -> OpenAPIValue {
        let defaultModel = catalog.defaultName.flatMap { try? catalog.model(named: $0) }
        var paths: [(key: String, value: OpenAPIValue)] = []
        for route in routes {
            let operation = OpenAPIOperation(route, hasDefaultModel: defaultModel != nil)
            // One method per path: POST for the routes that predict, GET for the others
            // (HEAD, which every GET route answers too, is left implicit).
            let method = route.allowedMethods[0].lowercased()
            paths.append((route.path, .object([(method, operation.value(route))])))
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Augur",
                "version": .string(AugurVersion.current),
                "description": """
                Serves scikit-learn models over four dialects: Augur's own /predict, \
                KServe V1, the Open Inference Protocol (V2) and MLflow's scoring \
                protocol. Request examples are written for the bundled example model \
                iris (4 features: sepal_length, sepal_width, petal_length, petal_width).
                """,
            ],
            "tags": [
                ["name": "native", "description": "Augur's own /predict."],
                ["name": "kserve-v1", "description": "KServe's V1 protocol."],
                ["name": "open-inference", "description": "The Open Inference Protocol (V2)."],
                ["name": "mlflow", "description": "MLflow's scoring protocol."],
                ["name": "operations", "description": "Metrics and this document."],
            ],
            "paths": .object(paths),
            "components": [
                "parameters": parameters(for: catalog),
                "schemas": OpenAPISchemas.all(defaultModel: defaultModel),
            ],
        ]
    }

    /// `{model}` and `{version}`, listing what `catalog` serves.
    static func parameters(for catalog: ModelCatalog) -> OpenAPIValue {
        var model: OpenAPIValue = ["type": "string", "minLength": 1]
        if !catalog.names.isEmpty {
            model = model.adding([("enum", OpenAPISchemas.strings(catalog.names))])
        }
        var versions: [String] = []
        for served in catalog.all where !versions.contains(served.version ?? "1") {
            versions.append(served.version ?? "1")
        }
        var version: OpenAPIValue = ["type": "string", "minLength": 1]
        if !versions.isEmpty {
            version = version.adding([("enum", OpenAPISchemas.strings(versions))])
        }
        // The examples of the request bodies are iris rows: point the name at iris too.
        let example = catalog.names.contains("iris") ? "iris" : catalog.names.first ?? "iris"
        return [
            "model": [
                "name": "model",
                "in": "path",
                "required": true,
                "description": "A served model's name.",
                "schema": model,
                "example": .string(example),
            ],
            "version": [
                "name": "version",
                "in": "path",
                "required": true,
                "description": """
                A version of the model ("1" for a model served without versions).
                """,
                "schema": version,
                "example": .string(versions.first ?? "1"),
            ],
        ]
    }
}

extension Route {
    /// The path this route answers; for a route made with `{model}` or `{version}` as its
    /// name, the path template. `Route(path: route.path) == route` for every route.
    var path: String {
        switch self {
        case .nativePredict(let model): model.map { "/predict/\($0)" } ?? "/predict"
        case .kserveV1Predict(let model): "/v1/models/\(model):predict"
        case .kserveV1ModelStatus(let model): "/v1/models/\(model)"
        case .kserveV1ModelList: "/v1/models"
        case .openInferenceInfer(let model, let version):
            Self.v2ModelPath(model, version) + "/infer"
        case .openInferenceModelMetadata(let model, let version):
            Self.v2ModelPath(model, version)
        case .openInferenceModelReady(let model, let version):
            Self.v2ModelPath(model, version) + "/ready"
        case .openInferenceServerMetadata: "/v2"
        case .openInferenceLive: "/v2/health/live"
        case .openInferenceReady: "/v2/health/ready"
        case .mlflowInvocations: "/invocations"
        case .mlflowPing: "/ping"
        case .mlflowHealth: "/health"
        case .mlflowVersion: "/version"
        case .metrics: "/metrics"
        case .openAPI: "/openapi.json"
        }
    }

    private static func v2ModelPath(_ model: String, _ version: String?) -> String {
        "/v2/models/\(model)" + (version.map { "/versions/\($0)" } ?? "")
    }
}
