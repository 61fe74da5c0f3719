import Testing
import WorkerPool

/// The restart count the master publishes as `augur_worker_restarts_total`.
@Suite struct SupervisorRestartCountTests {
    private func running() -> Supervisor {
        var supervisor = Supervisor(policy: Supervisor.Policy(workers: 2))
        _ = supervisor.handle(.started(at: .zero))
        _ = supervisor.handle(.workerSpawned(slot: 0, pid: 100, at: .zero))
        _ = supervisor.handle(.workerSpawned(slot: 1, pid: 101, at: .zero))
        return supervisor
    }

    @Test func countsEachUnexpectedDeath() {
        var supervisor = running()
        #expect(supervisor.restarts == 0)
        let killed = WorkerExit.signaled(signal: 9, coreDumped: false)
        _ = supervisor.handle(.workerExited(pid: 101, exit: killed, at: .seconds(1)))
        #expect(supervisor.restarts == 1)
        _ = supervisor.handle(.workerSpawned(slot: 1, pid: 102, at: .seconds(1)))
        _ = supervisor.handle(.workerExited(pid: 100, exit: .exited(code: 0), at: .seconds(2)))
        #expect(supervisor.restarts == 2)
        #expect(supervisor.livePIDs == [102])
    }

    @Test func workersToldToGoAreNotRestarts() {
        var supervisor = running()
        _ = supervisor.handle(.reloadRequested(at: .seconds(1)))
        _ = supervisor.handle(.workerSpawned(slot: 0, pid: 200, at: .seconds(1)))
        _ = supervisor.handle(.workerSpawned(slot: 1, pid: 201, at: .seconds(1)))
        _ = supervisor.handle(.workerExited(pid: 100, exit: .exited(code: 0), at: .seconds(2)))
        _ = supervisor.handle(.stopRequested(at: .seconds(3)))
        _ = supervisor.handle(.workerExited(pid: 200, exit: .exited(code: 0), at: .seconds(4)))
        #expect(supervisor.restarts == 0)
    }
}
