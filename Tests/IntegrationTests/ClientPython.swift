import Foundation
import TestSupport

/// The Python of `.venv-clients` (Tests/Clients/requirements.txt: schemathesis,
/// tritonclient, requests), for tests that run real client libraries against the live
/// stack. `scripts/test` builds it and sets `AUGUR_CLIENT_PYTHON`.
enum ClientPython {
    static let path: String? = {
        if let path = ProcessInfo.processInfo.environment["AUGUR_CLIENT_PYTHON"] { return path }
        let local = Fixtures.packageRoot + "/.venv-clients/bin/python"
        return FileManager.default.isExecutableFile(atPath: local) ? local : nil
    }()

    /// Client tests run where the stack and the venv exist, and must run (failing if a piece
    /// is missing) under `scripts/test`.
    static var isAvailable: Bool {
        (ServedStack.isAvailable && path != nil)
            || ProcessInfo.processInfo.environment["AUGUR_REQUIRE_INTEGRATION"] == "1"
    }

    struct Run {
        let status: Int32
        let output: String
    }

    /// Runs `script` (a path under the package root) with `arguments`, its standard output
    /// and error together, stopped after `timeout`.
    static func run(_ script: String, _ arguments: [String], timeout: Duration = .seconds(300))
        throws -> Run
    {
        try runPython([Fixtures.packageRoot + "/" + script] + arguments, timeout: timeout)
    }

    /// Runs the client Python with `arguments` in `folder` (the current one when nil), with
    /// proxies bypassed for the stack on 127.0.0.1; output goes to `logPath` (a temporary
    /// file, removed afterwards, when nil). A run past `timeout` is stopped and thrown.
    static func runPython(
        _ arguments: [String],
        in folder: String? = nil,
        logPath: String? = nil,
        timeout: Duration
    ) throws -> Run {
        guard let path else {
            throw ServedStack.SetupError(
                description: "no client Python: run scripts/test, or set AUGUR_CLIENT_PYTHON"
            )
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        var environment = ProcessInfo.processInfo.environment
        // Requests go to the stack on 127.0.0.1, never through a proxy the machine may name.
        environment["NO_PROXY"] = "127.0.0.1,localhost"
        environment["no_proxy"] = "127.0.0.1,localhost"
        process.environment = environment
        let output =
            logPath
            ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("augur-client-\(UUID().uuidString).log").path
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        defer {
            try? handle.close()
            if logPath == nil { try? FileManager.default.removeItem(atPath: output) }
        }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while process.isRunning && clock.now < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            let what = arguments.prefix(2).joined(separator: " ")
            throw ServedStack.SetupError(description: "python \(what) ran past \(timeout)")
        }
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        return Run(status: process.terminationStatus, output: text)
    }
}
