import Foundation
import TestSupport
import Testing

/// The `augur` binary run with a chosen environment, as a container or a unit runs it.
enum AugurRun {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `augur arguments` with this process's environment plus `environment` (where an
    /// empty value removes the variable).
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(ServedStack.augurPath))
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (name, value) in environment { merged[name] = value.isEmpty ? nil : value }
        process.environment = merged
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Standard error first fills its pipe only past 64 KiB, far more than augur writes.
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self)
        )
    }
}

/// `augur nginx-config`: its output passes `nginx -t` for a unix socket and for TCP, as the
/// part for `http { }` and as a whole nginx.conf, follows the options, and runs a real stack.
@Suite(
    .enabled(
        if: ServedStack.augurPath != nil && ServedStack.nginxPath != nil
            || ProcessInfo.processInfo.environment["AUGUR_REQUIRE_INTEGRATION"] == "1",
        "needs a built augur and nginx"
    )
)
struct NginxConfigCommandTests {
    static let iris = Fixtures.packageRoot + "/examples/models/iris.joblib"
    static let diabetes = Fixtures.packageRoot + "/examples/models/diabetes.joblib"

    static func temporaryFolder() throws -> String {
        let folder =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("augur-nginx-config-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// `nginx -t` on `mainFile` in `folder`: its status and what nginx said.
    static func nginxTest(_ folder: String, _ mainFile: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(ServedStack.nginxPath))
        process.arguments = [
            "-t", "-p", folder + "/", "-c", folder + "/" + mainFile, "-e", folder + "/error.log",
        ]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The part for `http { }` in a minimal main configuration, with temp paths in `folder`.
    static let minimalMain = """
        pid nginx.pid;
        events {}
        http {
            client_body_temp_path client_body_temp;
            fastcgi_temp_path fastcgi_temp;
            proxy_temp_path proxy_temp;
            uwsgi_temp_path uwsgi_temp;
            scgi_temp_path scgi_temp;
            include augur-site.conf;
        }

        """

    struct Shape: Sendable, CustomStringConvertible {
        let listen: String
        let complete: Bool
        var description: String { "\(listen)\(complete ? " --complete" : "")" }
    }

    @Test(
        arguments: [
            Shape(listen: "unix:/run/augur/augur.sock", complete: false),
            Shape(listen: "unix:/tmp/augur-check.sock", complete: true),
            Shape(listen: "tcp:127.0.0.1:9000", complete: false),
            Shape(listen: "tcp:0.0.0.0:9000", complete: true),
        ]
    )
    func nginxAcceptsWhatItPrints(_ shape: Shape) throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var arguments = ["nginx-config", "--listen", shape.listen, "--server-listen"]
        arguments.append("127.0.0.1:\(try ServedStack.freePort())")
        if shape.complete { arguments.append("--complete") }
        let result = try AugurRun.run(arguments)
        try #require(result.status == 0, "\(result.stderr)")
        let main = shape.complete ? "nginx.conf" : "main.conf"
        if shape.complete {
            try result.stdout.write(
                toFile: folder + "/nginx.conf",
                atomically: true,
                encoding: .utf8
            )
        } else {
            try result.stdout.write(
                toFile: folder + "/augur-site.conf",
                atomically: true,
                encoding: .utf8
            )
            try Self.minimalMain.write(
                toFile: folder + "/main.conf",
                atomically: true,
                encoding: .utf8
            )
        }
        let (status, said) = try Self.nginxTest(folder, main)
        #expect(status == 0, "\(said)\n\(result.stdout)")
        // One file: nothing of nginx/ is left to include.
        #expect(!result.stdout.contains("include augur"))
        #expect(!result.stdout.contains("include fastcgi_params"))
        let upstream =
            shape.listen.hasPrefix("unix:")
            ? shape.listen
            : shape.listen.dropFirst("tcp:".count).replacingOccurrences(
                of: "0.0.0.0",
                with: "127.0.0.1"
            )
        #expect(Self.values("server", in: result.stdout) == [String(upstream)])
    }

    /// The value of each uncommented `name` directive of `text`.
    static func values(_ name: String, in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
            guard words.first == Substring(name), words.count == 2, words[1].hasSuffix(";")
            else { return nil }
            return String(words[1].dropLast())
        }
    }

