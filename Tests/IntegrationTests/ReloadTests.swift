import Foundation
import Synchronization
import TestSupport
import Testing

/// SIGHUP under a steady load through real nginx (keepalive to the pool on): every request
/// is answered 200, with no stall, across many reloads.
@Suite(.serialized, .enabled(if: ServedStack.isAvailable, "needs nginx and a built augur"))
struct ReloadTests {
    static let iris = Fixtures.packageRoot + "/examples/models/iris.joblib"
    static let body = Array(#"{"features": [5.1, 3.5, 1.4, 0.2]}"#.utf8)

    /// What the clients saw: every status that was not 200 (or the error), and latencies.
    final class Tally: Sendable {
        struct Counts {
            var answered = 0
            var failures: [String] = []
            var latencies: [Double] = []
        }
        let counts = Mutex(Counts())
        /// Set to end the load.
        let stop = Atomic<Bool>(false)
    }

    /// Runs `clients` threads that send requests until `stop` is set.
    static func load(
        _ stack: ServedStack,
        clients: Int,
        tally: Tally,
        done: DispatchGroup
    ) {
        let client = stack.client
        for _ in 0..<clients {
            done.enter()
            let thread = Thread {
                while !tally.stop.load(ordering: .acquiring) {
                    let started = Date()
                    let outcome: String?
                    do {
                        let response = try client.send("POST", "/predict", body: Self.body)
                        outcome =
                            response.status == 200 ? nil : "\(response.status) \(response.text)"
                    } catch {
                        outcome = "\(error)"
                    }
                    let seconds = Date().timeIntervalSince(started)
                    tally.counts.withLock {
                        $0.answered += 1
                        $0.latencies.append(seconds)
                        if let outcome { $0.failures.append(outcome) }
                    }
                }
                done.leave()
            }
            thread.start()
        }
    }

    /// The generation in V2 metadata and `/metrics` advances with a reload, and stays when
    /// a reload fails because a file no longer loads.
    @Test func theGenerationShowsInMetadataAndOnlyAdvancesWhenAReloadLoads() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("augur-reload-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/iris.joblib"
        let iris = try Data(contentsOf: URL(fileURLWithPath: Self.iris))
        try iris.write(to: URL(fileURLWithPath: path))
        let stack = try ServedStack(models: [("iris", path)], workers: 2)
        defer { stack.stop() }

        func generations() throws -> (metadata: Double?, metrics: Double?) {
            let metadata = try stack.client.send("GET", "/v2/models/iris", headers: [])
            let metrics = try stack.client.send("GET", "/metrics", headers: [])
            return (
                try TestJSON.parse(metadata.body)["generation"]?.double,
                try PrometheusText(parsing: metrics.text).value("augur_model_generation")
            )
        }
        #expect(try generations() == (1, 1))
        kill(stack.augur.processIdentifier, SIGHUP)
        // Both workers are replaced: every answer, from either, says 2.
        try stack.waitFor("generation 2 everywhere", timeout: 10) {
            (0..<6).allSatisfy { _ in (try? generations()) ?? (nil, nil) == (2, 2) }
        }

        try iris.prefix(iris.count / 3).write(to: URL(fileURLWithPath: path))
        kill(stack.augur.processIdentifier, SIGHUP)
        try stack.waitFor("the failed reload logged", timeout: 10) {
            stack.log().contains("reload failed; keeping the running workers")
        }
        for _ in 0..<6 {
            #expect(try generations() == (2, 2))
        }
        #expect(stack.augur.isRunning)
    }

    @Test func twentyReloadsUnderEightClientsFailNoRequest() throws {
        let stack = try ServedStack(models: [("iris", Self.iris)], workers: 2)
        defer { stack.stop() }
        try stack.waitFor("two workers") { stack.workerPIDs().count == 2 }
        let tally = Tally()
        let done = DispatchGroup()
        Self.load(stack, clients: 8, tally: tally, done: done)
        Thread.sleep(forTimeInterval: 1)
        let reloads = 20
        for _ in 0..<reloads {
            kill(stack.augur.processIdentifier, SIGHUP)
            Thread.sleep(forTimeInterval: 0.5)
        }
        Thread.sleep(forTimeInterval: 1)
        tally.stop.store(true, ordering: .releasing)
        #expect(done.wait(timeout: .now() + 60) == .success)

        let counts = tally.counts.withLock { $0 }
        let sorted = counts.latencies.sorted()
        let maximum = sorted.last ?? 0
        let p99 = sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
        print(
            "reload under load: \(reloads) reloads, \(counts.answered) requests, "
                + "\(counts.failures.count) failed, p99 \(String(format: "%.3f", p99)) s, "
                + "max \(String(format: "%.3f", maximum)) s"
        )
        #expect(counts.answered > 200)
        #expect(counts.failures.isEmpty, "\(counts.failures.prefix(5))")
        #expect(maximum < 2, "a request took \(maximum) s")
        #expect(stack.augur.isRunning)
        let generation = try PrometheusText(
            parsing: try stack.client.send("GET", "/metrics", headers: []).text
        ).value("augur_model_generation")
        #expect(generation == Double(reloads + 1))
        let errors = (try? String(contentsOfFile: stack.folder + "/error.log", encoding: .utf8))
        print("nginx error.log: \(errors?.suffix(2000) ?? "")")
    }
}
