import Foundation
import TestSupport
import Testing

/// Case C29 of cases.md through real nginx: a wrong method on any route that predicts is a
/// 405 with `Allow: POST` and a JSON body (none for HEAD), never a 404 or 502; read-only
/// routes answer GET, and a method they lack gets 405 listing theirs.
@Suite(.serialized, .enabled(if: ServedStack.isAvailable, "needs nginx and a built augur"))
struct MethodsThroughNginxTests {
    static let model = Fixtures.packageRoot + "/Tests/Fixtures/served/l4/model.joblib"

    @Test func c29WrongMethodsOnPredictingRoutesAre405WithAllow() throws {
        let stack = try ServedStack(models: [("m", Self.model)])
        defer { stack.stop() }
        let requests = [
            ("GET", "/predict"), ("HEAD", "/predict"), ("PUT", "/predict"),
            ("OPTIONS", "/predict"), ("GET", "/v1/models/m:predict"),
            ("GET", "/v2/models/m/infer"), ("GET", "/v2/models/m/versions/1/infer"),
            ("GET", "/invocations"), ("DELETE", "/predict/m"),
        ]
        for (method, path) in requests {
            let response = try stack.client.send(method, path)
            #expect(response.status == 405, "\(method) \(path)")
            #expect(response.header("Allow") == "POST", "\(method) \(path)")
            if method == "HEAD" {
                #expect(response.body.isEmpty, "\(method) \(path)")
                continue
            }
            let json = try TestJSON.parse(response.body)
            // MLflow's route answers in MLflow's error shape.
            let message = json["error"]?.string ?? json["message"]?.string
            #expect(message?.contains(method) == true, "\(method) \(path): \(response.text)")
        }
    }

    @Test func c29ControlsAnswerGetAndRefuseOtherMethods() throws {
        let stack = try ServedStack(models: [("m", Self.model)])
        defer { stack.stop() }
        for path in [
            "/v2/models/m", "/v2/health/live", "/v2/health/ready", "/v1/models/m", "/ping",
        ] {
            let response = try stack.client.send("GET", path)
            #expect(response.status == 200, "GET \(path): \(response.text)")
            #expect((try? TestJSON.parse(response.body)) != nil, "GET \(path)")
        }
        let post = try stack.client.send("POST", "/v2/models/m", body: Array("{}".utf8))
        #expect(post.status == 405)
        #expect(post.header("Allow") == "GET, HEAD")
        #expect(try TestJSON.parse(post.body)["code"]?.string == "method_not_allowed")
    }

    @Test func l4AnswersAfterTheWrongMethods() throws {
        let stack = try ServedStack(models: [("m", Self.model)])
        defer { stack.stop() }
        _ = try stack.client.send("PUT", "/predict")
        let response = try stack.client.send(
            "POST",
            "/predict",
            body: Array(#"{"instances": [[1, 1, 0, 0], [2, 0, 0, 0]]}"#.utf8)
        )
        #expect(response.status == 200)
        let expected = try TestJSON.parse(
            try Data(
                contentsOf: URL(
                    fileURLWithPath: Fixtures.packageRoot
                        + "/Tests/Fixtures/served/l4/expected.json"
                )
            ).map { $0 }
        )
        let recorded = expected["requests"]?.array?.first?["predict"]
        #expect(try TestJSON.parse(response.body)["predictions"] == recorded)
    }
}

/// What nginx refuses before any location, through real nginx: JSON with the right status,
/// never its HTML page (PROTOCOLS.md: "Every error body is JSON ... nginx's own errors
/// included").
@Suite(.serialized, .enabled(if: ServedStack.isAvailable, "needs nginx and a built augur"))
struct MalformedHTTPThroughNginxTests {
    @Test func nginxRefusalsAreJSON() throws {
        let stack = try ServedStack(models: [("m", MethodsThroughNginxTests.model)])
        defer { stack.stop() }
        let long = String(repeating: "a", count: 9000)
        let requests: [(raw: String, status: Int)] = [
            ("GET /\(long) HTTP/1.1\r\nHost: x\r\n\r\n", 414),
            ("GET /predict/%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            ("GET /../x HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            (
                "GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 10_000))\r\n\r\n",
                400
            ),
            ("GET /ping HTTP/1.1\r\n\r\n", 400),
            ("garbage\r\n\r\n", 400),
            ("GET /ping HTTP/2.0\r\nHost: x\r\n\r\n", 505),
            (
                "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
                400
            ),
            ("POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n{}", 501),
            ("GET /_augur_errors/400 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404),
        ]
        for (raw, status) in requests {
            let response = try stack.client.sendRaw(Array(raw.utf8))
            let shown = String(raw.prefix(40))
            #expect(response.status == status, "\(shown)")
            #expect(response.header("Content-Type") == "application/json", "\(shown)")
            #expect(try TestJSON.parse(response.body)["error"]?.string != nil, "\(shown)")
        }
    }

    @Test func traceGetsTheRoutesOwnAllowAndShape() throws {
        let stack = try ServedStack(models: [("m", MethodsThroughNginxTests.model)])
        defer { stack.stop() }
        let cases: [(path: String, allow: String, mlflow: Bool)] = [
            ("/predict", "POST", false), ("/v2/models/m/infer", "POST", false),
            ("/invocations", "POST", true), ("/ping", "GET, HEAD", false),
            ("/v2/health/live", "GET, HEAD", false),
        ]
        for (path, allow, mlflow) in cases {
            let response = try stack.client.send("TRACE", path, headers: [])
            #expect(response.status == 405, "\(path)")
            #expect(response.header("Allow") == allow, "\(path)")
            let json = try TestJSON.parse(response.body)
            #expect((json["error_code"]?.string == "BAD_REQUEST") == mlflow, "\(path)")
        }
    }
}
