import Testing
import WorkerPool

@Suite struct LogLineTests {
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
}
