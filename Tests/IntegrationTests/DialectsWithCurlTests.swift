import Foundation
import TestSupport
import Testing

/// KServe V1, MLflow and CSV bodies through real nginx and a real `augur serve` pool, sent
/// by `/usr/bin/curl` as a user would, and compared with what scikit-learn recorded.
@Suite(.serialized, .enabled(if: ServedStack.isAvailable, "needs nginx and a built augur"))
struct DialectsWithCurlTests {
    struct Reply {
        let status: Int
        /// Header names lower-cased.
        let headers: [String: String]
        let body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        var json: TestJSON? { try? TestJSON.parse(body) }
        var predictions: [TestJSON]? { json?["predictions"]?.array }
    }

    static func model(_ name: String) -> String {
        "\(Fixtures.root)/served/\(name)/model.joblib"
    }

    static func recorded(_ name: String) throws -> TestJSON {
        let expected = try TestJSON.read(path: "\(Fixtures.root)/served/\(name)/expected.json")
        return try #require(expected["requests"]?.array?.first)
    }

    /// `m` (C14's named model) is the default, which `/invocations` serves.
    static func startStack() throws -> ServedStack {
        try ServedStack(
            models: [
                ("m", model("c14_named")), ("l4", model("l4")), ("p3", model("c24_p3")),
                ("c16", model("c16_columns")),
            ],
            extraArguments: ["--default", "m"]
        )
    }