    @Test func theDirectivesFollowThePoolsOptions() throws {
        let result = try AugurRun.run([
            "nginx-config", "--workers", "3", "--threads", "8", "--nginx-workers", "4",
            "--max-body-bytes", "1000", "--request-timeout", "45.5", "--listen",
            "tcp:127.0.0.1:9123", "--server-listen", "[::1]:8081", "--complete",
        ])
        try #require(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        // keepalive x nginx workers at most half of 3 x 8 accept threads.
        #expect(Self.values("keepalive", in: text) == ["3"])
        #expect(Self.values("worker_processes", in: text) == ["4"])
        #expect(Self.values("client_max_body_size", in: text) == ["1000"])
        #expect(Self.values("client_body_buffer_size", in: text) == ["1000"])
        #expect(text.contains("limit of 1000 bytes"))
        #expect(!text.contains("limit of 67108864 bytes"))
        let timeouts = Self.values("fastcgi_read_timeout", in: text)
        #expect(!timeouts.isEmpty && timeouts.allSatisfy { $0 == "76s" }, "\(timeouts)")
        #expect(Self.values("listen", in: text) == ["[::1]:8081"])
        #expect(Self.values("server", in: text) == ["127.0.0.1:9123"])
    }

    @Test func theDefaultsKeepTheFilesValues() throws {
        let result = try AugurRun.run(["nginx-config", "--workers", "1"])
        try #require(result.status == 0, "\(result.stderr)")
        #expect(Self.values("listen", in: result.stdout) == ["127.0.0.1:8080"])
        #expect(Self.values("server", in: result.stdout) == ["unix:/run/augur/augur.sock"])
        #expect(Self.values("client_max_body_size", in: result.stdout) == ["64m"])
        #expect(Self.values("fastcgi_read_timeout", in: result.stdout).first == "60s")
        // One worker of four threads, two nginx workers: one each, as nginx/augur.conf.
        #expect(Self.values("keepalive", in: result.stdout) == ["1"])
        let few = try AugurRun.run(["nginx-config", "--workers", "1", "--threads", "3"])
        #expect(Self.values("keepalive", in: few.stdout) == [])
        #expect(few.stdout.contains("# No keepalive"))
    }

    @Test func addressesNginxCannotReadAreRefused() throws {
        for arguments in [
            ["--listen", "unix:/tmp/a b.sock"], ["--listen", "unix:/tmp/a;b.sock"],
            // nginx would look for a relative socket under its own prefix.
            ["--listen", "unix:augur.sock"],
            ["--server-listen", "8080"], ["--server-listen", "127.0.0.1:8080; x"],
            ["--server-listen", "127.0.0.1:0"],
        ] {
            let result = try AugurRun.run(["nginx-config"] + arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stdout.isEmpty)
        }
    }

    /// The whole path: a pool configured by variables only, and nginx from what
    /// `augur nginx-config` prints for the same variables, answer predictions.
    @Test func aStackFromItsOutputAnswersPredictions() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let port = try ServedStack.freePort()
        let environment = [
            "AUGUR_LISTEN": "unix:\(folder)/augur.sock",
            "AUGUR_MODEL": "iris=\(Self.iris),\n diabetes=\(Self.diabetes)",
            "AUGUR_DEFAULT": "iris",
            "AUGUR_WORKERS": "1",
            "AUGUR_SERVER_LISTEN": "127.0.0.1:\(port)",
        ]
        let rendered = try AugurRun.run(["nginx-config", "--complete"], environment: environment)
        try #require(rendered.status == 0, "\(rendered.stderr)")
        try rendered.stdout.write(toFile: folder + "/nginx.conf", atomically: true, encoding: .utf8)

