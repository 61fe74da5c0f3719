import FastCGI
import Serving
import Testing

@Suite struct ResponseEncodingTests {
    private func head(_ response: HTTPResponse) -> String {
        String(decoding: ResponseEncoding.head(for: response), as: UTF8.self)
    }

    @Test func writesStatusTypeLengthThenABlankLine() {
        let response = HTTPResponse(status: 200, body: Array("{}".utf8))
        #expect(
            head(response)
                == "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n"
        )
    }

    @Test func appendsExtraHeadersInOrder() {
        let response = HTTPResponse(
            status: 405,
            headers: [("Allow", "POST"), ("X-Request-Id", "r1")],
            body: []
        )
        #expect(
            head(response)
                == "Status: 405 Method Not Allowed\r\nContent-Type: application/json\r\n"
                + "Content-Length: 0\r\nAllow: POST\r\nX-Request-Id: r1\r\n\r\n"
        )
    }

    @Test func letsTheHandlerChooseTheContentType() {
        let response = HTTPResponse(
            status: 200,
            headers: [("content-type", "text/plain; version=0.0.4")],
            body: Array("a 1\n".utf8)
        )
        #expect(head(response).contains("Content-Type: text/plain; version=0.0.4\r\n"))
        #expect(!head(response).contains("application/json"))
    }

    @Test func ignoresStatusAndLengthFromTheHandlerAndUnsafeHeaders() {
        let response = HTTPResponse(
            status: 200,
            headers: [
                ("Status", "500 Oops"), ("Content-Length", "99"), ("X-Bad", "a\r\nSet-Cookie: x"),
                ("Bad Name", "v"), ("", "v"), ("X-Nul", "a\u{0}b"), ("X-Good", "ok"),
            ],
            body: Array("abc".utf8)
        )
        #expect(
            head(response)
                == "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: 3\r\n"
                + "X-Good: ok\r\n\r\n"
        )
    }

    @Test func turnsAnImpossibleStatusInto500() {
        #expect(
            head(HTTPResponse(status: 42, body: [])).hasPrefix(
                "Status: 500 Internal Server Error\r\n"
            )
        )
        #expect(head(HTTPResponse(status: 1000, body: [])).hasPrefix("Status: 500 "))
    }

    @Test func answersTooLargeBodiesWithJSON() {
        let response = ResponseEncoding.bodyTooLarge(byteCount: 70_000_000, limit: 67_108_864)
        #expect(response.status == 413)
        #expect(
            String(decoding: response.body, as: UTF8.self)
                == #"{"error":"request body is 70000000 bytes; the limit is 67108864 bytes "#
                + #"(--max-body-bytes)","code":"body_too_large"}"# + "\n"
        )
        let unknown = ResponseEncoding.bodyTooLarge(byteCount: nil, limit: 10)
        #expect(String(decoding: unknown.body, as: UTF8.self).contains("more than 10 bytes"))
    }

    /// MLflow's route answers in MLflow's error shape, from the transport too.
    @Test func tooLargeBodiesOnInvocationsAreInMLflowsShape() {
        let response = ResponseEncoding.bodyTooLarge(
            byteCount: 1001,
            limit: 1000,
            path: "/invocations"
        )
        #expect(response.status == 413)
        #expect(
            String(decoding: response.body, as: UTF8.self)
                == #"{"error_code":"BAD_REQUEST","message":"request body is 1001 bytes; "#
                + #"the limit is 1000 bytes (--max-body-bytes)"}"# + "\n"
        )
    }

    @Test func escapesJSONStrings() {
        #expect(ResponseEncoding.jsonString("a\"b\\c\nd\u{1}") == #""a\"b\\c\nd\u0001""#)
        #expect(ResponseEncoding.jsonString("é") == "\"é\"")
    }

    @Test func reportsBadAndIncompleteBodies() {
        let invalid = ResponseEncoding.invalidContentLength("\"-1")
        #expect(invalid.status == 400)
        #expect(
            String(decoding: invalid.body, as: UTF8.self)
                == #"{"error": "Content-Length \"-1 is not a byte count", "code": "invalid_content_length"}"#
        )
        let incomplete = ResponseEncoding.incompleteBody(received: 3, expected: 10)
        #expect(incomplete.status == 400)
        #expect(String(decoding: incomplete.body, as: UTF8.self).contains("after 3 of 10 bytes"))
    }
}
