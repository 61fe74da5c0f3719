import FastCGI
import Testing

@Suite struct RequestTranslationTests {
    private func request(_ parameters: [String: String], body: [UInt8] = []) -> (
        method: String, path: String, contentType: String?, requestID: String?, body: [UInt8]
    ) {
        let request = RequestTranslation.httpRequest(parameter: { parameters[$0] }, body: body)
        return (request.method, request.path, request.contentType, request.requestID, request.body)
    }

    @Test func mapsNginxParametersToTheRequest() {
        let mapped = request(
            [
                "REQUEST_METHOD": "POST",
                "DOCUMENT_URI": "/v1/models/iris:predict",
                "REQUEST_URI": "/v1/models/iris:predict?verbose=1",
                "CONTENT_TYPE": "application/json",
                "REQUEST_ID": "abc123",
            ],
            body: [1, 2, 3]
        )
        #expect(mapped.method == "POST")
        #expect(mapped.path == "/v1/models/iris:predict")
        #expect(mapped.contentType == "application/json")
        #expect(mapped.requestID == "abc123")
        #expect(mapped.body == [1, 2, 3])
    }

    @Test func fallsBackToRequestURICutAtTheQuery() {
        #expect(request(["REQUEST_URI": "/predict?x=1?y"]).path == "/predict")
        #expect(request(["REQUEST_URI": "/predict"]).path == "/predict")
        #expect(request(["DOCUMENT_URI": "", "REQUEST_URI": "/a?b"]).path == "/a")
    }

    @Test func usesSlashWhenNoPathIsSent() {
        #expect(request([:]).path == "/")
        #expect(request(["REQUEST_URI": "?only=query"]).path == "/")
    }

    @Test func treatsEmptyParametersAsAbsent() {
        let mapped = request(["REQUEST_METHOD": "GET", "CONTENT_TYPE": "", "REQUEST_ID": ""])
        #expect(mapped.contentType == nil)
        #expect(mapped.requestID == nil)
    }

    @Test func takesTheRequestIDFromTheHeaderWhenNginxSendsNone() {
        #expect(request(["HTTP_X_REQUEST_ID": "from-client"]).requestID == "from-client")
        #expect(
            request(["REQUEST_ID": "nginx", "HTTP_X_REQUEST_ID": "client"]).requestID == "nginx"
        )
    }

    @Test(arguments: [
        ("0", RequestTranslation.BodyPlan.read(byteCount: 0)),
        ("65535", .read(byteCount: 65535)),
        ("65536", .read(byteCount: 65536)),
        ("65537", .read(byteCount: 65537)),
        ("1000", .read(byteCount: 1000)),
        ("1001", .tooLarge(byteCount: 1001)),
        ("99999999999999999999999", .tooLarge(byteCount: Int.max)),
        ("-5", .invalidLength("-5")),
        ("+5", .invalidLength("+5")),
        ("12abc", .invalidLength("12abc")),
        (" 12", .invalidLength(" 12")),
    ])
    func plansTheBodyFromContentLength(text: String, plan: RequestTranslation.BodyPlan) {
        let limit = text.hasPrefix("6553") ? 1 << 20 : 1000
        #expect(RequestTranslation.bodyPlan(contentLength: text, maxBodyBytes: limit) == plan)
    }

    @Test func readsToTheEndWhenNoLengthIsSent() {
        #expect(RequestTranslation.bodyPlan(contentLength: nil, maxBodyBytes: 10) == .readUntilEnd)
        #expect(RequestTranslation.bodyPlan(contentLength: "", maxBodyBytes: 10) == .readUntilEnd)
    }
}
