import Foundation
import TestSupport
import Testing

/// `GET /metrics` through real nginx from a pool of two workers: whichever worker answers,
/// the counts are the whole pool's.
@Suite(.serialized, .enabled(if: ServedStack.isAvailable, "needs nginx and a built augur"))
struct MetricsThroughNginxTests {
    static let irisRow = "[5.1, 3.5, 1.4, 0.2]"

    /// Reads and strictly parses `/metrics`; throws unless the answer is a 200 in the
    /// exposition format.
    private func scrape(_ stack: ServedStack) throws -> PrometheusText {
        let response = try stack.client.send("GET", "/metrics", headers: [])
        let type = response.header("Content-Type")
        guard response.status == 200, type == "text/plain; version=0.0.4; charset=utf-8" else {
            throw ServedStack.SetupError(
                description:
                    "/metrics answered \(response.status) (\(type ?? "")): \(response.text)"
            )
        }
        return try PrometheusText(parsing: response.text)
    }

    private func requests(_ text: PrometheusText, excludingScrapes: Bool = true) -> Double {
        text.sum("augur_requests_total") { !excludingScrapes || $0["route"] != "metrics" }
    }

    @Test func countsAreSummedOverWorkersAndSurviveAKilledWorker() throws {
        let l4 = Fixtures.packageRoot + "/Tests/Fixtures/served/l4"
        let stack = try ServedStack(
            models: [
                ("iris", Fixtures.packageRoot + "/examples/models/iris.joblib"),
                ("l4", l4 + "/model.joblib"),
            ],
            workers: 2
        )
        defer { stack.stop() }
        try stack.waitFor("two workers") { stack.workerPIDs().count == 2 }

        // 5 answers from iris with 1 to 5 rows: 15 rows.
        for rows in 1...5 {
            let body =
                "{\"instances\": ["
                + Array(repeating: Self.irisRow, count: rows)
                .joined(separator: ",") + "]}"
            let response = try stack.client.send("POST", "/predict/iris", body: Array(body.utf8))
            #expect(response.status == 200, "\(response.text)")
        }
        // 3 answers from l4 with its recorded rows (2 each), checked against scikit-learn.
        let expected = try TestJSON.parse(
            Array(try Data(contentsOf: URL(fileURLWithPath: l4 + "/expected.json")))
        )
        let recorded = try #require(expected["requests"]?.array?.first)
        let rows = try #require(recorded["rows"]?.matrix)
        let recordedPredictions = try #require(recorded["predict"]?.array)
        let predictions = recordedPredictions.compactMap(\.double)
        let l4Body = Array(try JSONSerialization.data(withJSONObject: ["instances": rows]))
        for _ in 0..<3 {
            let response = try stack.client.send("POST", "/predict/l4", body: l4Body)
            #expect(response.status == 200, "\(response.text)")
            let answer = try #require(try TestJSON.parse(response.body)["predictions"]?.array)
            #expect(answer.count == predictions.count)
            for (actual, wanted) in zip(answer.compactMap(\.double), predictions) {
                #expect(Fixtures.close(actual, wanted))
            }
        }
        let wrongWidth = try stack.client.send(
            "POST",
            "/predict/iris",
            body: Array(#"{"features": [5.1, 3.5]}"#.utf8)
        )
        #expect(wrongWidth.status == 422)
        let noModel = try stack.client.send(
            "POST",
            "/predict/nosuch",
            body: Array("{\"features\": \(Self.irisRow)}".utf8)
        )
        #expect(noModel.status == 404)
        let notJSON = try stack.client.send("POST", "/predict/iris", body: Array("{".utf8))
        #expect(notJSON.status == 400)
        let sent = 11.0
        let rowsSent = 15.0 + Double(3 * rows.count)

        // Successive scrapes land on either worker; each sees the pool's totals, and the
        // scrapes before it.
        for scrapesBefore in 0..<4 {
            let text = try scrape(stack)
            #expect(requests(text) == sent)
            #expect(
                text.sum("augur_requests_total") { $0["route"] == "metrics" }
                    == Double(scrapesBefore)
            )
            func count(_ model: String, _ status: String) -> Double? {
                text.value(
                    "augur_requests_total",
                    ["model": model, "route": "predict", "status": status]
                )
            }
            #expect(count("iris", "200") == 5)
            #expect(count("l4", "200") == 3)
            #expect(count("iris", "422") == 1)
            #expect(count("iris", "400") == 1)
            #expect(count("", "404") == 1)
            #expect(
                text.value("augur_request_duration_seconds_count", ["route": "predict"]) == sent
            )
            #expect(text.sum("augur_rows_predicted_total") == rowsSent)
            #expect(text.value("augur_rows_predicted_total", ["model": "iris"]) == 15)
            #expect(text.value("augur_workers_alive") == 2)
            #expect(text.value("augur_worker_restarts_total") == 0)
            #expect(text.value("augur_model_generation") == 1)
            for model in ["iris", "l4"] {
                let seconds = text.value("augur_model_load_duration_seconds", ["model": model])
                #expect((seconds ?? 0) > 0, "\(model)")
            }
        }

        let workers = stack.workerPIDs()
        let victim = try #require(workers.first)
        kill(victim, SIGKILL)
        var last: PrometheusText?
        try stack.waitFor("the restart counted and two workers alive") {
            let pids = stack.workerPIDs()
            guard pids.count == 2, !pids.contains(victim) else { return false }
            last = try? scrape(stack)
            return last?.value("augur_worker_restarts_total") == 1
                && last?.value("augur_workers_alive") == 2
        }
        var text = try #require(last)
        #expect(requests(text) == sent)
        #expect(text.sum("augur_rows_predicted_total") == rowsSent)
        #expect(text.value("augur_model_generation") == 1)

        // With the other first worker gone too, no process that answered those requests is
        // alive: the counts can only come from the shared region.
        let survivor = try #require(workers.last)
        kill(survivor, SIGKILL)
        try stack.waitFor("the second restart counted and two workers alive") {
            let pids = stack.workerPIDs()
            guard pids.count == 2, !pids.contains(survivor) else { return false }
            last = try? scrape(stack)
            return last?.value("augur_worker_restarts_total") == 2
                && last?.value("augur_workers_alive") == 2
        }
        text = try #require(last)
        #expect(requests(text) == sent)
        #expect(text.sum("augur_rows_predicted_total") == rowsSent)
        #expect(text.value("augur_rows_predicted_total", ["model": "iris"]) == 15)
    }

    @Test func aReloadAdvancesTheGeneration() throws {
        let stack = try ServedStack(
            models: [("iris", Fixtures.packageRoot + "/examples/models/iris.joblib")],
            workers: 2
        )
        defer { stack.stop() }
        let body = Array("{\"features\": \(Self.irisRow)}".utf8)
        #expect(try stack.client.send("POST", "/predict/iris", body: body).status == 200)
        kill(stack.augur.processIdentifier, SIGHUP)
        var last: PrometheusText?
        try stack.waitFor("generation 2") {
            last = try? scrape(stack)
            return last?.value("augur_model_generation") == 2
        }
        let text = try #require(last)
        // Workers replaced by a reload are not restarts, and counts go on.
        #expect(text.value("augur_worker_restarts_total") == 0)
        #expect(text.value("augur_rows_predicted_total", ["model": "iris"]) == 1)
    }
}
