import Glibc
import Testing

@testable import WorkerPool

/// The crash-signal filter in real child processes: a `kill -SEGV` from outside ends the
/// process, a genuine fault still goes to the handler that was there before it.
@Suite struct CrashSignalsTests {
    /// How a forked child ended, and what it wrote to standard error.
    struct Outcome {
        var exit: WorkerExit?
        var stderr: String
    }

    /// Forks a child that runs `body` with standard error on a pipe, sends it `signal` once
    /// the child says it is waiting (``waitForever()``, after its handlers are in place,
    /// however slowly a loaded machine got it there), and SIGKILLs it `limit` after the signal
    /// (or after the start, when there is none to send).
    func runChild(
        sending signal: Int32? = nil,
        limit: Duration = .seconds(20),
        _ body: () -> Void
    ) -> Outcome {
        var pipeEnds: [Int32] = [0, 0]
        #expect(pipe(&pipeEnds) == 0)
        let child = fork()
        if child == 0 {
            dup2(pipeEnds[1], 2)
            close(pipeEnds[0])
            // A worker starts with nothing blocked; the test runner's thread may block some.
            var nothing = sigset_t()
            sigemptyset(&nothing)
            pthread_sigmask(SIG_SETMASK, &nothing, nil)
            body()
            _exit(0)
        }
        close(pipeEnds[1])
        let flags = fcntl(pipeEnds[0], F_GETFL)
        _ = fcntl(pipeEnds[0], F_SETFL, flags | O_NONBLOCK)
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        func drain() {
            while true {
                let count = chunk.withUnsafeMutableBytes {
                    read(pipeEnds[0], $0.baseAddress, $0.count)
                }
                guard count > 0 else { return }
                output += chunk[..<count]
            }
        }
        let clock = ContinuousClock()
        var deadline = clock.now + limit
        var sent = false
        var status: Int32 = 0
        var exit: WorkerExit?
        while exit == nil {
            if waitpid(child, &status, WNOHANG) == child {
                exit = WorkerExit(waitStatus: status)
                break
            }
            drain()
            if let signal, !sent, output.contains(Self.waitingMark) {
                kill(child, signal)
                sent = true
                deadline = clock.now + limit
            }
            if clock.now > deadline {
                kill(child, SIGKILL)
                waitpid(child, &status, 0)
                break
            }
            usleep(10_000)
        }
        drain()
        close(pipeEnds[0])
        return Outcome(exit: exit, stderr: String(decoding: output, as: UTF8.self))
    }

    /// Stands for the Swift runtime's handler: it reports, as the runtime does, and ends the
    /// process with a code the tests recognise.
    static let reportingHandler: @convention(c) (Int32) -> Void = { _ in
        let text = Array("previous handler ran\n".utf8)
        _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        _exit(42)
    }

    private static func installReportingHandler(for signal: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = reportingHandler
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
    }

    /// What ``waitForever()`` writes to standard error before it waits.
    static let waitingMark = UInt8(ascii: "~")

    /// Tells the parent the child is ready for its signal, then waits for it.
    private static func waitForever() {
        var mark = waitingMark
        _ = write(2, &mark, 1)
        while true { pause() }
    }

    @Test(arguments: [SIGSEGV, SIGABRT, SIGILL, SIGBUS, SIGFPE])
    func aSignalFromAnotherProcessEndsTheProcess(signal: Int32) {
        let outcome = runChild(sending: signal) {
            Self.installReportingHandler(for: signal)
            CrashSignals.install()
            Self.waitForever()
        }
        #expect(outcome.exit == .signaled(signal: signal, coreDumped: false))
        #expect(!outcome.stderr.contains("previous handler ran"))
    }

    /// A worker started with SIGQUIT ignored (bash does that to background jobs) still ends
    /// on `kill -QUIT`, as a worker's crash signals are set back to their default action.
    @Test func anIgnoredCrashSignalIsRestoredInAWorker() {
        let outcome = runChild(sending: SIGQUIT) {
            signal(SIGQUIT, SIG_IGN)
            CrashSignals.install()
            CrashSignals.restoreIgnored()
            Self.waitForever()
        }
        // SIGQUIT's default action may dump core, depending on the core size limit.
        if case .signaled(let signal, _)? = outcome.exit {
            #expect(signal == SIGQUIT)
        } else {
            Issue.record("the child outlived SIGQUIT: \(String(describing: outcome.exit))")
        }
    }

    /// Without the filter, the process outlives the signal: what workers did before.
    @Test func withoutTheFilterAHandlerKeepsTheProcessAlive() {
        let outcome = runChild(sending: SIGSEGV, limit: .seconds(1)) {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in }
            sigemptyset(&action.sa_mask)
            sigaction(SIGSEGV, &action, nil)
            Self.waitForever()
        }
        #expect(outcome.exit == nil)
    }

    @Test func aGenuineFaultReachesThePreviousHandler() {
        let outcome = runChild {
            Self.installReportingHandler(for: SIGSEGV)
            CrashSignals.install()
            let wild = UnsafeMutablePointer<Int>(bitPattern: 0x10)
            wild?.pointee = 1
        }
        #expect(outcome.exit == .exited(code: 42))
        #expect(outcome.stderr.contains("previous handler ran"))
    }

    /// `abort()` raises SIGABRT from the process itself: the runtime still reports it.
    @Test func anAbortReachesThePreviousHandler() {
        let outcome = runChild {
            Self.installReportingHandler(for: SIGABRT)
            CrashSignals.install()
            abort()
        }
        #expect(outcome.exit == .exited(code: 42))
    }

    /// With the Swift runtime's own backtracer in place (inherited by the child), a genuine
    /// fault is reported and the process dies of it.
    @Test func aGenuineFaultUnderTheRuntimeIsReportedAndFatal() {
        let outcome = runChild {
            CrashSignals.install()
            let wild = UnsafeMutablePointer<Int>(bitPattern: 0x10)
            wild?.pointee = 1
        }
        #expect(outcome.exit == .signaled(signal: SIGSEGV, coreDumped: false))
        #expect(outcome.stderr.contains("Program crashed"), "\(outcome.stderr.prefix(500))")
    }

    @Test func onlyCodesOfSentSignalsFromOthersCount() {
        #expect(CrashSignals.isSentByAnotherProcess(code: 0, sender: 7, me: 9))
        #expect(CrashSignals.isSentByAnotherProcess(code: -6, sender: 7, me: 9))
        #expect(!CrashSignals.isSentByAnotherProcess(code: -6, sender: 9, me: 9))
        #expect(!CrashSignals.isSentByAnotherProcess(code: 1, sender: 0, me: 9))
    }
}
