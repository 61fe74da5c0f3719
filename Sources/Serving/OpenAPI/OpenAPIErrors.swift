/// The error responses of the document: every status a route can answer, with the body of
/// the dialect that answers it, or of nginx or the FastCGI transport when they answer first.
enum OpenAPIErrors {
    /// Every error status any route answers.
    static let statuses = [400, 403, 404, 405, 413, 415, 422, 500, 502, 503, 504]

    /// The statuses an MLflow route can answer in MLflow's body: the dialect's own, and
    /// nginx's answers for `/invocations` (405, 413, 500, 502, 504).
    static let mlflowStatuses = statuses.filter { $0 != 403 }

    /// Codes that layers in front of `Serving` write in the native shape: the FastCGI
    /// transport (`ResponseEncoding`: unreadable lengths, bodies over the limit) and nginx
    /// (`nginx/augur.conf`: local-only routes, its own failures and timeouts).
    static let frontEndCodes: [Int: [String]] = [
        400: ["invalid_content_length", "incomplete_body"],
        403: ["forbidden"],
        404: ["not_found"],
        405: ["method_not_allowed"],
        413: ["body_too_large"],
        500: ["internal_error"],
        502: ["upstream_unavailable"],
        504: ["upstream_timeout"],
    ]

    /// Statuses that only nginx answers.
    static let nginxOnly: Set<Int> = [403, 502, 504]

    static func description(status: Int) -> String {
        switch status {
        case 400: "The body is not valid JSON (or CSV), or not of this endpoint's shape."
        case 403: "nginx answers this route to local addresses only."
        case 404: "No such model (the message lists the served ones) or version."
        case 405: "Another method than the endpoint's; `Allow` lists the right ones."
        case 413: "The body is over the limit (64 MiB)."
        case 415: "The Content-Type is not one the endpoint reads."
        case 422:
            """
            Valid input that does not fit the model: feature count or names, a value of the \
            wrong type, an output the model lacks, no rows, or a row the model refuses.
            """
        case 500: "A bug in Augur; the body carries no internals."
        case 502: "nginx: the model server is unavailable."
        case 503: "The model or server is not ready."
        case 504: "nginx: the model server did not answer in time."
        default: "Error."
        }
    }

    /// The codes a native, KServe V1 or Open Inference error body carries with `status`.
    static func codes(status: Int) -> [String] {
        let own = ServingError.Code.allCases.filter { $0.status == status }.map(\.rawValue)
        let front = (frontEndCodes[status] ?? []).filter { !own.contains($0) }
        return own + front
    }

    /// `{"error": message, "code": code}`, the code one of those `status` can carry.
    static func errorSchema(status: Int) -> OpenAPIValue {
        [
            "type": "object",
            "required": ["error", "code"],
            "properties": [
                "error": [
                    "description": "What went wrong and what to change.",
                    "type": "string",
                ],
                "code": ["type": "string", "enum": OpenAPISchemas.strings(codes(status: status))],
            ],
            "additionalProperties": false,
        ]
    }

    /// MLflow's `{"error_code": ..., "message": ...}`; nginx says TEMPORARILY_UNAVAILABLE
    /// for its 502 and 504 on `/invocations`.
    static func mlflowErrorSchema(status: Int) -> OpenAPIValue {
        let code = ServingError.Code.allCases.first { $0.status == status }
        let name =
            code.map { ServingError($0, "").mlflowErrorCode }
            ?? (nginxOnly.contains(status) ? "TEMPORARILY_UNAVAILABLE" : "BAD_REQUEST")
        return [
            "type": "object",
            "required": ["error_code", "message"],
            "properties": [
                "error_code": ["type": "string", "const": .string(name)],
                "message": ["type": "string"],
            ],
            "additionalProperties": false,
        ]
    }

    /// The response object for `status` on a route of `dialect`.
    ///
    /// MLflow routes answer in MLflow's shape, except where the FastCGI transport, or nginx
    /// on a route other than `/invocations`, answers before the dialect is reached (a 400
    /// for a broken body length, a 413, a 500, a 502 or 504): those bodies are native, so
    /// the schema takes either.
    static func response(status: Int, dialect: Dialect, allowedMethods: [String]) -> OpenAPIValue {
        let native = OpenAPISchemas.ref("Error\(status)")
        let schema: OpenAPIValue
        if dialect != .mlflow || !mlflowStatuses.contains(status) {
            schema = native
        } else if frontEndCodes[status] != nil {
            schema = ["anyOf": [OpenAPISchemas.ref("MLflowError\(status)"), native]]
        } else {
            schema = OpenAPISchemas.ref("MLflowError\(status)")
        }
        var response: OpenAPIValue = [
            "description": .string(description(status: status)),
            "content": ["application/json": ["schema": schema]],
        ]
        if status == 405 {
            response = response.adding([
                (
                    "headers",
                    [
                        "Allow": [
                            "description": .string(
                                "The methods the endpoint answers: "
                                    + allowedMethods.joined(separator: ", ")
                            ),
                            "schema": ["type": "string"],
                        ]
                    ]
                )
            ])
        }
        return response
    }
}
