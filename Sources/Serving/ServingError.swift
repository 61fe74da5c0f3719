/// A request that cannot be answered with a prediction, as the client will see it.
///
/// Each case of ``Code`` fixes the HTTP status; the message says what to change, and
/// never carries internals or an echo of the whole input.
public struct ServingError: Error, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidJSON = "invalid_json"
        case emptyBody = "empty_body"
        case badRequest = "bad_request"
        case featureCount = "feature_count"
        case featureNames = "feature_names"
        case valueType = "value_type"
        case unknownOutput = "unknown_output"
        /// A row the model refuses: a missing value it cannot take, an unknown category.
        case invalidRow = "invalid_row"
        case modelNotFound = "model_not_found"
        case routeNotFound = "not_found"
        case methodNotAllowed = "method_not_allowed"
        case unsupportedMediaType = "unsupported_media_type"
        case bodyTooLarge = "body_too_large"
        case internalError = "internal_error"

        public var status: Int {
            switch self {
            case .invalidJSON, .emptyBody, .badRequest: 400
            case .modelNotFound, .routeNotFound: 404
            case .methodNotAllowed: 405
            case .bodyTooLarge: 413
            case .unsupportedMediaType: 415
            case .featureCount, .featureNames, .valueType, .unknownOutput, .invalidRow: 422
            case .internalError: 500
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

    /// The JSON body `{"error": message, "code": code}`.
    public var body: [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("error")
        writer.string(message)
        writer.key("code")
        writer.string(code.rawValue)
        writer.endObject()
        return writer.finish()
    }

    public var response: HTTPResponse {
        var headers: [(name: String, value: String)] = []
        if code == .methodNotAllowed { headers.append(("Allow", "POST")) }
        return HTTPResponse(status: code.status, headers: headers, body: body)
    }
}
