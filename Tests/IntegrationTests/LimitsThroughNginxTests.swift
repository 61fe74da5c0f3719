import Foundation
import TestSupport
import Testing

/// The pool's limits, recycling, request logs and exposure through real nginx: each limit
/// breached for real comes back as the pool's JSON naming the limit, never nginx's page.
@Suite(.serialized, .enabled(if: ServedStack.isAvailable, "needs nginx and a built augur"))
struct LimitsThroughNginxTests {
    static let model = Fixtures.packageRoot + "/Tests/Fixtures/served/l4/model.joblib"

    static func rows(_ count: Int) -> [UInt8] {
        let rows = (0..<count).map { "[\($0),1,0,0]" }.joined(separator: ",")
        return Array(#"{"instances": [\#(rows)]}"#.utf8)
    }

    @Test func eachLimitIsAJSONAnswerNamingItThroughNginx() throws {
        let stack = try ServedStack(
            models: [("m", Self.model)],
            extraArguments: [
                "--max-rows", "5", "--max-json-depth", "16", "--max-string-bytes", "32",
            ]
        )
        defer { stack.stop() }
        let client = stack.client
        let within = try client.send("POST", "/predict", body: Self.rows(5))
        #expect(within.status == 200, "\(within.text)")
        #expect(within.header("Server") == "nginx")

        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        let long = String(repeating: "x", count: 33)
        let cases: [(path: String, body: [UInt8], status: Int, flag: String)] = [
            ("/predict", Self.rows(6), 413, "--max-rows 5"),
            ("/v1/models/m:predict", Self.rows(6), 413, "--max-rows 5"),
            ("/invocations", Self.rows(6), 413, "--max-rows 5"),
            ("/predict", Array(#"{"instances": \#(deep)}"#.utf8), 400, "--max-json-depth 16"),
            (
                "/v2/models/m/infer", Array(#"{"inputs": \#(deep)}"#.utf8), 400,
                "--max-json-depth 16"
            ),
            ("/predict", Array(#"{"\#(long)": 1}"#.utf8), 413, "--max-string-bytes 32"),
            ("/invocations", Array(#"{"\#(long)": 1}"#.utf8), 413, "--max-string-bytes 32"),
        ]
        for item in cases {
            let response = try client.send("POST", item.path, body: item.body)
            #expect(response.status == item.status, "\(item.path): \(response.text)")
            let json = try TestJSON.parse(response.body)
            let message = json["error"]?.string ?? json["message"]?.string ?? ""
            let parts = item.flag.split(separator: " ")
            #expect(message.contains("(\(parts[0]))"), "\(item.path): \(message)")
            #expect(message.contains(String(parts[1])), "\(item.path): \(message)")
        }
    }

    @Test func aRequestPastItsDeadlineGetsTheWorkers503NotNginxs504() throws {
        let stack = try ServedStack(
            models: [("m", Self.model)],
            extraArguments: ["--request-timeout", "0.001"]
        )
        defer { stack.stop() }
        let started = Date()
        let response = try stack.client.send("POST", "/predict", body: Self.rows(20_000))
        #expect(response.status == 503, "\(response.text.prefix(300))")
        let json = try TestJSON.parse(response.body)
        #expect(json["code"]?.string == "deadline_exceeded")
        #expect(json["error"]?.string?.contains("0.001 s (--request-timeout)") == true)
        #expect(Date().timeIntervalSince(started) < 20)
        let mlflow = try stack.client.send("POST", "/invocations", body: Self.rows(20_000))
        #expect(mlflow.status == 503)
        #expect(try TestJSON.parse(mlflow.body)["error_code"]?.string == "TEMPORARILY_UNAVAILABLE")
        // The worker is not harmed: reads that predict nothing still answer.
        #expect(try stack.client.send("GET", "/v2/health/ready").status == 200)
    }

    @Test func workersRecycledAfterMaxRequestsFailNoRequestAndCountNoRestart() throws {
        let stack = try ServedStack(
            models: [("m", Self.model)],
            workers: 2,
            extraArguments: ["--threads", "2", "--max-requests", "10"]
        )
        defer { stack.stop() }
        let clients = 4
        let perClient = 50
        let failures = Failures()
        let http = stack.client
        DispatchQueue.concurrentPerform(iterations: clients) { client in
            for index in 0..<perClient {
                do {
                    let response = try http.send("POST", "/predict", body: Self.rows(3))
                    if response.status != 200 {
                        failures.add(
                            "client \(client) #\(index): \(response.status) \(response.text)"
                        )
                    }
                } catch {
                    failures.add("client \(client) #\(index): \(error)")
                }
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(5))")
        try stack.waitFor("two workers after the last recycle", timeout: 10) {
            stack.workerPIDs().count == 2
        }
        let log = stack.log()
        let recycled = log.components(separatedBy: "msg=\"worker recycled\"").count - 1
        // 200 requests, plus nginx's probe, at 10 per worker (up to 11 with 2 threads).
        #expect(recycled >= 200 / 11 - 2, "\(recycled) recycles; log: \(log.suffix(2000))")
        #expect(log.contains("exit.code=75"))
        #expect(!log.contains("worker died"), "\(log.suffix(2000))")
        #expect(!log.contains("crash-looping"))
        let metrics = try stack.client.send("GET", "/metrics").text
        #expect(metrics.contains("augur_worker_restarts_total 0"), "\(metrics)")
    }

    @Test func aRequestsWorkerLineCarriesTheIdInNginxsAccessLine() throws {
        let stack = try ServedStack(
            models: [("m", Self.model)],
            workers: 1,
            extraArguments: ["--log-format", "json", "--log-level", "debug"]
        )
        defer { stack.stop() }
        let response = try stack.client.send("POST", "/predict/m", body: Self.rows(2))
        #expect(response.status == 200)
        let refused = try stack.client.send("POST", "/predict/m", body: Array("{".utf8))
        #expect(refused.status == 400)
        var accessLines: [Substring] = []
        try stack.waitFor("nginx's access line") {
            let access =
                (try? String(contentsOfFile: stack.folder + "/access.log", encoding: .utf8))
            accessLines = (access ?? "").split(separator: "\n").filter { $0.contains("/predict/m") }
            return accessLines.count == 2
        }
        let ids = accessLines.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("request.id=") }?.dropFirst(11)
        }
        #expect(ids.count == 2 && ids.allSatisfy { $0.count == 32 }, "\(accessLines)")
        try stack.waitFor("the worker's request lines") {
            ids.allSatisfy { stack.log().contains(#""request.id":"\#($0)""#) }
        }
        let lines = stack.log().split(separator: "\n").filter { $0.contains(#""msg":"request""#) }
        let ok = try TestJSON.parse(Array(try #require(lines.first { $0.contains(ids[0]) }).utf8))
        #expect(ok["level"]?.string == "debug")
        #expect(ok["route"]?.string == "predict")
        #expect(ok["model"]?.string == "m")
        #expect(ok["status"]?.string == "200")
        #expect(ok["rows"]?.string == "2")
        #expect(ok["duration.ms"]?.string != nil)
        #expect(ok["pid"]?.double.map { Int32($0) } == stack.workerPIDs().first)
        let bad = try TestJSON.parse(Array(try #require(lines.first { $0.contains(ids[1]) }).utf8))
        #expect(bad["status"]?.string == "400")
        #expect(bad["error"]?.string == "invalid_json")
        // Lifecycle lines are JSON too.
        #expect(stack.log().contains(#""msg":"worker ready""#))
    }

    @Test func hostilePathsAreJSON4xxAndReachNoFile() throws {
        let stack = try ServedStack(models: [("m", Self.model)])
        defer { stack.stop() }
        let paths = [
            "/predict/..%2f..%2fetc%2fpasswd", "/predict/%2e%2e", "/v2/models/%2e%2e/infer",
            "/v2/models/..%2f..%2fetc%2fpasswd/infer", "/v1/models/..%2fm:predict",
            "/v1/models/%2e%2e", "/v2/models/m/versions/..%2f1/infer", "/predict/m%00.joblib",
            "/v2/models/m%00/infer", "/predict/" + String(repeating: "a", count: 3000),
            "/v2/models/" + String(repeating: "a", count: 3000) + "/infer",
            "/predict/../../etc/passwd", "/v2/models/../../../etc/passwd",
        ]
        for path in paths {
            let response = try stack.client.send("POST", path, body: Self.rows(1))
            #expect((400..<500).contains(response.status), "\(path.prefix(60)): \(response.status)")
            #expect(
                (try? TestJSON.parse(response.body)) != nil,
                "\(path.prefix(60)): \(response.text)"
            )
            #expect(!response.text.contains("root:"), "\(path.prefix(60))")
        }
        #expect(try stack.client.send("POST", "/predict/m", body: Self.rows(1)).status == 200)
        #expect(stack.workerPIDs().count == 2)
    }
}

/// Failures gathered from concurrent clients.
final class Failures: @unchecked Sendable {
    // Guarded by `lock`.
    private var items: [String] = []
    private let lock = NSLock()

    func add(_ item: String) {
        lock.lock()
        items.append(item)
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}
