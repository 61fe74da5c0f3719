import Foundation
import Synchronization
import TestSupport
import Testing

/// Stopping the pool for real: a request in flight during SIGTERM or SIGINT completes, the
/// master exits 0 and removes its socket, and the socket a SIGKILLed master leaves behind
/// does not block the next start.
@Suite(.serialized, .enabled(if: ServedStack.isAvailable, "needs nginx and a built augur"))
struct StopTests {
    static let iris = Fixtures.packageRoot + "/examples/models/iris.joblib"

    /// A batch that keeps a worker busy for most of a second (debug build), the most rows
    /// a request may have by default.
    static let bigBatchRows = 100_000
    static let bigBatch: [UInt8] = {
        let row = "[5.1, 3.5, 1.4, 0.2]"
        let rows = Array(repeating: row, count: bigBatchRows).joined(separator: ",")
        return Array("{\"instances\": [\(rows)]}".utf8)
    }()

    final class Result: Sendable {
        let outcome = Mutex<(status: Int, predictions: Int, at: Date)?>(nil)
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aRequestInFlightDuringAStopCompletes(signal: Int32) throws {
        let stack = try ServedStack(models: [("iris", Self.iris)], workers: 1)
        defer { stack.stop() }
        try stack.waitFor("one worker") { stack.workerPIDs().count == 1 }
        let worker = try #require(stack.workerPIDs().first)
        let idle = Self.cpuTicks(worker)
        let client = stack.client
        let result = Result()
        let done = DispatchSemaphore(value: 0)
        let sender = Thread {
            let response = try? client.send("POST", "/predict", body: Self.bigBatch)
            let predictions =
                response.flatMap { try? TestJSON.parse($0.body)["predictions"]?.array?.count }
                ?? -1
            result.outcome.withLock { $0 = (response?.status ?? -1, predictions, Date()) }
            done.signal()
        }
        sender.start()
        // The stop goes out once the worker has spent CPU on the batch: it is in flight,
        // with most of its work ahead (however slow the machine is today).
        try stack.waitFor("the worker busy with the batch", timeout: 30) {
            Self.cpuTicks(worker) >= idle + 3
        }
        let stoppedAt = Date()
        kill(stack.augur.processIdentifier, signal)
        #expect(done.wait(timeout: .now() + 50) == .success)
        let outcome = try #require(result.outcome.withLock { $0 })
        #expect(outcome.status == 200)
        #expect(outcome.predictions == Self.bigBatchRows)
        // Otherwise the request was over before the stop and proves nothing.
        #expect(outcome.at > stoppedAt, "the batch was answered before the stop")
        print("answered \(outcome.at.timeIntervalSince(stoppedAt)) s after the stop signal")

        stack.augur.waitUntilExit()
        #expect(stack.augur.terminationReason == .exit)
        #expect(stack.augur.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: stack.socketPath))
        #expect(stack.log().contains("level=info msg=\"pool stopped\""))
    }

    /// User and system CPU time of a process, in clock ticks (`/proc/PID/stat`).
    static func cpuTicks(_ pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = text.lastIndex(of: ")")
        else { return 0 }
        // After the command name: state is field 3, utime 14 and stime 15.
        let fields = text[text.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else {
            return 0
        }
        return user + system
    }

    @Test func aStaleSocketFromAKilledMasterDoesNotBlockTheNextStart() throws {
        let stack = try ServedStack(models: [("iris", Self.iris)], workers: 1)
        defer { stack.stop() }
        let body = Array(#"{"features": [5.1, 3.5, 1.4, 0.2]}"#.utf8)
        #expect(try stack.client.send("POST", "/predict", body: body).status == 200)
        let workers = stack.workerPIDs()
        kill(stack.augur.processIdentifier, SIGKILL)
        stack.augur.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: stack.socketPath))
        // Orphaned workers notice and stop by themselves.
        try stack.waitFor("the orphaned workers gone", timeout: 5, ignoringAugur: true) {
            workers.allSatisfy { kill($0, 0) != 0 }
        }

        let again = Process()
        again.executableURL = URL(fileURLWithPath: try #require(ServedStack.augurPath))
        again.arguments = [
            "serve", "--model", "iris=" + Self.iris, "--listen", "unix:" + stack.socketPath,
            "--workers", "1",
        ]
        let log = stack.folder + "/again.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        again.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try again.run()
        defer {
            again.terminate()
            again.waitUntilExit()
        }
        // The same nginx, pointed at the same socket path, reaches the new pool.
        var status = 0
        let deadline = Date().addingTimeInterval(10)
        while status != 200, Date() < deadline, again.isRunning {
            status = (try? stack.client.send("POST", "/predict", body: body))?.status ?? 0
            usleep(50_000)
        }
        #expect(status == 200, "\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        again.terminate()
        again.waitUntilExit()
        #expect(again.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: stack.socketPath))
    }
}
