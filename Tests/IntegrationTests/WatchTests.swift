import Foundation
import TestSupport
import Testing

/// `serve --watch` through real nginx: a model file replaced by another model is served
/// after a settled interval; a truncated or malicious file dropped in is refused and logged,
/// and the previous model keeps answering.
@Suite(.serialized, .enabled(if: ServedStack.isAvailable, "needs nginx and a built augur"))
struct WatchTests {
    static let row = Array(#"{"features": [5.1, 3.5, 1.4, 0.2]}"#.utf8)

    /// Puts `bytes` at `path` as a deployment should: written beside it, then renamed.
    static func install(_ bytes: Data, at path: String) throws {
        let incoming = path + ".incoming"
        try bytes.write(to: URL(fileURLWithPath: incoming))
        guard rename(incoming, path) == 0 else {
            throw ServedStack.SetupError(description: "rename to \(path) failed")
        }
    }

    static func fixture(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: Fixtures.packageRoot + "/" + path))
    }

    @Test func replacedFilesAreServedAndBadOnesRefused() throws {
        let models = FileManager.default.temporaryDirectory
            .appendingPathComponent("augur-watch-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: models) }
        let path = models + "/m.joblib"
        try Self.install(try Self.fixture("examples/models/iris.joblib"), at: path)

        let stack = try ServedStack(
            models: [("m", path)],
            workers: 2,
            extraArguments: ["--watch", "0.2"]
        )
        defer { stack.stop() }
        func answer() throws -> String {
            let response = try stack.client.send("POST", "/predict", body: Self.row)
            #expect(response.status == 200, "\(response.text)")
            return response.text
        }
        #expect(try answer() == "{\"prediction\":0}\n")
        func failures() -> Int {
            stack.log().components(separatedBy: "reload failed; keeping the running workers")
                .count - 1
        }

        // Another model under the same name: its answers, once the change has settled.
        try Self.install(try Self.fixture("Tests/Fixtures/served/l4/model.joblib"), at: path)
        let replacedAt = Date()
        try stack.waitFor("the replaced model answering", timeout: 10) {
            (try? answer()) == "{\"prediction\":12.6}\n"
        }
        print("watch: the new model answered after \(Date().timeIntervalSince(replacedAt)) s")
        #expect(stack.log().contains("watched model files changed; reloading"))

        // A truncated copy: refused, logged, and the previous model keeps answering.
        let iris = try Self.fixture("examples/models/iris.joblib")
        try Self.install(iris.prefix(iris.count / 2), at: path)
        try stack.waitFor("the truncated file refused", timeout: 10) {
            failures() == 1
        }
        #expect(stack.log().contains("cannot load \(path): not a readable pickle"))
        #expect(try answer() == "{\"prediction\":12.6}\n")

        // A pickle that would run a command: refused by name, nothing run, same answers.
        try Self.install(try Self.fixture("Tests/Fixtures/malicious/os_system_p2.pkl"), at: path)
        try stack.waitFor("the malicious file refused", timeout: 10) {
            stack.log().contains("refused global posix.system")
        }
        #expect(try answer() == "{\"prediction\":12.6}\n")
        // Each bad file is refused once, not at every poll.
        Thread.sleep(forTimeInterval: 1)
        #expect(failures() == 2)
        #expect(stack.augur.isRunning)
        let metrics = try PrometheusText(
            parsing: try stack.client.send("GET", "/metrics", headers: []).text
        )
        #expect(metrics.value("augur_model_generation") == 2)
        #expect(metrics.value("augur_workers_alive") == 2)
    }

    /// A file copied in place, slowly: the half-written state lasts less than one interval,
    /// so it is never loaded; the whole file is.
    @Test func aFileStillBeingWrittenIsNotLoaded() throws {
        let models = FileManager.default.temporaryDirectory
            .appendingPathComponent("augur-watch-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: models) }
        let path = models + "/m.joblib"
        try Self.install(try Self.fixture("examples/models/iris.joblib"), at: path)
        let stack = try ServedStack(
            models: [("m", path)],
            workers: 1,
            extraArguments: ["--watch", "1"]
        )
        defer { stack.stop() }

        let l4 = try Self.fixture("Tests/Fixtures/served/l4/model.joblib")
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try file.truncate(atOffset: 0)
        try file.write(contentsOf: l4.prefix(l4.count / 2))
        Thread.sleep(forTimeInterval: 0.3)
        try file.write(contentsOf: l4.suffix(from: l4.count / 2))
        try file.close()
        try stack.waitFor("the new model answering", timeout: 10) {
            let response = try? stack.client.send("POST", "/predict", body: Self.row)
            return response?.text == "{\"prediction\":12.6}\n"
        }
        #expect(!stack.log().contains("reload failed"), "\(stack.log())")
    }

    @Test func aBadIntervalIsAUsageError() throws {
        for interval in ["0", "-1", "soon", "5000"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(ServedStack.augurPath))
            process.arguments = [
                "serve", "--model", "iris=/nonexistent.joblib", "--watch=" + interval,
            ]
            process.standardError = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 64, "--watch=\(interval)")
        }
    }
}
