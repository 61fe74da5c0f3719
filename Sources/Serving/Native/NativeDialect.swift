import Estimators

/// `POST /predict[/{model}]`: Augur's own request and response shapes (PROTOCOLS.md,
/// "Native").
enum NativeDialect {
    static func predict(_ request: HTTPRequest, with served: ServedModel)
        throws(ServingError) -> (response: HTTPResponse, result: InferenceResult)
    {
        try ContentType.requireJSON(request.contentType)
        let decoded = try NativeRequest.decode(request.body, for: served)
        let result = try InferenceResult.compute(decoded.inference, with: served)
        let body = NativeResponse.encode(result, isSingleRow: decoded.isSingleRow)
        return (HTTPResponse(status: 200, body: body), result)
    }
}
