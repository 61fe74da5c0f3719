import Foundation
import TestSupport
import Testing

/// `augur serve` and `augur predict` as a user runs them.
@Suite(.enabled(if: ServedStack.augurPath != nil, "needs a built augur"))
struct ServeCommandTests {
    func run(_ arguments: [String], input: [UInt8] = []) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(ServedStack.augurPath))
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: out, as: UTF8.self),
            String(decoding: err, as: UTF8.self)
        )
    }

    @Test func aBadModelFileStopsStartupWithAClearMessage() throws {
        let folder = FileManager.default.temporaryDirectory.path
        let broken = folder + "/augur-broken-\(getpid()).joblib"
        let iris = try Data(
            contentsOf: URL(fileURLWithPath: Fixtures.packageRoot + "/examples/models/iris.joblib")
        )
        try iris.prefix(iris.count / 2).write(to: URL(fileURLWithPath: broken))
        defer { try? FileManager.default.removeItem(atPath: broken) }
        let socket = folder + "/augur-broken-\(getpid()).sock"
        let result = try run([
            "serve", "--model", "iris=" + Fixtures.packageRoot + "/examples/models/iris.joblib",
            "--model", "bad=" + broken, "--listen", "unix:" + socket,
        ])
        #expect(result.status == 65)
        #expect(result.stderr.contains(broken), "\(result.stderr)")
        #expect(result.stderr.contains("bad"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: socket))
    }

    @Test func aMissingModelFileIsNamed() throws {
        let result = try run([
            "serve", "--model", "x=/nonexistent/model.joblib", "--listen",
            "unix:/tmp/augur-never.sock",
        ])
        #expect(result.status == 65)
        #expect(result.stderr.contains("/nonexistent/model.joblib"))
    }

    /// A socket path taken by a regular file: exit 69, and the message names the address
    /// once.
    @Test func aSocketThatCannotBeBoundIsNamedOnce() throws {
        let path = FileManager.default.temporaryDirectory.path + "/augur-taken-\(getpid()).sock"
        try Data("not a socket".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try run([
            "serve", "--model", "iris=" + Fixtures.packageRoot + "/examples/models/iris.joblib",
            "--listen", "unix:" + path,
        ])
        #expect(result.status == 69)
        #expect(
            result.stderr.components(separatedBy: "unix:" + path).count == 2,
            "\(result.stderr)"
        )
        #expect(result.stderr.hasPrefix("augur: unix:\(path): the path exists and is not a socket"))
    }

    @Test func usageErrorsExit64() throws {
        #expect(try run(["serve"]).status == 64)
        #expect(try run(["serve", "--model", "nopath"]).status == 64)
        #expect(try run(["serve", "--bogus"]).status == 64)
        #expect(try run(["frobnicate"]).status == 64)
    }

    @Test func predictPrintsWhatTheServerWouldAnswer() throws {
        let iris = Fixtures.packageRoot + "/examples/models/iris.joblib"
        let ok = try run(
            ["predict", iris],
            input: Array(#"{"features": [5.1, 3.5, 1.4, 0.2]}"#.utf8)
        )
        #expect(ok.status == 0)
        #expect(ok.stdout == "{\"prediction\":0}\n")
        let bad = try run(["predict", iris], input: Array(#"{"features": [5.1]}"#.utf8))
        #expect(bad.status == 1)
        #expect(try TestJSON.parse(bad.stdout)["code"]?.string == "feature_count")
        let fromFile = try run([
            "predict", iris, "--input", Fixtures.packageRoot + "/examples/requests/iris-batch.json",
        ])
        #expect(fromFile.status == 0)
        #expect(try TestJSON.parse(fromFile.stdout)["predictions"]?.array?.count == 2)
    }

    /// The same body gives byte-identical answers from `augur predict` and through nginx.
    @Test(.enabled(if: ServedStack.isAvailable))
    func predictAndServerAgreeByteForByte() throws {
        let iris = Fixtures.packageRoot + "/examples/models/iris.joblib"
        let stack = try ServedStack(models: [("iris", iris)])
        defer { stack.stop() }
        for request in ["iris-one", "iris-batch", "iris-named"] {
            let path = Fixtures.packageRoot + "/examples/requests/\(request).json"
            let body = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let offline = try run(["predict", iris, "--input", path])
            let online = try stack.client.send("POST", "/predict", body: body)
            #expect(online.status == 200)
            #expect(offline.stdout == online.text, "\(request)")
        }
    }
}
