import Estimators

/// `POST /predict[/{model}]`: Augur's own request and response shapes (PROTOCOLS.md,
/// "Native"), from a JSON body or a `text/csv` one.
enum NativeDialect {
    static func predict(_ request: HTTPRequest, with served: ServedModel, budget: RequestBudget)
        throws(ServingError) -> (response: HTTPResponse, result: InferenceResult)
    {
        let inference: InferenceRequest
        var isSingleRow = false
        switch ContentType(request.contentType) {
        case .json:
            let decoded = try NativeRequest.decode(request.body, for: served, limits: budget.limits)
            inference = decoded.inference
            isSingleRow = decoded.isSingleRow
        case .csv:
            // CSV has no place to name outputs: the model's default one, a list per row.
            let rows = try CSVBody.decode(
                request.body,
                contentType: request.contentType,
                for: served,
                header: .detect,
                limits: budget.limits
            )
            inference = InferenceRequest(rows: rows, outputs: served.defaultOutputs)
        case .other:
            throw ServingError(
                .unsupportedMediaType,
                "Content-Type must be application/json or text/csv"
            )
        }
        let result = try InferenceResult.compute(inference, with: served, budget: budget)
        let body = NativeResponse.encode(result, isSingleRow: isSingleRow)
        return (HTTPResponse(status: 200, body: body), result)
    }
}
