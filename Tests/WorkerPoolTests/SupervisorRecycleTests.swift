import Testing
import WorkerPool

/// A worker that served `--max-requests` exits with `WorkerExit.recycleCode`: replaced at
/// once, never counted as a restart, never pushed into a crash-loop backoff.
@Suite struct SupervisorRecycleTests {
    private func running(workers: Int) -> Supervisor {
        var supervisor = Supervisor(policy: Supervisor.Policy(workers: workers, crashLimit: 2))
        _ = supervisor.handle(.started(at: .zero))
        for slot in 0..<workers {
            _ = supervisor.handle(.workerSpawned(slot: slot, pid: Int32(100 + slot), at: .zero))
        }
        return supervisor
    }

    @Test func aRecycledWorkerIsReplacedAtOnceWithoutARestart() {
        var supervisor = running(workers: 2)
        var pid: Int32 = 101
        // Far more recycles in one window than the crash limit allows deaths.
        for round in 0..<10 {
            let now = Duration.milliseconds(100 * (round + 1))
            let actions = supervisor.handle(
                .workerExited(pid: pid, exit: .exited(code: WorkerExit.recycleCode), at: now)
            )
            #expect(actions.contains(.spawn(slot: 1)), "round \(round): \(actions)")
            let lines = actions.compactMap { if case .log(let line) = $0 { line } else { nil } }
            #expect(lines.map(\.message) == ["worker recycled"])
            #expect(lines.first?.level == .info)
            #expect(lines.first?["exit.code"] == "75")
            pid += 100
            _ = supervisor.handle(.workerSpawned(slot: 1, pid: pid, at: now))
        }
        #expect(supervisor.restarts == 0)
        #expect(supervisor.nextDeadline == nil)
        #expect(supervisor.livePIDs.count == 2)
    }

    @Test func otherCleanExitsStillCountAsDeaths() {
        var supervisor = running(workers: 1)
        let actions = supervisor.handle(
            .workerExited(pid: 100, exit: .exited(code: 0), at: .seconds(1))
        )
        let lines = actions.compactMap { if case .log(let line) = $0 { line } else { nil } }
        #expect(lines.first?.message == "worker died")
        #expect(supervisor.restarts == 1)
        #expect(WorkerExit.exited(code: 75).isRecycle)
        #expect(!WorkerExit.exited(code: 0).isRecycle)
        #expect(!WorkerExit.signaled(signal: 75, coreDumped: false).isRecycle)
    }

    @Test func aRecycleDuringAStopIsNotReplaced() {
        var supervisor = running(workers: 1)
        _ = supervisor.handle(.stopRequested(at: .seconds(1)))
        let actions = supervisor.handle(
            .workerExited(pid: 100, exit: .exited(code: WorkerExit.recycleCode), at: .seconds(2))
        )
        #expect(!actions.contains(.spawn(slot: 0)))
        #expect(actions.contains(.exit(code: 0)))
    }
}
