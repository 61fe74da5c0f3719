import Testing
import WorkerPool

@Suite struct WorkerExitTests {
    @Test func decodesExitCodes() {
        #expect(WorkerExit(waitStatus: 0) == .exited(code: 0))
        #expect(WorkerExit(waitStatus: 1 << 8) == .exited(code: 1))
        #expect(WorkerExit(waitStatus: 255 << 8) == .exited(code: 255))
        #expect(WorkerExit(waitStatus: 0).isClean)
    }

    @Test func decodesSignals() {
        #expect(WorkerExit(waitStatus: 9) == .signaled(signal: 9, coreDumped: false))
        #expect(WorkerExit(waitStatus: 6 | 0x80) == .signaled(signal: 6, coreDumped: true))
        #expect(WorkerExit(waitStatus: 9).description == "SIGKILL")
        #expect(WorkerExit(waitStatus: 11 | 0x80).description == "SIGSEGV (core dumped)")
    }
}