        let augur = Process()
        augur.executableURL = URL(fileURLWithPath: try #require(ServedStack.augurPath))
        augur.arguments = ["serve"]
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        augur.environment = merged
        augur.standardError = FileHandle.nullDevice
        try augur.run()
        defer {
            augur.terminate()
            augur.waitUntilExit()
        }
        let nginx = Process()
        nginx.executableURL = URL(fileURLWithPath: try #require(ServedStack.nginxPath))
        nginx.arguments = [
            "-p", folder + "/", "-c", folder + "/nginx.conf", "-e", folder + "/error.log",
            "-g", "daemon off;",
        ]
        nginx.standardError = FileHandle.nullDevice
        try nginx.run()
        defer {
            nginx.terminate()
            nginx.waitUntilExit()
        }
        let client = HTTPClient(port: port)
        var ready = false
        for _ in 0..<1000 where augur.isRunning && nginx.isRunning {
            if let response = try? client.send("GET", "/v2/health/ready"), response.status == 200 {
                ready = true
                break
            }
            usleep(20_000)
        }
        try #require(ready, "the stack did not come up; augur running: \(augur.isRunning)")

        let iris = try client.send(
            "POST",
            "/predict",
            body: Array(#"{"features": [5.1, 3.5, 1.4, 0.2]}"#.utf8)
        )
        #expect(iris.status == 200)
        #expect(String(decoding: iris.body, as: UTF8.self) == #"{"prediction":0}"# + "\n")
        let models = try client.send("GET", "/v1/models")
        #expect(
            String(decoding: models.body, as: UTF8.self)
                == #"{"models":["diabetes","iris"]}"# + "\n"
        )
    }
}

/// `AUGUR_*` variables and the help that lists them.
@Suite(.enabled(if: ServedStack.augurPath != nil, "needs a built augur"))
struct EnvironmentOptionsTests {
    /// The `--workers` nginx-config states in its header: shows which value won.
    static func workers(_ result: AugurRun.Result) -> String? {
        let words = result.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard let index = words.firstIndex(of: "--workers") else { return nil }
        return String(words[index + 1])
    }

    @Test func theCommandLineWinsOverTheVariable() throws {
        let fromVariable = try AugurRun.run(["nginx-config"], environment: ["AUGUR_WORKERS": "3"])
        #expect(Self.workers(fromVariable) == "3", "\(fromVariable.stderr)")
        let both = try AugurRun.run(
            ["nginx-config", "--workers", "5"],
            environment: ["AUGUR_WORKERS": "3"]
        )
        #expect(Self.workers(both) == "5", "\(both.stderr)")
        // Even a bad variable: the option replaces it unread.
        let badVariable = try AugurRun.run(
            ["nginx-config", "--workers=5"],
            environment: ["AUGUR_WORKERS": "many"]
        )
        #expect(badVariable.status == 0, "\(badVariable.stderr)")
    }

    /// Where `augur serve` cannot bind, should a test's options ever be accepted.
    static let unbindable = "unix:/dev/null/augur.sock"

    @Test func aBadValueIsRefusedNamingTheVariable() throws {
        for command in ["serve", "nginx-config"] {
            for (name, value) in [
                ("AUGUR_WORKERS", "two"), ("AUGUR_LISTEN", "http://x"), ("AUGUR_WATCH", "0"),
                ("AUGUR_MODEL", "iris=/m/iris.joblib, nopath"), ("AUGUR_LOG_LEVEL", "loud"),
                ("AUGUR_REQUEST_TIMEOUT", "soon"),
            ] {
                var arguments = [command]
                if name != "AUGUR_MODEL" {
                    arguments += ["--model", "iris=" + NginxConfigCommandTests.iris]
                }
                if name != "AUGUR_LISTEN" { arguments += ["--listen", Self.unbindable] }
                let result = try AugurRun.run(arguments, environment: [name: value])
                #expect(result.status == 64, "\(command) \(name)=\(value): \(result.stderr)")
                #expect(
                    result.stderr.hasPrefix("augur: \(name)=\"\(value)\" in the environment: --"),
                    "\(command) \(name)=\(value): \(result.stderr)"
                )
            }
        }
    }

