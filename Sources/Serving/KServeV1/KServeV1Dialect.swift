import Estimators

/// KServe's V1 protocol (PROTOCOLS.md, "KServe V1"): `POST /v1/models/{m}:predict`,
/// `GET /v1/models/{m}` and `GET /v1/models`.
enum KServeV1Dialect {
    static func respond(
        _ route: Route,
        _ request: HTTPRequest,
        _ catalog: ModelCatalog,
        budget: RequestBudget,
        summary: inout PredictionService.Summary
    ) throws(ServingError) -> HTTPResponse {
        switch route {
        case .kserveV1Predict(let name):
            let served = try catalog.model(named: name)
            summary.model = served.name
            try ContentType.requireJSON(request.contentType)
            let decoded = try KServeV1Request.decode(
                request.body,
                for: served,
                limits: budget.limits
            )
            let result = try InferenceResult.compute(decoded, with: served, budget: budget)
            summary.rows = result.rowCount
            return HTTPResponse(status: 200, body: PredictionsBody.encode(result))
        case .kserveV1ModelStatus(let name):
            let served = try catalog.model(named: name)
            summary.model = served.name
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("name")
            writer.string(served.name)
            writer.key("ready")
            // A worker answers only once every model has loaded.
            writer.bool(true)
            writer.endObject()
            return HTTPResponse(status: 200, body: writer.finish())
        case .kserveV1ModelList:
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("models")
            writer.beginArray()
            for name in catalog.names { writer.string(name) }
            writer.endArray()
            writer.endObject()
            return HTTPResponse(status: 200, body: writer.finish())
        default:
            throw ServingError(.routeNotFound, "no KServe V1 route for this path")
        }
    }
}
