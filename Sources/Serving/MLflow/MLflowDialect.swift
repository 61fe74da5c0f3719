/// Placeholder while the dialect is built: every route answers 404.
enum MLflowDialect {
    static func respond(
        _ route: Route,
        _ request: HTTPRequest,
        _ catalog: ModelCatalog,
        summary: inout PredictionService.Summary
    ) throws(ServingError) -> HTTPResponse {
        throw ServingError(.routeNotFound, "this dialect is not served yet")
    }
}
