/// Every endpoint a worker answers, decided from the path alone; the method is checked
/// against ``allowedMethods`` afterwards, so a known path with the wrong method is a 405
/// rather than a 404.
public enum Route: Equatable, Sendable {
    /// `POST /predict` (model nil: the default one) and `POST /predict/{model}`.
    case nativePredict(model: String?)

    /// KServe V1: `POST /v1/models/{m}:predict`.
    case kserveV1Predict(model: String)
    /// KServe V1: `GET /v1/models/{m}`.
    case kserveV1ModelStatus(model: String)
    /// KServe V1: `GET /v1/models`.
    case kserveV1ModelList

    /// Open Inference (V2): `POST /v2/models/{m}[/versions/{v}]/infer`.
    case openInferenceInfer(model: String, version: String?)
    /// V2: `GET /v2/models/{m}[/versions/{v}]`.
    case openInferenceModelMetadata(model: String, version: String?)
    /// V2: `GET /v2/models/{m}[/versions/{v}]/ready`.
    case openInferenceModelReady(model: String, version: String?)
    /// V2: `GET /v2`.
    case openInferenceServerMetadata
    /// V2: `GET /v2/health/live`.
    case openInferenceLive
    /// V2: `GET /v2/health/ready`.
    case openInferenceReady

    /// MLflow: `POST /invocations`.
    case mlflowInvocations
    /// MLflow: `GET /ping`.
    case mlflowPing
    /// MLflow: `GET /health`.
    case mlflowHealth
    /// MLflow: `GET /version`.
    case mlflowVersion

    /// `GET /metrics`, Prometheus text.
    case metrics
    /// `GET /openapi.json`.
    case openAPI

