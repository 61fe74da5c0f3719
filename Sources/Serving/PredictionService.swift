import Estimators

/// Answers HTTP requests for a fixed set of models: routing, method and content-type
/// checks, then the dialect the route belongs to. It holds no sockets, so tests drive it in
/// memory and the FastCGI layer calls it from any thread.
public struct PredictionService: Sendable {
    public let catalog: ModelCatalog
    /// Renders `GET /metrics`; nil when the worker keeps no metrics (tests, `augur predict`).
    public let metricsText: (@Sendable () -> String)?
    /// `GET /openapi.json`, made once: it lists the catalog's model names.
    let openAPIDocument: [UInt8]
    /// Rows, nesting, string length and deadline of each request.
    public let limits: ServingLimits
    /// Which load of the models this is (1 at start, one more per reload), shown in V2
    /// model metadata; nil when the models are never reloaded (tests, `augur predict`).
    public let generation: Int?

    /// - Parameters:
    ///   - defaultModel: the model for `/predict`; when nil, the only model if there is one.
    ///   - generation: the load these models come from, for V2 metadata.
    public init(
        models: [ServedModel],
        defaultModel: String? = nil,
        metricsText: (@Sendable () -> String)? = nil,
        limits: ServingLimits = ServingLimits(),
        generation: Int? = nil
    ) {
        catalog = ModelCatalog(models, defaultModel: defaultModel)
        self.metricsText = metricsText
        self.limits = limits
        self.generation = generation
        openAPIDocument = OpenAPIDocument.json(for: catalog)
    }

    /// What one request did, for metrics and logs. `route` is nil for a path no endpoint has.
    public struct Summary: Sendable {
        public var route: Route?
        /// The model that answered, when the route reached one.
        public var model: String?
        /// Rows predicted; 0 unless the request was answered with predictions.
        public var rows: Int
        /// Why the request was refused, when it was.
        public var error: ServingError.Code?
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        answer(request).response
    }

    /// The response to `request`, and what it did.
    public func answer(_ request: HTTPRequest) -> (response: HTTPResponse, summary: Summary) {
        guard let route = Route(path: request.path) else {
            let error = ServingError(
                .routeNotFound,
                "no route for this path; POST to /predict, or see /openapi.json"
            )
            return (error.response(), Summary(route: nil, model: nil, rows: 0, error: error.code))
        }
        var summary = Summary(route: route, model: nil, rows: 0, error: nil)
        let budget = RequestBudget(limits)
        do throws(ServingError) {
            guard route.allowedMethods.contains(request.method) else {
                throw ServingError(
                    .methodNotAllowed,
                    "method \(request.method.prefix(16)) is not allowed; use "
                        + route.allowedMethods.joined(separator: " or ")
                )
            }
            let response = try dispatch(route, request, budget, summary: &summary)
            return (response, summary)
        } catch {
            summary.error = error.code
            return (
                error.response(in: route.dialect, allowedMethods: route.allowedMethods),
                summary
            )
        }
    }

    private func dispatch(
        _ route: Route,
        _ request: HTTPRequest,
        _ budget: RequestBudget,
        summary: inout Summary
    ) throws(ServingError) -> HTTPResponse {
        switch route {
        case .nativePredict(let name):
            let served = try catalog.model(named: name)
            summary.model = served.name
            let computed = try NativeDialect.predict(request, with: served, budget: budget)
            summary.rows = computed.result.rowCount
            return computed.response
        case .kserveV1Predict, .kserveV1ModelStatus, .kserveV1ModelList:
            return try KServeV1Dialect.respond(
                route,
                request,
                catalog,
                budget: budget,
                summary: &summary
            )
        case .openInferenceInfer, .openInferenceModelMetadata, .openInferenceModelReady,
            .openInferenceServerMetadata, .openInferenceLive, .openInferenceReady:
            return try OpenInferenceDialect.respond(
                route,
                request,
                catalog,
                budget: budget,
                generation: generation,
                summary: &summary
            )
        case .mlflowInvocations, .mlflowPing, .mlflowHealth, .mlflowVersion:
            return try MLflowDialect.respond(
                route,
                request,
                catalog,
                budget: budget,
                summary: &summary
            )
        case .metrics:
            guard let metricsText else {
                throw ServingError(.routeNotFound, "this server keeps no metrics")
            }
            return HTTPResponse(
                status: 200,
                headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                body: Array(metricsText().utf8)
            )
        case .openAPI:
            return HTTPResponse(
                status: 200,
                headers: [("Content-Type", "application/json")],
                body: openAPIDocument
            )
        }
    }
}
