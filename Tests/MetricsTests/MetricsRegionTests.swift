import Dispatch
import Glibc
import Metrics
import TestSupport
import Testing

@Suite struct MetricsRegionTests {
    static let routes = ["predict", "v2_infer", "metrics"]

    /// A region with `models` loaded (each taking 0.5 s), as the master makes it at start.
    private func region(models: [String] = ["iris", "wine"], capacity: Int = 8) throws
        -> MetricsRegion
    {
        let region = try MetricsRegion(routes: Self.routes, modelCapacity: capacity)
        region.modelsLoaded(models.map { ($0, 0.5) })
        return region
    }

    private func parsed(_ region: MetricsRegion) throws -> PrometheusText {
        try PrometheusText(parsing: region.exposition())
    }

    @Test func countsFromManyThreadsAddUp() throws {
        let region = try region()
        let recorder = region.recorder()
        let threads = 8
        let perThread = 5_000
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in 0..<perThread {
                recorder.record(
                    route: "predict",
                    model: thread.isMultiple(of: 2) ? "iris" : "wine",
                    status: index.isMultiple(of: 10) ? 422 : 200,
                    rows: index.isMultiple(of: 10) ? 0 : 3,
                    duration: .microseconds(300)
                )
            }
        }
        let text = try parsed(region)
        let total = Double(threads * perThread)
        #expect(text.sum("augur_requests_total") == total)
        let ok = ["model": "iris", "route": "predict", "status": "200"]
        #expect(text.value("augur_requests_total", ok) == total / 2 * 0.9)
        let refused = ["model": "wine", "route": "predict", "status": "422"]
        #expect(text.value("augur_requests_total", refused) == total / 2 * 0.1)
        #expect(text.value("augur_rows_predicted_total", ["model": "iris"]) == total / 2 * 0.9 * 3)
        #expect(text.value("augur_request_duration_seconds_count", ["route": "predict"]) == total)
        let sum = try #require(
            text.value("augur_request_duration_seconds_sum", ["route": "predict"])
        )
        #expect(abs(sum - total * 0.0003) < 1e-9)
    }

    /// The child's wait status, or nil when it had not ended within 20 s (it is killed): a
    /// stuck child fails the test instead of hanging the run.
    static func waitBounded(_ child: pid_t) -> Int32? {
        var status: Int32 = 0
        for _ in 0..<2_000 {
            if waitpid(child, &status, WNOHANG) == child { return status }
            usleep(10_000)
        }
        kill(child, SIGKILL)
        waitpid(child, &status, 0)
        return nil
    }

    @Test func countsFromAForkedChildAddUpWithTheParents() throws {
        let region = try region()
        let recorder = region.recorder()
        for _ in 0..<1_000 {
            recorder.record(route: "predict", model: "iris", status: 200, rows: 2, duration: .zero)
        }
        let child = fork()
        if child == 0 {
            // The child does what a worker does: atomic adds into the inherited mapping.
            for _ in 0..<3_000 {
                recorder.record(
                    route: "predict",
                    model: "iris",
                    status: 200,
                    rows: 1,
                    duration: .zero
                )
            }
            _exit(0)
        }
        #expect(child > 0)
        for _ in 0..<1_000 {
            recorder.record(route: "predict", model: "iris", status: 200, rows: 2, duration: .zero)
        }
        let status = Self.waitBounded(child)
        #expect(status == 0)
        let text = try parsed(region)
        let ok = ["model": "iris", "route": "predict", "status": "200"]
        #expect(text.value("augur_requests_total", ok) == 5_000)
        #expect(text.value("augur_rows_predicted_total", ["model": "iris"]) == 7_000)
        #expect(text.value("augur_request_duration_seconds_count", ["route": "predict"]) == 5_000)
    }

    @Test func aChildRecordsUnderNamesTheMasterRegisteredBeforeTheFork() throws {
        let region = try region(models: ["iris"])
        // A reload in the master adds a name; a worker forked afterwards knows it.
        region.modelsLoaded([("iris", 0.25), ("wine", 0.75)])
        // Made before the fork: a child of a threaded process may only do what cannot wait
        // on a lock another thread held at the fork (no allocation), as a worker's adds.
        let recorder = region.recorder()
        recorder.record(route: "predict", model: "iris", status: 200, rows: 0, duration: .zero)
        let child = fork()
        if child == 0 {
            recorder.record(
                route: "predict",
                model: "wine",
                status: 200,
                rows: 4,
                duration: .zero
            )
            _exit(0)
        }
        #expect(Self.waitBounded(child) == 0)
        let text = try parsed(region)
        #expect(text.value("augur_rows_predicted_total", ["model": "wine"]) == 4)
        #expect(text.value("augur_model_generation") == 2)
    }

    @Test func histogramBucketsAreCumulativeWithSumAndCount() throws {
        let region = try region()
        let recorder = region.recorder()
        for duration: Duration in [
            .microseconds(50), .microseconds(100), .microseconds(300), .milliseconds(2),
            .seconds(20),
        ] {
            recorder.record(
                route: "v2_infer",
                model: "iris",
                status: 200,
                rows: 1,
                duration: duration
            )
        }
        let text = try parsed(region)
        let expected: [(String, Double)] = [
            ("0.0001", 2), ("0.00025", 2), ("0.0005", 3), ("0.001", 3), ("0.0025", 4),
            ("0.005", 4), ("0.01", 4), ("0.025", 4), ("0.05", 4), ("0.1", 4), ("0.25", 4),
            ("0.5", 4), ("1.0", 4), ("2.5", 4), ("5.0", 4), ("10.0", 4), ("+Inf", 5),
        ]
        let buckets = text.samples.filter { $0.name == "augur_request_duration_seconds_bucket" }
        #expect(buckets.map { $0.labels["le"] ?? "" } == expected.map(\.0))
        #expect(buckets.map(\.value) == expected.map(\.1))
        #expect(buckets.allSatisfy { $0.labels["route"] == "v2_infer" })
        #expect(text.value("augur_request_duration_seconds_count", ["route": "v2_infer"]) == 5)
        let sum = try #require(
            text.value("augur_request_duration_seconds_sum", ["route": "v2_infer"])
        )
        #expect(abs(sum - 20.00245) < 1e-9)
        // Routes that saw no request have no histogram.
        #expect(text.value("augur_request_duration_seconds_count", ["route": "predict"]) == nil)
    }

    @Test func labelValuesAreEscaped() throws {
        let awkward = "a\"b\\c\nd é"
        let region = try region(models: [awkward])
        region.recorder().record(
            route: "predict",
            model: awkward,
            status: 200,
            rows: 1,
            duration: .zero
        )
        let exposition = region.exposition()
        #expect(exposition.contains(#"augur_rows_predicted_total{model="a\"b\\c\nd é"} 1"#))
        let text = try PrometheusText(parsing: exposition)
        #expect(text.value("augur_rows_predicted_total", ["model": awkward]) == 1)
        #expect(text.value("augur_model_load_duration_seconds", ["model": awkward]) == 0.5)
    }

    @Test func requestsWithoutRouteOrModelAndUnknownLabelsHaveTheirOwnSeries() throws {
        let region = try region()
        let recorder = region.recorder()
        recorder.record(route: nil, model: nil, status: 404, rows: 0, duration: .zero)
        recorder.record(route: "predict", model: nil, status: 404, rows: 0, duration: .zero)
        recorder.record(route: "predict", model: "unlisted", status: 200, rows: 2, duration: .zero)
        recorder.record(route: "unlisted", model: "iris", status: 418, rows: 0, duration: .zero)
        let text = try parsed(region)
        #expect(
            text.value("augur_requests_total", ["model": "", "route": "", "status": "404"]) == 1
        )
        #expect(
            text.value("augur_requests_total", ["model": "", "route": "predict", "status": "404"])
                == 1
        )
        #expect(
            text.value(
                "augur_requests_total",
                ["model": "other", "route": "predict", "status": "200"]
            ) == 1
        )
        #expect(
            text.value(
                "augur_requests_total",
                ["model": "iris", "route": "other", "status": "other"]
            ) == 1
        )
        #expect(text.value("augur_rows_predicted_total", ["model": "other"]) == 2)
        // No rows for requests that reached no model, so no series for them.
        #expect(text.value("augur_rows_predicted_total", ["model": ""]) == nil)
        #expect(text.sum("augur_requests_total") == 4)
    }

    @Test func everyListedStatusHasItsOwnSeries() throws {
        let region = try region()
        let recorder = region.recorder()
        for status in MetricsRegion.statuses {
            recorder.record(
                route: "predict",
                model: "iris",
                status: status,
                rows: 0,
                duration: .zero
            )
        }
        let text = try parsed(region)
        for status in MetricsRegion.statuses {
            let labels = ["model": "iris", "route": "predict", "status": "\(status)"]
            #expect(text.value("augur_requests_total", labels) == 1, "\(status)")
        }
        #expect(text.sum("augur_requests_total") == Double(MetricsRegion.statuses.count))
    }

    @Test func namesBeyondTheCapacityCountAsOther() throws {
        let region = try region(models: ["a", "b", "c", "other", ""], capacity: 2)
        #expect(region.registeredModels() == ["a", "b"])
        let recorder = region.recorder()
        recorder.record(route: "predict", model: "c", status: 200, rows: 5, duration: .zero)
        recorder.record(route: "predict", model: "other", status: 200, rows: 1, duration: .zero)
        let text = try parsed(region)
        #expect(text.value("augur_rows_predicted_total", ["model": "other"]) == 6)
        #expect(text.value("augur_rows_predicted_total", ["model": "a"]) == 0)
        #expect(text.value("augur_model_load_duration_seconds", ["model": "c"]) == nil)
    }

    @Test func aReloadAdvancesTheGenerationAndReplacesLoadTimes() throws {
        let region = try MetricsRegion(routes: Self.routes)
        var text = try parsed(region)
        #expect(text.value("augur_model_generation") == 0)
        region.modelsLoaded([("iris", 0.25), ("wine", 1.5)])
        text = try parsed(region)
        #expect(text.value("augur_model_generation") == 1)
        #expect(text.value("augur_model_load_duration_seconds", ["model": "wine"]) == 1.5)
        // Two versions of one name add up; a name the reload no longer serves loses its time.
        region.modelsLoaded([("iris", 0.25), ("iris", 0.5)])
        text = try parsed(region)
        #expect(text.value("augur_model_generation") == 2)
        #expect(text.value("augur_model_load_duration_seconds", ["model": "iris"]) == 0.75)
        #expect(text.value("augur_model_load_duration_seconds", ["model": "wine"]) == nil)
        #expect(region.registeredModels() == ["iris", "wine"])
    }

    @Test func workerGaugesAreWhatTheMasterLastSet() throws {
        let region = try region()
        region.setWorkers(alive: 2, restarts: 0)
        region.setWorkers(alive: 1, restarts: 3)
        let text = try parsed(region)
        #expect(text.value("augur_workers_alive") == 1)
        #expect(text.value("augur_worker_restarts_total") == 3)
        #expect(text.types["augur_workers_alive"] == "gauge")
        #expect(text.types["augur_worker_restarts_total"] == "counter")
    }

    @Test func everyFamilyHasHelpAndTypeEvenBeforeAnyRequest() throws {
        let text = try parsed(try region())
        let families: [String: String] = [
            "augur_requests_total": "counter",
            "augur_request_duration_seconds": "histogram",
            "augur_rows_predicted_total": "counter",
            "augur_model_load_duration_seconds": "gauge",
            "augur_model_generation": "gauge",
            "augur_workers_alive": "gauge",
            "augur_worker_restarts_total": "counter",
        ]
        #expect(text.types == families)
        #expect(Set(text.helps.keys) == Set(families.keys))
        #expect(text.sum("augur_requests_total") == 0)
        #expect(text.value("augur_rows_predicted_total", ["model": "iris"]) == 0)
    }
}
