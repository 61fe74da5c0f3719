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
