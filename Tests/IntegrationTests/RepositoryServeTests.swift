import Foundation
import TestSupport
import Testing

/// `augur serve --repository DIR` as a user runs it: behind real nginx, and refusing
/// folders it cannot serve before anything listens.
@Suite(.serialized, .enabled(if: ServedStack.augurPath != nil, "needs a built augur"))
struct RepositoryServeTests {
    /// A temporary repository folder, removed when the test ends.
    final class Repository {
        let path: String

        init() throws {
            path =
                FileManager.default.temporaryDirectory
                .appendingPathComponent("augur-repo-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: true
            )
        }

        deinit {
            try? FileManager.default.removeItem(atPath: path)
        }

        /// Copies `Tests/Fixtures/served/CASE/model.joblib` to `relativePath`.
        func copy(_ fixture: String, to relativePath: String) throws {
            let target = path + "/" + relativePath
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            // Copied beside the target and renamed, as a deployment replaces files, so a
            // scan never sees half a file.
            let temporary = path + "/.incoming-\(UUID().uuidString.prefix(8))"
            try FileManager.default.copyItem(
                atPath: Fixtures.root + "/served/\(fixture)/model.joblib",
                toPath: temporary
            )
            try FileManager.default.moveItem(atPath: temporary, toPath: target)
        }

