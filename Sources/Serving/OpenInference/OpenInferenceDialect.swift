import Estimators

/// The Open Inference Protocol (KServe V2, Triton's HTTP API): infer, health, readiness
/// and metadata (PROTOCOLS.md, "Open Inference Protocol (V2)").
enum OpenInferenceDialect {
    static func respond(
        _ route: Route,
        _ request: HTTPRequest,
        _ catalog: ModelCatalog,
        budget: RequestBudget,
        generation: Int? = nil,
        summary: inout PredictionService.Summary
    ) throws(ServingError) -> HTTPResponse {
        switch route {
        case .openInferenceInfer(let name, let version):
            let served = try catalog.model(named: name, version: version)
            summary.model = served.name
            try ContentType.requireJSON(request.contentType)
            let decoded = try InferRequest.decode(request.body, for: served, limits: budget.limits)
            let result = try InferenceResult.compute(
                decoded.inference,
                with: served,
                budget: budget
            )
            summary.rows = result.rowCount
            return HTTPResponse(status: 200, body: InferResponse.encode(result, id: decoded.id))
        case .openInferenceModelMetadata(let name, let version):
            let served = try catalog.model(named: name, version: version)
            summary.model = served.name
            return HTTPResponse(
                status: 200,
                body: OpenInferenceMetadata.model(
                    served,
                    versions: catalog.versions(of: name),
                    generation: generation
                )
            )
        case .openInferenceModelReady(let name, let version):
            // Models are loaded and checked before a worker starts, so a served one is ready.
            let served = try catalog.model(named: name, version: version)
            summary.model = served.name
            return HTTPResponse(status: 200, body: OpenInferenceMetadata.modelReady(served))
        case .openInferenceServerMetadata:
            return HTTPResponse(status: 200, body: OpenInferenceMetadata.server)
        case .openInferenceLive:
            return HTTPResponse(status: 200, body: OpenInferenceMetadata.flag("live"))
        case .openInferenceReady:
            guard !catalog.names.isEmpty else {
                throw ServingError(.modelNotReady, "no model is loaded")
            }
            return HTTPResponse(status: 200, body: OpenInferenceMetadata.flag("ready"))
        default:
            throw ServingError(.routeNotFound, "no Open Inference route for this path")
        }
    }
}
