import Logging
import Testing

@Suite struct LoggerTests {
    @Test func rendersLogfmt() {
        let line = LogLine(.info, "worker started", [.init("worker.pid", "123")])
        #expect(line.description == #"level=info msg="worker started" worker.pid=123"#)
    }
}