        func write(_ text: String, to relativePath: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + relativePath))
        }

        func remove(_ relativePath: String) throws {
            try FileManager.default.removeItem(atPath: path + "/" + relativePath)
        }
    }

    /// echo and l4 as files, tree in versions 2 (c24_p2) and 10 (c24_p3).
    static func fourModels() throws -> Repository {
        let repository = try Repository()
        try repository.copy("echo", to: "echo.joblib")
        try repository.copy("l4", to: "l4.pkl")
        try repository.copy("c24_p2", to: "tree/2/model.joblib")
        try repository.copy("c24_p3", to: "tree/10/model.joblib")
        try repository.write("these models are for tests", to: "README.md")
        return repository
    }

    /// The first recorded request of a served case, as a `/predict` body, and the
    /// predictions scikit-learn recorded for it.
    static func recorded(_ fixture: String) throws -> (body: [UInt8], predict: TestJSON) {
        let expected = try TestJSON.read(path: Fixtures.root + "/served/\(fixture)/expected.json")
        let request = try #require(expected["requests"]?.array?.first)
        let rows = try #require(request["rows"]?.matrix)
        let body = try JSONSerialization.data(withJSONObject: ["instances": rows])
        return (Array(body), try #require(request["predict"]))
    }

    /// Posts `fixture`'s recorded rows to `path` and checks scikit-learn's predictions come
    /// back (labels exactly, numbers within the fixtures' tolerance).
    static func expectRecorded(
        _ fixture: String,
        at path: String,
        from stack: ServedStack,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let (body, wanted) = try recorded(fixture)
        let response = try stack.client.send("POST", path, body: body)
        #expect(response.status == 200, "\(path): \(response.text)", sourceLocation: sourceLocation)
        let predictions = try TestJSON.parse(response.body)["predictions"]?.array ?? []
        let expected = try #require(wanted.array)
        #expect(predictions.count == expected.count, "\(path)", sourceLocation: sourceLocation)
        for (actual, wanted) in zip(predictions, expected) {
            if let value = actual.double, let wantedValue = wanted.double {
                #expect(
                    Fixtures.close(value, wantedValue),
                    "\(path)",
                    sourceLocation: sourceLocation
                )
            } else {
                #expect(actual == wanted, "\(path)", sourceLocation: sourceLocation)
            }
        }
    }

    /// Sends SIGHUP and waits until every worker that served before has exited, so that
    /// only workers with the re-read models answer.
    static func reload(_ stack: ServedStack) throws {
        let before = Set(stack.workerPIDs())
        kill(stack.augur.processIdentifier, SIGHUP)
        try stack.waitFor("the workers to be replaced") {
            let now = stack.workerPIDs()
            return now.count == 2 && Set(now).isDisjoint(with: before)
        }
    }

    @Test(.enabled(if: ServedStack.isAvailable, "needs nginx"))
    func everyModelOfTheFolderAnswersThroughNginx() throws {
        let repository = try Self.fourModels()
        let stack = try ServedStack(models: [], extraArguments: ["--repository", repository.path])
        defer { stack.stop() }

        try Self.expectRecorded("echo", at: "/predict/echo", from: stack)
        try Self.expectRecorded("l4", at: "/predict/l4", from: stack)
        // Without a version the newest answers: 10 by value, where text order says 2.
        try Self.expectRecorded("c24_p3", at: "/predict/tree", from: stack)

        for (method, path) in [
            ("POST", "/predict/iris"), ("POST", "/v1/models/iris:predict"),
            ("GET", "/v1/models/iris"), ("POST", "/v2/models/iris/infer"),
            ("GET", "/v2/models/iris"), ("GET", "/v2/models/iris/versions/1/ready"),
        ] {
            let unknown = try stack.client.send(
                method,
                path,
                body: method == "POST" ? Array(#"{"instances": [[1]]}"#.utf8) : []
            )
            #expect(unknown.status == 404, "\(path)")
            let json = try TestJSON.parse(unknown.body)
            #expect(json["code"]?.string == "model_not_found", "\(path)")
            #expect(
                json["error"]?.string == "no model named 'iris'; models: 'echo', 'l4', 'tree'",
                "\(path)"
            )
        }

        // V2 reaches either version by number.
        for (version, fixture) in [("2", "c24_p2"), ("10", "c24_p3")] {
            let expected = try TestJSON.read(
                path: Fixtures.root + "/served/\(fixture)/expected.json"
            )
            let request = try #require(expected["requests"]?.array?.first)
            let rows = try #require(request["rows"]?.matrix)
            let body = try JSONSerialization.data(withJSONObject: [
                "inputs": [
                    ["name": "x", "shape": [rows.count, 1], "datatype": "FP64", "data": rows]
                ]
            ])
            let response = try stack.client.send(
                "POST",
                "/v2/models/tree/versions/\(version)/infer",
                body: Array(body)
            )
            #expect(response.status == 200, "\(response.text)")
            let json = try TestJSON.parse(response.body)
            #expect(json["model_version"]?.string == version)
            #expect(json["outputs"]?.array?.first?["data"] == request["predict"])
        }
        // Several models and no --default: /predict names none.
        let unnamed = try stack.client.send("POST", "/predict", body: Array("{}".utf8))
        #expect(unnamed.status == 404)
        #expect(stack.log().contains("msg=\"skipped in model repository\""))
        #expect(stack.log().contains("README.md"))
    }

    @Test(.enabled(if: ServedStack.isAvailable, "needs nginx"))
    func repositoryAndModelArgumentsCombineAndDefaultNamesEither() throws {
        let repository = try Self.fourModels()
        let stack = try ServedStack(
            models: [("s1", Fixtures.root + "/served/s1/model.joblib")],
            extraArguments: ["--repository", repository.path, "--default", "echo"]
        )
        defer { stack.stop() }
        try Self.expectRecorded("s1", at: "/predict/s1", from: stack)
        try Self.expectRecorded("echo", at: "/predict", from: stack)
        try Self.expectRecorded("c24_p3", at: "/predict/tree", from: stack)
    }

    /// SIGHUP re-scans the folder: an added file is served, a removed one is gone, the
    /// older version answers once the newer is removed, and a folder that no longer loads
    /// leaves the running models in place.
    @Test(.enabled(if: ServedStack.isAvailable, "needs nginx"))
    func sighupRescansTheFolder() throws {
        let repository = try Self.fourModels()
        let stack = try ServedStack(models: [], extraArguments: ["--repository", repository.path])
        defer { stack.stop() }
        let s1 = try Self.recorded("s1")
        let absent = try stack.client.send("POST", "/predict/s1", body: s1.body)
        #expect(absent.status == 404)

        try repository.copy("s1", to: "s1.joblib")
        try repository.remove("l4.pkl")
        try repository.remove("tree/10")
        try Self.reload(stack)
        try Self.expectRecorded("s1", at: "/predict/s1", from: stack)
        let removed = try stack.client.send("POST", "/predict/l4", body: s1.body)
        #expect(removed.status == 404, "\(removed.text)")
        try Self.expectRecorded("c24_p2", at: "/predict/tree", from: stack)
        // Metrics see the re-read set: a load time for s1, generation 2.
        let metrics = try stack.client.send("GET", "/metrics").text
        #expect(metrics.contains("augur_model_load_duration_seconds{model=\"s1\"} "), "\(metrics)")
        #expect(metrics.contains("augur_model_generation 2\n"), "\(metrics)")

        // A broken file: the reload fails and the previous models keep serving.
        let broken = try Data(
            contentsOf: URL(fileURLWithPath: Fixtures.root + "/served/echo/model.joblib")
        )
        try broken.prefix(broken.count / 2).write(
            to: URL(fileURLWithPath: repository.path + "/half.joblib")
        )
        try repository.copy("l4", to: "l4.pkl")
        kill(stack.augur.processIdentifier, SIGHUP)
        try stack.waitFor("the failed reload in the log") {
            stack.log().contains("reload failed")
        }
        #expect(stack.log().contains(repository.path + "/half.joblib"))
        #expect(stack.workerPIDs().count == 2)
        try Self.expectRecorded("s1", at: "/predict/s1", from: stack)
        let stillAbsent = try stack.client.send("POST", "/predict/l4", body: s1.body)
        #expect(stillAbsent.status == 404, "\(stillAbsent.text)")
    }

    // MARK: - Start-up refusals (no nginx needed)

    func serve(_ arguments: [String]) throws -> (status: Int32, stderr: String, socket: String) {
        let socket =
            FileManager.default.temporaryDirectory.path + "/augur-repo-\(getpid())-"
            + UUID().uuidString.prefix(8) + ".sock"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(ServedStack.augurPath))
        process.arguments = ["serve", "--listen", "unix:" + socket] + arguments
        let error = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = error
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            // It started serving where it should have refused: stop it and fail.
            process.terminate()
            process.waitUntilExit()
            Issue.record("augur serve \(arguments) did not stop")
        }
        let text = error.fileHandleForReading.readDataToEndOfFile()
        return (process.terminationStatus, String(decoding: text, as: UTF8.self), socket)
    }

    @Test func twoFilesForOneNameStopStartupNamingBoth() throws {
        let repository = try Repository()
        try repository.copy("s1", to: "iris.joblib")
        try repository.copy("echo", to: "iris.pkl")
        let result = try serve(["--repository", repository.path])
        #expect(result.status == 65)
        #expect(
            result.stderr
                == "augur: model 'iris' is given twice: \(repository.path)/iris.joblib and "
                + "\(repository.path)/iris.pkl; rename or remove one\n"
        )
        #expect(!FileManager.default.fileExists(atPath: result.socket))
    }

    @Test func aNameFromModelAndFromTheRepositoryStopsStartup() throws {
        let repository = try Self.fourModels()
        let echo = Fixtures.root + "/served/echo/model.joblib"
        let result = try serve(["--model", "echo=" + echo, "--repository", repository.path])
        #expect(result.status == 65)
        #expect(
            result.stderr.hasSuffix(
                "augur: model 'echo' is given twice: --model echo=\(echo) and "
                    + "\(repository.path)/echo.joblib; rename or remove one\n"
            ),
            "\(result.stderr)"
        )
    }

    @Test func anEmptyOrMissingRepositoryStopsStartup() throws {
        let repository = try Repository()
        try repository.write("no models yet", to: "README.md")
        let empty = try serve(["--repository", repository.path])
        #expect(empty.status == 65)
        #expect(empty.stderr.contains("augur: no model in repository \(repository.path)"))
        let missing = try serve(["--repository", repository.path + "/nowhere"])
        #expect(missing.status == 66)
        #expect(
            missing.stderr
                == "augur: cannot read model repository folder \(repository.path)/nowhere: "
                + "No such file or directory\n"
        )
    }

    @Test func aFileThatFailsToLoadStopsStartupNamingIt() throws {
        let repository = try Self.fourModels()
        try repository.write("not a pickle", to: "tree/2/model.joblib")
        let result = try serve(["--repository", repository.path])
        #expect(result.status == 65)
        #expect(
            result.stderr.contains(
                "augur: model 'tree' version 2: cannot load \(repository.path)/tree/2/model.joblib"
            ),
            "\(result.stderr)"
        )
    }

    @Test func defaultMustNameAServedModel() throws {
        let repository = try Self.fourModels()
        let result = try serve(["--repository", repository.path, "--default", "iris"])
        #expect(result.status == 64)
        #expect(
            result.stderr.hasSuffix(
                "augur: --default iris names no served model; models: 'echo', 'l4', 'tree'\n"
            ),
            "\(result.stderr)"
        )
    }

    @Test func serveNeedsAModelOrARepository() throws {
        let result = try serve([])
        #expect(result.status == 64)
        #expect(
            result.stderr.hasPrefix(
                "augur: give at least one --model NAME=PATH or --repository DIR"
            )
        )
    }
}
