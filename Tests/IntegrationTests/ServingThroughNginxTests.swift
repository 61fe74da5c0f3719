import Foundation
import Synchronization
import TestSupport
import Testing

/// Requests through real nginx to a real `augur serve` pool, compared with what
/// scikit-learn recorded.
@Suite(.serialized, .enabled(if: ServedStack.isAvailable, "needs nginx and a built augur"))
struct ServingThroughNginxTests {
    /// Every recorded case, served under its case name from one format of one version.
    static func fixtureModels(version: String, file: String) -> [(String, String)] {
        ModelFixture.all.filter { $0.version == version && $0.fileName == file }
            .map { ($0.caseName, $0.modelPath) }
    }

    static func body(_ object: [String: Any]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: object))
    }

    @Test(arguments: [("sklearn-1.9.1", "model.joblib"), ("sklearn-1.5.2", "model.p4.pkl")])
    func recordedPredictionsComeBackThroughNginx(version: String, file: String) throws {
        let stack = try ServedStack(models: Self.fixtureModels(version: version, file: file))
        defer { stack.stop() }
        let fixtures = ModelFixture.all.filter { $0.version == version && $0.fileName == file }
        #expect(fixtures.count == 9)
        for fixture in fixtures {
            let input = try fixture.input()
            let expected = try fixture.expected()
            let rows = try #require(input["rows"]?.matrix)
            let isClassifier = expected["predict_proba"] != nil
            let request = try Self.body([
                "instances": rows,
                "outputs": isClassifier ? ["predict", "predict_proba"] : ["predict"],
            ])
            let response = try stack.client.send(
                "POST",
                "/predict/\(fixture.caseName)",
                body: request
            )
            #expect(response.status == 200, "\(fixture): \(response.text)")
            let json = try TestJSON.parse(response.body)
            let predictions = try #require(json["predictions"]?.array)
            let recorded = try #require(expected["predict"]?.array)
            #expect(predictions.count == recorded.count)
            for (actual, wanted) in zip(predictions, recorded) {
                if let wantedNumber = wanted.double, !isClassifier {
                    let value = try #require(actual.double)
                    #expect(
                        fixture.isExact
                            ? value == wantedNumber : Fixtures.close(value, wantedNumber),
                        "\(fixture)"
                    )
                } else {
                    #expect(actual == wanted, "\(fixture)")
                }
            }
            if isClassifier {
                let probabilities = try #require(json["probabilities"]?.matrix)
                let recordedProbabilities = try #require(expected["predict_proba"]?.matrix)
                for (actualRow, wantedRow) in zip(probabilities, recordedProbabilities) {
                    for (actual, wanted) in zip(actualRow, wantedRow) {
                        #expect(
                            fixture.isExact ? actual == wanted : Fixtures.close(actual, wanted),
                            "\(fixture)"
                        )
                    }
                }
                #expect(json["classes"] == expected["classes"])
            }
        }
    }

    @Test func otherMethodsGet405WithAllowAndJSON() throws {
        let stack = try ServedStack(models: [
            ("iris", Fixtures.packageRoot + "/examples/models/iris.joblib")
        ])
        defer { stack.stop() }
        for method in ["GET", "PUT", "DELETE"] {
            let response = try stack.client.send(method, "/predict")
            #expect(response.status == 405, "\(method)")
            #expect(response.header("Allow") == "POST", "\(method)")
            let json = try TestJSON.parse(response.body)
            #expect(json["error"]?.string?.isEmpty == false)
        }
        let head = try stack.client.send("HEAD", "/predict")
        #expect(head.status == 405)
        #expect(head.header("Allow") == "POST")
    }

    @Test func errorsAreJSONWithTheRightStatus() throws {
        let stack = try ServedStack(models: [
            ("iris", Fixtures.packageRoot + "/examples/models/iris.joblib")
        ])
        defer { stack.stop() }
        let malformed = try stack.client.send(
            "POST",
            "/predict",
            body: Array(#"{"features": [1, 2"#.utf8)
        )
        #expect(malformed.status == 400)
        #expect(try TestJSON.parse(malformed.body)["code"]?.string == "invalid_json")
        #expect(malformed.header("Content-Type")?.hasPrefix("application/json") == true)

        let short = try stack.client.send(
            "POST",
            "/predict",
            body: Array(#"{"features": [1, 2]}"#.utf8)
        )
        #expect(short.status == 422)
        #expect(try TestJSON.parse(short.body)["code"]?.string == "feature_count")

        let unknown = try stack.client.send(
            "POST",
            "/predict/nope",
            body: Array(#"{"features": [1, 2, 3, 4]}"#.utf8)
        )
        #expect(unknown.status == 404)
        #expect(try TestJSON.parse(unknown.body)["error"]?.string?.contains("'iris'") == true)

        let noRoute = try stack.client.send("GET", "/nothing-here")
        #expect(noRoute.status == 404)
        #expect((try? TestJSON.parse(noRoute.body)) != nil, "\(noRoute.text)")

        let empty = try stack.client.send("POST", "/predict")
        #expect(empty.status == 400)
        #expect(try TestJSON.parse(empty.body)["code"]?.string == "empty_body")

        let fine = try stack.client.send(
            "POST",
            "/predict",
            body: Array(#"{"features": [5.1, 3.5, 1.4, 0.2]}"#.utf8)
        )
        #expect(fine.status == 200)
        #expect(try TestJSON.parse(fine.body) == .object(["prediction": .number(0, text: "0")]))
    }

    /// nginx splits bodies into FastCGI records of at most 65,535 bytes (or 32 KiB, after its
    /// buffers); bodies around those sizes and of several MB must arrive whole.
    @Test(arguments: [65_535, 65_536, 65_537, 32_768, 32_769, 1_048_577])
    func bodiesOfAnySizeArriveWhole(size: Int) throws {
        let stack = try ServedStack(models: [
            ("iris", Fixtures.packageRoot + "/examples/models/iris.joblib")
        ])
        defer { stack.stop() }
        var body = Array(#"{"features": [5.1, 3.5, 1.4, 0.2]"#.utf8)
        let closing = Array("}".utf8)
        body += [UInt8](repeating: 0x20, count: size - body.count - closing.count) + closing
        #expect(body.count == size)
        let response = try stack.client.send("POST", "/predict", body: body)
        #expect(response.status == 200, "\(response.text)")
        #expect(try TestJSON.parse(response.body) == .object(["prediction": .number(0, text: "0")]))
    }

    @Test func aThreeMegabyteBatchIsAnswered() throws {
        let stack = try ServedStack(models: [
            ("iris", Fixtures.packageRoot + "/examples/models/iris.joblib")
        ])
        defer { stack.stop() }
        let row = "[5.123456789012345,3.512345678901234,1.412345678901234,0.212345678901234]"
        var rows: [String] = []
        while rows.count * (row.count + 1) < 3_000_000 { rows.append(row) }
        let body = Array(("{\"instances\": [" + rows.joined(separator: ",") + "]}").utf8)
        #expect(body.count > 3_000_000)
        let response = try stack.client.send("POST", "/predict", body: body)
        #expect(response.status == 200)
        let predictions = try #require(try TestJSON.parse(response.body)["predictions"]?.array)
        #expect(predictions.count == rows.count)
        #expect(predictions.allSatisfy { $0 == .number(0, text: "0") })
    }

    @Test func bodiesOverTheLimitGetJSON413() throws {
        let stack = try ServedStack(models: [
            ("iris", Fixtures.packageRoot + "/examples/models/iris.joblib")
        ])
        defer { stack.stop() }
        let body = [UInt8](repeating: 0x20, count: 64 * 1_048_576 + 1)
        let response = try stack.client.send("POST", "/predict", body: body)
        #expect(response.status == 413)
        #expect(
            (try? TestJSON.parse(response.body))?["error"] != nil,
            "\(response.text.prefix(200))"
        )
    }

    /// With one worker of four threads, nginx's kept connections must not pin every
    /// thread: concurrent requests beyond the kept ones must still be answered at once.
    @Test func oneWorkerAnswersConcurrentRequestsWithoutStalling() throws {
        let stack = try ServedStack(
            models: [("iris", Fixtures.packageRoot + "/examples/models/iris.joblib")],
            workers: 1
        )
        defer { stack.stop() }
        let client = stack.client
        let body = Array(#"{"features": [5.1, 3.5, 1.4, 0.2]}"#.utf8)
        let statuses = Mutex<[Int]>([])
        let clock = ContinuousClock()
        let start = clock.now
        // Real threads, so that all 40 connections are open at once.
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<40 {
            Thread {
                let status = (try? client.send("POST", "/predict", body: body))?.status ?? 0
                statuses.withLock { $0.append(status) }
                done.signal()
            }.start()
        }
        for _ in 0..<40 { done.wait() }
        #expect(statuses.withLock { $0 } == Array(repeating: 200, count: 40))
        #expect(clock.now - start < .seconds(10))
    }

    @Test func aKilledWorkerIsReplaced() throws {
        let stack = try ServedStack(models: [
            ("iris", Fixtures.packageRoot + "/examples/models/iris.joblib")
        ])
        defer { stack.stop() }
        try stack.waitFor("two workers") { stack.workerPIDs().count == 2 }
        let victim = try #require(stack.workerPIDs().first)
        kill(victim, SIGKILL)
        try stack.waitFor("a replacement worker", timeout: 5) {
            let workers = stack.workerPIDs()
            return workers.count == 2 && !workers.contains(victim)
        }
        for _ in 0..<20 {
            let response = try stack.client.send(
                "POST",
                "/predict",
                body: Array(#"{"features": [5.1, 3.5, 1.4, 0.2]}"#.utf8)
            )
            #expect(response.status == 200)
        }
    }

    @Test func sigtermStopsThePoolAndRemovesTheSocket() throws {
        let stack = try ServedStack(models: [
            ("iris", Fixtures.packageRoot + "/examples/models/iris.joblib")
        ])
        defer { stack.stop() }
        try stack.waitFor("two workers") { stack.workerPIDs().count == 2 }
        let workers = stack.workerPIDs()
        stack.augur.terminate()
        stack.augur.waitUntilExit()
        #expect(stack.augur.terminationReason == .exit)
        #expect(stack.augur.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: stack.socketPath))
        for worker in workers {
            #expect(kill(worker, 0) != 0, "worker \(worker) outlived the master")
        }
    }
}