    @Test func aMisspeltVariableIsRefusedAndOthersAreLeftAlone() throws {
        for (name, meant) in [
            ("AUGUR_WORKER", "AUGUR_WORKERS"), ("AUGUR_MAXROWS", "AUGUR_MAX_ROWS"),
            ("AUGUR_LOG_LEVLE", "AUGUR_LOG_LEVEL"), ("AUGUR_MODELS", "AUGUR_MODEL"),
        ] {
            let result = try AugurRun.run(["nginx-config"], environment: [name: "1"])
            #expect(result.status == 64, "\(name)")
            #expect(
                result.stderr.contains(
                    "unknown environment variable \(name); did you mean \(meant)?"
                ),
                "\(result.stderr)"
            )
        }
        // The test runner's own, and what Kubernetes sets for the augur-worker Service.
        let others = [
            "AUGUR_BINARY": "/x", "AUGUR_PORT": "8080", "AUGUR_REQUIRE_INTEGRATION": "1",
            "AUGUR_WORKER_SERVICE_HOST": "10.0.0.1", "AUGUR_WORKER_PORT": "tcp://10.0.0.1:9000",
            "AUGUR_WORKER_PORT_9000_TCP_ADDR": "10.0.0.1",
        ]
        let result = try AugurRun.run(["nginx-config"], environment: others)
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// Items are split at commas and newlines and trimmed; spaces inside a path stay.
    @Test func listsAreSeparatedByCommasOrNewlines() throws {
        let missing = "/nonexistent/b c.joblib"
        let result = try AugurRun.run(
            ["serve", "--listen", Self.unbindable],
            environment: ["AUGUR_MODEL": "a=\(NginxConfigCommandTests.iris),\n b=\(missing) ,"]
        )
        #expect(result.status == 65, "\(result.stderr)")
        #expect(
            result.stderr.contains("'b'") && result.stderr.contains(missing + ":"),
            "\(result.stderr)"
        )
        let duplicate = try AugurRun.run(
            ["nginx-config"],
            environment: ["AUGUR_MODEL": "a=/m/a.joblib,a=/m/b.joblib"]
        )
        #expect(duplicate.status == 64)
        #expect(duplicate.stderr.contains("model name 'a' is given twice"), "\(duplicate.stderr)")
        #expect(duplicate.stderr.contains("AUGUR_MODEL=\""), "\(duplicate.stderr)")
    }

    /// Every `--name` in serve's help is an option serve reads, with its variable next to it;
    /// the help prints whatever the environment holds.
    @Test func serveHelpListsEveryOptionWithItsVariable() throws {
        let help = try AugurRun.run(["serve", "--help"], environment: ["AUGUR_WORKERS": "bad"])
        #expect(help.status == 0)
        #expect(try AugurRun.run(["help", "serve"]).stdout == help.stdout)
        let names = help.stdout.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  --") else { return nil }
            return String(line.dropFirst(4).prefix { $0 != " " })
        }
        #expect(names.count == 15, "\(names)")
        for name in names {
            let variable = "AUGUR_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
            #expect(help.stdout.contains(variable), "\(variable)")
            let result = try AugurRun.run(["serve", "--\(name)=x", "--listen", Self.unbindable])
            #expect(result.status != 0)
            #expect(!result.stderr.contains("unknown option"), "\(name): \(result.stderr)")
        }
        #expect(help.stdout.contains("AUGUR_THREADS (4)"))
        #expect(try AugurRun.run(["help", "nginx-config"]).stdout.contains("--complete"))
        #expect(try AugurRun.run(["help", "servr"]).status == 64)
        let usage = try AugurRun.run([])
        #expect(usage.status == 64)
        #expect(usage.stdout.hasPrefix("usage: augur <command>"))
        let nginxHelp = try AugurRun.run(["nginx-config", "--help"])
        #expect(nginxHelp.status == 0)
        #expect(nginxHelp.stdout.contains("AUGUR_SERVER_LISTEN (127.0.0.1:8080)"))
    }
}
