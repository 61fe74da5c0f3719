import Estimators

/// Answers HTTP requests for a fixed set of models: routing, method and content-type
/// checks, decoding, prediction and encoding. It holds no sockets, so tests drive it in
/// memory and the FastCGI layer calls it from any thread.
public struct PredictionService: Sendable {
    public let models: [String: ServedModel]
    /// The model that `POST /predict` serves.
    public let defaultModelName: String?
    /// The served names, quoted and sorted, for 404 messages: made once, not per request.
    private let modelList: String

    /// - Parameter defaultModel: the model for `/predict`; when nil, the only model if
    ///   there is one.
    public init(models: [ServedModel], defaultModel: String? = nil) {
        self.models = Dictionary(models.map { ($0.name, $0) }) { first, _ in first }
        modelList = self.models.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
        if let defaultModel {
            defaultModelName = defaultModel
        } else {
            defaultModelName = models.count == 1 ? models[0].name : nil
        }
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        do {
            return try route(request)
        } catch {
            return error.response
        }
    }

    private func route(_ request: HTTPRequest) throws(ServingError) -> HTTPResponse {
        let path = request.path
        guard path == "/predict" || path.hasPrefix("/predict/") else {
            throw ServingError(.routeNotFound, "no route for this path; POST to /predict")
        }
        guard request.method == "POST" else {
            throw ServingError(
                .methodNotAllowed,
                "method \(request.method.prefix(16)) is not allowed; use POST"
            )
        }
        let served = try model(named: path == "/predict" ? nil : String(path.dropFirst(9)))
        try checkContentType(request.contentType)
        let decoded = try NativeRequest.decode(request.body, for: served)
        return HTTPResponse(
            status: 200,
            body: try NativeResponse.encode(decoded, model: served.model)
        )
    }

    private func model(named name: String?) throws(ServingError) -> ServedModel {
        guard let name = name ?? defaultModelName else {
            throw ServingError(
                .modelNotFound,
                "several models are served; POST to /predict/NAME with one of \(modelList)"
            )
        }
        guard let served = models[name] else {
            let shown = name.count <= 64 ? name : String(name.prefix(64)) + "…"
            throw ServingError(.modelNotFound, "no model named '\(shown)'; models: \(modelList)")
        }
        return served
    }

    /// JSON bodies only; a missing type is read as JSON, since many clients omit it.
    private func checkContentType(_ contentType: String?) throws(ServingError) {
        guard let contentType, !contentType.isEmpty else { return }
        let mediaType = contentType.split(separator: ";", maxSplits: 1)[0]
            .trimmingSpaces().lowercased()
        guard mediaType == "application/json" || mediaType.hasSuffix("+json") else {
            throw ServingError(.unsupportedMediaType, "Content-Type must be application/json")
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
