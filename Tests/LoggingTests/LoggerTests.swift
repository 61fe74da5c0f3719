import Foundation
import Logging
import TestSupport
import Testing

@Suite struct LoggerTests {
    @Test func rendersLogfmt() {
        let line = LogLine(
            .info,
            "worker started",
            [.init("worker.pid", "123"), .init("slot", "0")]
        )
        #expect(line.description == #"level=info msg="worker started" worker.pid=123 slot=0"#)
    }

    @Test func quotesValuesThatAreNotPlainWords() {
        let line = LogLine(.error, "x", [.init("error", #"say "hi"\now"#), .init("empty", "")])
        #expect(line.description == #"level=error msg=x error="say \"hi\"\\now" empty="""#)
        #expect(LogLine(.info, "a=b").description == #"level=info msg="a=b""#)
    }

    @Test func noValueBreaksALineInEitherFormat() throws {
        let hostile = "a\nlevel=error msg=forged\r\t\u{0}\u{1B}[31m\"}{"
        let line = LogLine(.warning, hostile, [.init("request.id", hostile)])
        for format in LogFormat.allCases {
            let text = line.rendered(as: format)
            #expect(!text.contains("\n") && !text.contains("\r"), "\(format): \(text)")
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 }, "\(format): \(text)")
        }
        let json = try TestJSON.parse(Array(line.rendered(as: .json).utf8))
        #expect(json["msg"]?.string == hostile)
        #expect(json["request.id"]?.string == hostile)
        #expect(json["level"]?.string == "warning")
    }

    @Test func everyLineEndsWithThePid() {
        let logger = Logger(format: .logfmt, level: .debug)
        let text = logger.render(LogLine(.debug, "hello", [.init("k", "v")]))
        #expect(text == "level=debug msg=hello k=v pid=\(getpid())")
        let json = Logger(format: .json).render(LogLine(.info, "hello"))
        #expect(json == #"{"level":"info","msg":"hello","pid":\#(getpid())}"#)
    }

    @Test func levelsAreNamedAndOrdered() {
        #expect(LogLevel.allCases.map(\.name) == ["debug", "info", "warning", "error"])
        #expect(LogLevel(name: "warning") == .warning)
        #expect(LogLevel(name: "WARN") == nil)
        #expect(LogLevel.debug < .info && LogLevel.warning < .error)
    }

    @Test func linesBelowTheLevelAreNeitherBuiltNorWritten() throws {
        let (read, write) = try Self.pipe()
        defer { close(read) }
        let logger = Logger(format: .logfmt, level: .warning, descriptor: write)
        var built = 0
        func line(_ level: LogLevel) -> LogLine {
            built += 1
            return LogLine(level, "m")
        }
        logger.log(.debug, line(.debug))
        logger.log(.info, line(.info))
        #expect(built == 0)
        logger.write(LogLine(.info, "skipped"))
        logger.log(.warning, line(.warning))
        logger.log(.error, line(.error))
        close(write)
        #expect(built == 2)
        let text = Self.readAll(read)
        #expect(
            text == "level=warning msg=m pid=\(getpid())\nlevel=error msg=m pid=\(getpid())\n"
        )
    }

    @Test func theProcessLoggerIsSetOnce() {
        let before = Logger.process
        defer { Logger.bootstrap(before) }
        Logger.bootstrap(Logger(format: .json, level: .error))
        #expect(Logger.process == Logger(format: .json, level: .error))
    }

    static func pipe() throws -> (Int32, Int32) {
        var descriptors: [Int32] = [0, 0]
        guard Glibc.pipe(&descriptors) == 0 else { throw POSIXError(.EIO) }
        return (descriptors[0], descriptors[1])
    }

    static func readAll(_ descriptor: Int32) -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
