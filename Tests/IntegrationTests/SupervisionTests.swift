import Foundation
import TestSupport
import Testing

/// Workers killed for real behind real nginx: each is replaced, the replacement answers
/// within a second, the restarts are counted and the master lives on.
@Suite(.serialized, .enabled(if: ServedStack.isAvailable, "needs nginx and a built augur"))
struct SupervisionTests {
    static let iris = Fixtures.packageRoot + "/examples/models/iris.joblib"
    static let body = Array(#"{"features": [5.1, 3.5, 1.4, 0.2]}"#.utf8)

    /// With one worker, any answer after the old one is gone comes from its replacement.
    @Test func aWorkerKilledByAnySignalIsReplacedWithinASecond() throws {
        let stack = try ServedStack(models: [("iris", Self.iris)], workers: 1)
        defer { stack.stop() }
        try stack.waitFor("one worker") { stack.workerPIDs().count == 1 }
        #expect(try stack.client.send("POST", "/predict", body: Self.body).status == 200)

        let signals: [(Int32, String)] = [
            (SIGSEGV, "SIGSEGV"), (SIGABRT, "SIGABRT"), (SIGILL, "SIGILL"), (SIGBUS, "SIGBUS"),
            (SIGKILL, "SIGKILL"),
        ]
        var replacementTimes: [Double] = []
        for (signal, name) in signals {
            let victim = try #require(stack.workerPIDs().first)
            let killedAt = Date()
            kill(victim, signal)
            try stack.waitFor("worker \(victim) gone after \(name)", timeout: 5) {
                !stack.workerPIDs().contains(victim)
            }
            var answered = false
            while !answered, Date().timeIntervalSince(killedAt) < 5 {
                answered =
                    (try? stack.client.send("POST", "/predict", body: Self.body))?.status
                    == 200
            }
            let seconds = Date().timeIntervalSince(killedAt)
            #expect(answered, "no answer after \(name)")
            #expect(seconds < 1, "the replacement after \(name) took \(seconds) s")
            replacementTimes.append(seconds)
            #expect(stack.augur.isRunning, "the master died after \(name)")
            try stack.waitFor("the death by \(name) logged", timeout: 5) {
                stack.log().contains("worker.pid=\(victim) slot=0 exit.signal=\(name)")
            }
        }
        print(
            "replacement answered after (s): "
                + replacementTimes.map { String(format: "%.3f", $0) }.joined(separator: " ")
        )

        let metrics = try stack.client.send("GET", "/metrics", headers: [])
        let text = try PrometheusText(parsing: metrics.text)
        #expect(text.value("augur_worker_restarts_total") == Double(signals.count))
        #expect(text.value("augur_workers_alive") == 1)
        // A signal from outside is no crash to report: no backtrace from the runtime.
        #expect(!stack.log().contains("Program crashed"), "\(stack.log())")
        #expect(!stack.log().contains("crash-looping"))
    }
}
