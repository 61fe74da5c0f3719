import Foundation
import TestSupport
import Testing

/// A real `augur serve` pool behind a real nginx, each on its own free port and socket in a
/// fresh temporary folder, stopped when the test ends.
final class ServedStack {
    struct SetupError: Error, CustomStringConvertible {
        let description: String
    }

    /// Integration tests run where nginx and a built `augur` exist; `scripts/test` sets
    /// `AUGUR_REQUIRE_INTEGRATION=1` so that a missing piece fails there instead of skipping.
    static var isAvailable: Bool {
        (nginxPath != nil && augurPath != nil)
            || ProcessInfo.processInfo.environment["AUGUR_REQUIRE_INTEGRATION"] == "1"
    }

    static let nginxPath: String? = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static let augurPath: String? = {
        if let path = ProcessInfo.processInfo.environment["AUGUR_BINARY"] { return path }
        return [".build/debug/augur", ".build/release/augur"]
            .map { Fixtures.packageRoot + "/" + $0 }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    let folder: String
    let socketPath: String
    let port: UInt16
    let augur: Process
    var nginx: Process?
    let augurLog: String

    var client: HTTPClient { HTTPClient(port: port) }

    /// Starts the pool with `models` (name → path) and nginx in front of it.
    init(models: [(String, String)], workers: Int = 2, extraArguments: [String] = []) throws {
        guard let augurPath = Self.augurPath else {
            throw SetupError(
                description: "no augur binary: run 'swift build' first or set AUGUR_BINARY"
            )
        }
        guard let nginxPath = Self.nginxPath else {
            throw SetupError(description: "nginx is not installed (apt-get install nginx-light)")
        }
        folder =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("augur-it-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        socketPath = folder + "/augur.sock"
        port = try Self.freePort()
        augurLog = folder + "/augur.log"

        augur = Process()
        augur.executableURL = URL(fileURLWithPath: augurPath)
        var arguments = ["serve", "--listen", "unix:" + socketPath, "--workers", String(workers)]
        for (name, path) in models { arguments += ["--model", "\(name)=\(path)"] }
        augur.arguments = arguments + extraArguments
        _ = FileManager.default.createFile(atPath: augurLog, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: augurLog))
        augur.standardError = log
        augur.standardOutput = log
        try augur.run()
        try waitFor("the augur socket") { FileManager.default.fileExists(atPath: self.socketPath) }

        try Self.renderNginxConfig(into: folder, port: port, socket: socketPath)
        let nginx = Process()
        nginx.executableURL = URL(fileURLWithPath: nginxPath)
        nginx.arguments = [
            "-p", folder + "/", "-c", folder + "/nginx.conf", "-e", folder + "/nginx-error.log",
            "-g", "daemon off;",
        ]
        nginx.standardError = FileHandle.nullDevice
        try nginx.run()
        self.nginx = nginx
        try waitFor("nginx on port \(port)") {
            (try? self.client.send("GET", "/nginx-probe")) != nil
        }
    }

    deinit {
        stop()
    }

    func stop() {
        if let nginx, nginx.isRunning {
            nginx.terminate()
            nginx.waitUntilExit()
        }
        if augur.isRunning {
            augur.terminate()
            augur.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The PIDs of the pool's worker processes (children of the master).
    func workerPIDs() -> [Int32] {
        let output = Self.run("/usr/bin/pgrep", ["-P", String(augur.processIdentifier)])
        return output.split(separator: "\n").compactMap { Int32($0) }
    }

    func log() -> String {
        (try? String(contentsOfFile: augurLog, encoding: .utf8)) ?? ""
    }

    /// - Parameter ignoringAugur: keep waiting when the augur process has ended (a test
    ///   that killed it on purpose).
    func waitFor(
        _ what: String,
        timeout: Double = 20,
        ignoringAugur: Bool = false,
        _ condition: () -> Bool
    ) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return }
            if !ignoringAugur, !augur.isRunning {
                throw SetupError(
                    description:
                        "augur exited (\(augur.terminationStatus)) before \(what): \(log())"
                )
            }
            usleep(20_000)
        }
        throw SetupError(description: "timed out waiting for \(what); augur log: \(log())")
    }

    /// Copies `nginx/` into `folder`, pointed at `port` and `socket`.
    static func renderNginxConfig(into folder: String, port: UInt16, socket: String) throws {
        let source = Fixtures.packageRoot + "/nginx"
        for file in try FileManager.default.contentsOfDirectory(atPath: source) {
            var text = try String(contentsOfFile: source + "/" + file, encoding: .utf8)
            text = text.replacingOccurrences(
                of: "listen 127.0.0.1:8080;",
                with: "listen 127.0.0.1:\(port);"
            )
            text = text.replacingOccurrences(
                of: "server unix:/run/augur/augur.sock",
                with: "server unix:\(socket)"
            )
            try text.write(toFile: folder + "/" + file, atomically: true, encoding: .utf8)
        }
        for sub in ["logs", "tmp"] {
            try FileManager.default.createDirectory(
                atPath: folder + "/" + sub,
                withIntermediateDirectories: true
            )
        }
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw SetupError(description: "no free port") }
        return UInt16(bigEndian: address.sin_port)
    }

    static func run(_ executable: String, _ arguments: [String]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