    /// Runs curl against the stack; the body goes through stdin, byte for byte.
    static func curl(
        _ stack: ServedStack,
        _ method: String,
        _ path: String,
        body: String? = nil,
        contentType: String? = nil
    ) throws -> Reply {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        // `Expect:` off, so a large body gets no `100 Continue` head in the output.
        var arguments = ["-sS", "-i", "-X", method, "-H", "Expect:"]
        // Without a type, `-H "Content-Type:"` stops curl from sending its form type.
        arguments += ["-H", "Content-Type:" + (contentType.map { " " + $0 } ?? "")]
        if body != nil { arguments += ["--data-binary", "@-"] }
        process.arguments = arguments + ["http://127.0.0.1:\(stack.port)\(path)"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data((body ?? "").utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let bytes = [UInt8](data)
        let separator: [UInt8] = [13, 10, 13, 10]
        guard
            let end = (0..<max(0, bytes.count - 3)).first(where: {
                Array(bytes[$0..<$0 + 4]) == separator
            })
        else { throw ServedStack.SetupError(description: "curl printed no HTTP head") }
        let lines = String(decoding: bytes[0..<end], as: UTF8.self)
            .components(separatedBy: "\r\n")
        let status = lines.first?.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        return Reply(status: status ?? 0, headers: headers, body: Array(bytes[(end + 4)...]))
    }

    @Test func kserveV1PredictStatusAndList() throws {
        let stack = try Self.startStack()
        defer { stack.stop() }
        let list = try Self.curl(stack, "GET", "/v1/models")
        #expect(list.status == 200)
        #expect(
            list.json?["models"]
                == .array([.string("c16"), .string("l4"), .string("m"), .string("p3")])
        )
        let status = try Self.curl(stack, "GET", "/v1/models/p3")
        #expect(status.json == .object(["name": .string("p3"), "ready": .bool(true)]))

        let recorded = try Self.recorded("c24_p3")
        let predict = try Self.curl(
            stack,
            "POST",
            "/v1/models/p3:predict",
            body: #"{"instances": [[0], [1], [2]]}"#,
            contentType: "application/json"
        )
        #expect(predict.status == 200, "\(predict.text)")
        #expect(predict.headers["content-type"]?.hasPrefix("application/json") == true)
        #expect(predict.predictions == recorded["predict"]?.array)
        let probabilities = try Self.curl(
            stack,
            "POST",
            "/v1/models/p3:predict",
            body: #"{"instances": [[0], [1], [2]], "outputs": ["predict_proba"]}"#,
            contentType: "application/json"
        )
        #expect(probabilities.json?["predictions"]?.matrix == recorded["predict_proba"]?.matrix)
        #expect(probabilities.json?["classes"] == recorded["classes"])

        let strings = try Self.curl(
            stack,
            "POST",
            "/v1/models/c16:predict",
            body: #"{"inputs": [{"color": "red", "x": 0.3}, {"x": 0.7, "color": "blue"}]}"#
        )
        #expect(strings.predictions == (try Self.recorded("c16_columns"))["predict"]?.array)
    }

    @Test func mlflowJSONAndCSV() throws {
        let stack = try Self.startStack()
        defer { stack.stop() }
        let recorded = try Self.recorded("c14_named")
        let requests: [(String, String)] = [
            (
                #"{"dataframe_split": {"columns": ["d", "c", "b", "a"], "data": [[4, 3, 2, 1]]}}"#,
                "application/json"
            ),
            (#"{"dataframe_records": [{"b": 2, "a": 1, "d": 4, "c": 3}]}"#, "application/json"),
            (#"{"inputs": {"a": [1], "b": [2], "c": [3], "d": [4]}}"#, "application/json"),
            ("b,a,d,c\r\n2,1,4,3\r\n", "text/csv"),
            (
                #"{"columns": ["a", "b", "c", "d"], "data": [[1, 2, 3, 4]]}"#,
                "application/json; format=pandas-split"
            ),
        ]
        for (body, contentType) in requests {
            let reply = try Self.curl(
                stack,
                "POST",
                "/invocations",
                body: body,
                contentType: contentType
            )
            #expect(reply.status == 200, "\(body): \(reply.text)")
            let value = try #require(reply.predictions?.first?.double, "\(reply.text)")
            let wanted = try #require(recorded["predict"]?.array?.first?.double)
            #expect(Fixtures.close(value, wanted), "\(body)")
        }
        let twoKeys = try Self.curl(
            stack,
            "POST",
            "/invocations",
            body: #"{"instances": [[1, 2, 3, 4]], "inputs": [[1, 2, 3, 4]]}"#,
            contentType: "application/json"
        )
        #expect(twoKeys.status == 400)
        #expect(twoKeys.json?["error_code"]?.string == "BAD_REQUEST", "\(twoKeys.text)")
        for path in ["/ping", "/health"] {
            #expect(try Self.curl(stack, "GET", path).status == 200)
        }
        let version = try Self.curl(stack, "GET", "/version")
        #expect(version.json?["version"]?.string?.isEmpty == false, "\(version.text)")
    }

    @Test func nativeCSV() throws {
        let stack = try Self.startStack()
        defer { stack.stop() }
        let recorded = try Self.recorded("l4")
        for body in ["a,b,c,d\n1,1,0,0\n2,0,0,0\n", "1,1,0,0\n2,0,0,0"] {
            let reply = try Self.curl(
                stack,
                "POST",
                "/predict/l4",
                body: body,
                contentType: "text/csv"
            )
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.predictions == recorded["predict"]?.array, "\(reply.text)")
        }
        let broken = try Self.curl(
            stack,
            "POST",
            "/predict/l4",
            body: "a,b,c,d\n\"1,1,0,0\n",
            contentType: "text/csv"
        )
        #expect(broken.status == 400)
        #expect(broken.json?["code"]?.string == "invalid_csv", "\(broken.text)")
    }

    @Test func wrongContentTypeAndMethod() throws {
        let stack = try Self.startStack()
        defer { stack.stop() }
        let mlflow = try Self.curl(
            stack,
            "POST",
            "/invocations",
            body: #"{"instances": [[1, 2, 3, 4]]}"#,
            contentType: "text/plain"
        )
        #expect(mlflow.status == 415)
        #expect(mlflow.json?["error_code"]?.string == "BAD_REQUEST", "\(mlflow.text)")
        // `curl -d` sends a form type: refused, never guessed at.
        let v1 = try Self.curl(
            stack,
            "POST",
            "/v1/models/l4:predict",
            body: #"{"instances": [[1, 1, 0, 0]]}"#,
            contentType: "application/x-www-form-urlencoded"
        )
        #expect(v1.status == 415)
        #expect(v1.json?["error"]?.string?.contains("Content-Type") == true, "\(v1.text)")
        for path in ["/invocations", "/v1/models/l4:predict"] {
            let reply = try Self.curl(stack, "GET", path)
            #expect(reply.status == 405, "\(path)")
            #expect(reply.headers["allow"] == "POST", "\(path)")
            #expect(reply.json != nil, "\(path): \(reply.text)")
        }
        // C27 (3): an empty body is a prompt 400 in each dialect's shape.
        for path in ["/invocations", "/v1/models/l4:predict"] {
            let started = Date()
            let empty = try Self.curl(
                stack,
                "POST",
                path,
                body: "",
                contentType: "application/json"
            )
            #expect(empty.status == 400, "\(path): \(empty.text)")
            #expect(Date().timeIntervalSince(started) < 1, "\(path)")
            let shape = path == "/invocations" ? "error_code" : "error"
            #expect(empty.json?[shape] != nil, "\(path): \(empty.text)")
        }
        // The pool still answers.
        let after = try Self.curl(
            stack,
            "POST",
            "/v1/models/l4:predict",
            body: #"{"instances": [[1, 1, 0, 0]]}"#
        )
        #expect(after.predictions == [.number(3.5, text: "3.5")], "\(after.text)")
    }
}
