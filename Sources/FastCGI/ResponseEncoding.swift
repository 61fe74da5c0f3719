import Serving

/// The pure half of writing a response: the CGI-style head libfcgi forwards to the web server,
/// and the JSON errors the transport itself answers with.
package enum ResponseEncoding {
    /// The head for `response`: `Status`, `Content-Type`, `Content-Length`, the extra headers,
    /// then the blank line.
    ///
    /// `Content-Type` defaults to `application/json`; a handler's own `Content-Type` replaces
    /// it (for example Prometheus text). `Status` and `Content-Length` from the handler are
    /// ignored, since the transport writes them, and any header that could break the head
    /// (CR, LF or NUL in it, or a name that is not an HTTP token) is dropped.
    package static func head(for response: HTTPResponse) -> [UInt8] {
        let status = (100...999).contains(response.status) ? response.status : 500
        let reason =
            status == response.status
            ? response.reasonPhrase : HTTPResponse(status: 500, body: []).reasonPhrase
        // Built as bytes: this runs for every answer, and string interpolation allocates.
        var head: [UInt8] = []
        head.reserveCapacity(128)
        head.append(contentsOf: "Status: ".utf8)
        appendDecimal(status, to: &head)
        head.append(0x20)
        head.append(contentsOf: reason.utf8)
        head.append(contentsOf: "\r\nContent-Type: ".utf8)
        var contentType: String?
        for header in response.headers
        where ASCIICase.equals(header.name.utf8, "content-type") && isSafe(header) {
            contentType = header.value
        }
        head.append(contentsOf: (contentType ?? "application/json").utf8)
        head.append(contentsOf: "\r\nContent-Length: ".utf8)
        appendDecimal(response.body.count, to: &head)
        head.append(contentsOf: "\r\n".utf8)
        for header in response.headers where isSafe(header) {
            let name = header.name.utf8
            // The transport writes these itself, above.
            guard !ASCIICase.equals(name, "status"), !ASCIICase.equals(name, "content-length"),
                !ASCIICase.equals(name, "content-type")
            else { continue }
            head.append(contentsOf: header.name.utf8)
            head.append(contentsOf: ": ".utf8)
            head.append(contentsOf: header.value.utf8)
            head.append(contentsOf: "\r\n".utf8)
        }
        head.append(contentsOf: "\r\n".utf8)
        return head
    }

    /// Appends `value` (not negative) in decimal.
    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &bytes) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// The 413 for a body over the limit. `byteCount` is nil when the body had no length and
    /// was found too large while reading.
    /// `path` picks the error shape: MLflow's on `/invocations`, Augur's elsewhere.
    package static func bodyTooLarge(byteCount: Int?, limit: Int, path: String = "/")
        -> HTTPResponse
    {
        let size = byteCount.map { "\($0) bytes" } ?? "more than \(limit) bytes"
        return ServingError(
            .bodyTooLarge,
            "request body is \(size); the limit is \(limit) bytes (--max-body-bytes)"
        ).response(in: Route(path: path)?.dialect ?? .native)
    }

    /// The 400 for a `CONTENT_LENGTH` that is not a byte count.
    package static func invalidContentLength(_ value: String) -> HTTPResponse {
        let shown =
            value.utf8.count <= 32
            ? value : String(decoding: value.utf8.prefix(32), as: UTF8.self) + "…"
        return jsonError(
            status: 400,
            message: "Content-Length \(shown) is not a byte count",
            code: "invalid_content_length"
        )
    }

    /// The 400 for a body that ended before its announced length.
    package static func incompleteBody(received: Int, expected: Int) -> HTTPResponse {
        jsonError(
            status: 400,
            message: "request body ended after \(received) of \(expected) bytes",
            code: "incomplete_body"
        )
    }

    /// `{"error": message, "code": code}` with `message` escaped as a JSON string.
    package static func jsonError(status: Int, message: String, code: String) -> HTTPResponse {
        let body = "{\"error\": \(jsonString(message)), \"code\": \(jsonString(code))}"
        return HTTPResponse(status: status, body: Array(body.utf8))
    }

    /// A JSON string literal for `text` (see `JSONWriter.stringLiteral`).
    package static func jsonString(_ text: String) -> String {
        String(decoding: JSONWriter.stringLiteral(text), as: UTF8.self)
    }

    private static func isSafe(_ header: (name: String, value: String)) -> Bool {
        guard !header.name.isEmpty, header.name.utf8.allSatisfy(isTokenByte) else { return false }
        return !header.value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
