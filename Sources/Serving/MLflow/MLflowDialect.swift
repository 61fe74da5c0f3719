import Estimators

/// MLflow's scoring server (PROTOCOLS.md, "MLflow scoring protocol"): `POST /invocations`
/// for the default model, and `GET /ping`, `/health` and `/version`.
enum MLflowDialect {
    static func respond(
        _ route: Route,
        _ request: HTTPRequest,
        _ catalog: ModelCatalog,
        budget: RequestBudget,
        summary: inout PredictionService.Summary
    ) throws(ServingError) -> HTTPResponse {
        switch route {
        case .mlflowInvocations:
            // MLflow's URL names no model: it is the default one (`--default`, or the only one).
            let served = try catalog.model(named: nil)
            summary.model = served.name
            let rows: Matrix
            switch ContentType(request.contentType) {
            case .json:
                rows = try MLflowRequest.decode(
                    request.body,
                    pandasFormat: try MLflowRequest.PandasFormat(contentType: request.contentType),
                    for: served,
                    limits: budget.limits
                )
            case .csv:
                rows = try CSVBody.decode(
                    request.body,
                    contentType: request.contentType,
                    for: served,
                    header: .always,
                    limits: budget.limits
                )
            case .other:
                throw ServingError(
                    .unsupportedMediaType,
                    "Content-Type must be application/json or text/csv"
                )
            }
            let result = try InferenceResult.compute(
                InferenceRequest(rows: rows, outputs: served.defaultOutputs),
                with: served,
                budget: budget
            )
            summary.rows = result.rowCount
            return HTTPResponse(status: 200, body: PredictionsBody.encode(result))
        case .mlflowPing, .mlflowHealth:
            // A worker answers only once its models have loaded, so it is always healthy.
            return HTTPResponse(status: 200, body: PredictionsBody.object([("status", "ok")]))
        case .mlflowVersion:
            return HTTPResponse(
                status: 200,
                body: PredictionsBody.object([("version", AugurVersion.current)])
            )
        default:
            throw ServingError(.routeNotFound, "no MLflow route for this path")
        }
    }
}
