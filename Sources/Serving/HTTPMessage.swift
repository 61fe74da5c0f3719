/// An HTTP request as the front end (nginx, through FastCGI) hands it to Augur.
///
/// `Serving` never sees sockets: the FastCGI layer fills this in from the request's
/// parameters and body, and tests build it directly.
public struct HTTPRequest: Sendable {
    /// `REQUEST_METHOD`, upper case.
    public var method: String
    /// The path without the query string (`DOCUMENT_URI`, or `REQUEST_URI` cut at `?`).
    public var path: String
    /// `CONTENT_TYPE`, if the client sent one.
    public var contentType: String?
    /// nginx's `$request_id`, when the front end passes it, for logs.
    public var requestID: String?
    /// The whole request body.
    public var body: [UInt8]

    public init(
        method: String,
        path: String,
        contentType: String? = nil,
        requestID: String? = nil,
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.contentType = contentType
        self.requestID = requestID
        self.body = body
    }
}

/// The answer to an `HTTPRequest`: status, extra headers and body.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Headers besides `Status` and `Content-Length`, which the transport writes itself.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The reason phrase sent after the status code.
    public var reasonPhrase: String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 413: "Payload Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
