/// A request that cannot be answered with a prediction, as the client will see it.
///
/// Each case of ``Code`` fixes the HTTP status; the message says what to change, and
/// never carries internals or an echo of the whole input.
public struct ServingError: Error, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case invalidJSON = "invalid_json"
        /// A `text/csv` body that RFC 4180 does not allow (an unclosed quote, a ragged line).
        case invalidCSV = "invalid_csv"
        case emptyBody = "empty_body"
        case badRequest = "bad_request"
        case featureCount = "feature_count"
        case featureNames = "feature_names"
        case valueType = "value_type"
        case unknownOutput = "unknown_output"
        /// A well-formed body with no rows in it.
        case emptyBatch = "empty_batch"
        /// A row the model refuses: a missing value it cannot take, an unknown category.
        case invalidRow = "invalid_row"
        case modelNotFound = "model_not_found"
        case routeNotFound = "not_found"
        case methodNotAllowed = "method_not_allowed"
        case unsupportedMediaType = "unsupported_media_type"
        case bodyTooLarge = "body_too_large"
        case modelNotReady = "model_not_ready"
        case internalError = "internal_error"
        /// More rows than `--max-rows`.
        case tooManyRows = "too_many_rows"
        /// JSON nested deeper than `--max-json-depth`.
        case nestingTooDeep = "nesting_too_deep"
        /// A string or CSV cell longer than `--max-string-bytes`.
        case stringTooLong = "string_too_long"
        /// The request ran past `--request-timeout`.
        case deadlineExceeded = "deadline_exceeded"

        public var status: Int {
            switch self {
            case .invalidJSON, .emptyBody, .badRequest, .nestingTooDeep: 400
            case .invalidCSV: 400
            case .modelNotFound, .routeNotFound: 404
            case .methodNotAllowed: 405
            case .bodyTooLarge, .tooManyRows, .stringTooLong: 413
            case .unsupportedMediaType: 415
            case .featureCount, .featureNames, .valueType, .unknownOutput, .invalidRow,
                .emptyBatch:
                422
            case .internalError: 500
            case .modelNotReady, .deadlineExceeded: 503
            }
        }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// The error body in `dialect`'s shape: `{"error": message, "code": code}` for Augur's
    /// own routes, KServe V1 and V2 (whose clients read `error` and ignore the rest), and
    /// MLflow's `{"error_code": "BAD_REQUEST", "message": message}`.
    public func body(in dialect: Dialect = .native) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        switch dialect {
        case .native, .kserveV1, .openInference:
            writer.key("error")
            writer.string(message)
            writer.key("code")
            writer.string(code.rawValue)
        case .mlflow:
            writer.key("error_code")
            writer.string(mlflowErrorCode)
            writer.key("message")
            writer.string(message)
        }
        writer.endObject()
        return writer.finish()
    }

    /// The name MLflow's scoring server gives this kind of error.
    var mlflowErrorCode: String {
        switch code.status {
        case 404: "RESOURCE_DOES_NOT_EXIST"
        case 500: "INTERNAL_ERROR"
        case 503: "TEMPORARILY_UNAVAILABLE"
        default: "BAD_REQUEST"
        }
    }

    /// The whole response in `dialect`'s shape. A 405 lists `allowedMethods` in `Allow`.
    public func response(in dialect: Dialect = .native, allowedMethods: [String] = ["POST"])
        -> HTTPResponse
    {
        var headers: [(name: String, value: String)] = []
        if code == .methodNotAllowed {
            headers.append(("Allow", allowedMethods.joined(separator: ", ")))
        }
        return HTTPResponse(status: code.status, headers: headers, body: body(in: dialect))
    }
}

extension ServingError {
    /// Refuses a body of nothing but whitespace with 400 `empty_body`; `hint` says what
    /// to send instead.
    static func requireBody(_ body: [UInt8], hint: String) throws(ServingError) {
        guard body.contains(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) else {
            throw ServingError(.emptyBody, "empty body; \(hint)")
        }
    }
}