    /// The route for `path`, or nil when no endpoint has that path.
    public init?(path: String) {
        // The prediction paths, the hot ones, without splitting the path into strings.
        let utf8 = path.utf8
        if utf8.starts(with: "/predict".utf8) {
            let rest = utf8.dropFirst(8)
            if rest.isEmpty {
                self = .nativePredict(model: nil)
                return
            }
            if rest.first == UInt8(ascii: "/") {
                let name = rest.dropFirst()
                guard !name.isEmpty, !name.contains(UInt8(ascii: "/")) else { return nil }
                self = .nativePredict(model: String(Substring(name)))
                return
            }
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard path.hasPrefix("/"), !parts.isEmpty else { return nil }
        let segments = parts.map(String.init)
        switch segments[0] {
        case "predict":
            switch segments.count {
            case 1: self = .nativePredict(model: nil)
            case 2 where !segments[1].isEmpty: self = .nativePredict(model: segments[1])
            default: return nil
            }
        case "v1": self.init(kserveV1: segments.dropFirst())
        case "v2": self.init(openInference: segments.dropFirst())
        case "invocations" where segments.count == 1: self = .mlflowInvocations
        case "ping" where segments.count == 1: self = .mlflowPing
        case "health" where segments.count == 1: self = .mlflowHealth
        case "version" where segments.count == 1: self = .mlflowVersion
        case "metrics" where segments.count == 1: self = .metrics
        case "openapi.json" where segments.count == 1: self = .openAPI
        default: return nil
        }
    }

    private init?(kserveV1 segments: ArraySlice<String>) {
        let segments = Array(segments)
        guard segments.first == "models" else { return nil }
        switch segments.count {
        case 1:
            self = .kserveV1ModelList
        case 2 where !segments[1].isEmpty:
            let name = segments[1]
            if name.hasSuffix(":predict") {
                let model = String(name.dropLast(":predict".count))
                guard !model.isEmpty else { return nil }
                self = .kserveV1Predict(model: model)
            } else {
                self = .kserveV1ModelStatus(model: name)
            }
        default:
            return nil
        }
    }

    private init?(openInference segments: ArraySlice<String>) {
        let segments = Array(segments)
        if segments.isEmpty || segments == [""] {
            self = .openInferenceServerMetadata
            return
        }
        switch segments[0] {
        case "health" where segments.count == 2:
            switch segments[1] {
            case "live": self = .openInferenceLive
            case "ready": self = .openInferenceReady
            default: return nil
            }
        case "models" where segments.count >= 2 && !segments[1].isEmpty:
            let model = segments[1]
            var rest = segments.dropFirst(2)
            var version: String?
            if rest.first == "versions" {
                guard rest.count >= 2, !rest[rest.startIndex + 1].isEmpty else { return nil }
                version = rest[rest.startIndex + 1]
                rest = rest.dropFirst(2)
            }
            switch Array(rest) {
            case []: self = .openInferenceModelMetadata(model: model, version: version)
            case ["infer"]: self = .openInferenceInfer(model: model, version: version)
            case ["ready"]: self = .openInferenceModelReady(model: model, version: version)
            default: return nil
            }
        default:
            return nil
        }
    }

    /// The methods the endpoint answers; anything else is a 405 that lists them in `Allow`.
    /// GET routes answer HEAD too, as HTTP asks.
    public var allowedMethods: [String] {
        switch self {
        case .nativePredict, .kserveV1Predict, .openInferenceInfer, .mlflowInvocations:
            ["POST"]
        default:
            ["GET", "HEAD"]
        }
    }

    /// Whose error shape and conventions the endpoint follows.
    public var dialect: Dialect {
        switch self {
        case .nativePredict, .metrics, .openAPI: .native
        case .kserveV1Predict, .kserveV1ModelStatus, .kserveV1ModelList: .kserveV1
        case .openInferenceInfer, .openInferenceModelMetadata, .openInferenceModelReady,
            .openInferenceServerMetadata, .openInferenceLive, .openInferenceReady:
            .openInference
        case .mlflowInvocations, .mlflowPing, .mlflowHealth, .mlflowVersion: .mlflow
        }
    }

    /// A short fixed name for metrics and logs; never client text.
    public var label: String {
        switch self {
        case .nativePredict: "predict"
        case .kserveV1Predict: "v1_predict"
        case .kserveV1ModelStatus: "v1_model"
        case .kserveV1ModelList: "v1_models"
        case .openInferenceInfer: "v2_infer"
        case .openInferenceModelMetadata: "v2_model"
        case .openInferenceModelReady: "v2_model_ready"
        case .openInferenceServerMetadata: "v2_server"
        case .openInferenceLive: "v2_live"
        case .openInferenceReady: "v2_ready"
        case .mlflowInvocations: "invocations"
        case .mlflowPing: "ping"
        case .mlflowHealth: "health"
        case .mlflowVersion: "version"
        case .metrics: "metrics"
        case .openAPI: "openapi"
        }
    }

    /// Every value ``label`` takes, so that metrics can fix their label set at start.
    public static let labels = [
        "predict", "v1_predict", "v1_model", "v1_models", "v2_infer", "v2_model",
        "v2_model_ready", "v2_server", "v2_live", "v2_ready", "invocations", "ping", "health",
        "version", "metrics", "openapi",
    ]

    /// The model the path names, if any.
    public var modelName: String? {
        switch self {
        case .nativePredict(let model): model
        case .kserveV1Predict(let model), .kserveV1ModelStatus(let model): model
        case .openInferenceInfer(let model, _), .openInferenceModelMetadata(let model, _),
            .openInferenceModelReady(let model, _):
            model
        default: nil
        }
    }
}

/// The HTTP protocols Augur speaks; each has its own error body.
public enum Dialect: String, Sendable {
    /// Augur's own `/predict`, and the operational routes.
    case native
    /// KServe's V1 protocol.
    case kserveV1
    /// The Open Inference Protocol (KServe V2, Triton).
    case openInference
    /// MLflow's scoring server.
    case mlflow
}
