import Testing
import WorkerPool

@Suite struct SupervisorTests {
    /// A supervisor with `workers` slots started at time 0, pids 100, 101, … already spawned.
    private func running(workers: Int = 2, policy: Supervisor.Policy? = nil) -> Supervisor {
        var supervisor = Supervisor(policy: policy ?? Supervisor.Policy(workers: workers))
        let actions = supervisor.handle(.started(at: .zero))
        #expect(actions == (0..<workers).map { .spawn(slot: $0) })
        for slot in 0..<workers {
            _ = supervisor.handle(.workerSpawned(slot: slot, pid: Int32(100 + slot), at: .zero))
        }
        return supervisor
    }

    private func spawns(_ actions: [Supervisor.Action]) -> [Int] {
        actions.compactMap { if case .spawn(let slot) = $0 { slot } else { nil } }
    }

    private func signals(_ actions: [Supervisor.Action]) -> [Int32: Supervisor.Signal] {
        var result: [Int32: Supervisor.Signal] = [:]
        for case .signal(let pid, let signal) in actions {
            result[pid] = signal
        }
        return result
    }

    private func logs(_ actions: [Supervisor.Action]) -> [LogLine] {
        actions.compactMap { if case .log(let line) = $0 { line } else { nil } }
    }

    @Test func fillsEverySlotAtStartAndLogsEachWorker() {
        var supervisor = Supervisor(policy: Supervisor.Policy(workers: 3))
        #expect(
            supervisor.handle(.started(at: .zero)) == [
                .spawn(slot: 0), .spawn(slot: 1), .spawn(slot: 2),
            ]
        )
        let actions = supervisor.handle(.workerSpawned(slot: 1, pid: 42, at: .zero))
        #expect(logs(actions).first?.message == "worker started")
        #expect(logs(actions).first?["worker.pid"] == "42")
        #expect(logs(actions).first?["slot"] == "1")
        #expect(supervisor.livePIDs == [42])
        #expect(supervisor.phase == .running)
    }

    @Test func respawnsADeadWorkerImmediatelyInItsSlot() {
        var supervisor = running()
        let actions = supervisor.handle(
            .workerExited(pid: 101, exit: .signaled(signal: 9, coreDumped: false), at: .seconds(5))
        )
        #expect(spawns(actions) == [1])
        let died = logs(actions).first
        #expect(died?.message == "worker died")
        #expect(died?.level == .error)
        #expect(died?["exit.signal"] == "SIGKILL")
        #expect(died?["slot"] == "1")
        #expect(supervisor.livePIDs == [100])
        _ = supervisor.handle(.workerSpawned(slot: 1, pid: 200, at: .seconds(5)))
        #expect(supervisor.livePIDs == [100, 200])
    }

    @Test func logsTheExitCodeOfAWorkerThatExitedByItself() {
        var supervisor = running()
        let actions = supervisor.handle(
            .workerExited(pid: 100, exit: .exited(code: 3), at: .seconds(1))
        )
        #expect(logs(actions).first?["exit.code"] == "3")
        #expect(spawns(actions) == [0])
    }

    @Test func backsOffASlotThatCrashLoopsAndSaysWhy() {
        var supervisor = running(workers: 1)
        var pid: Int32 = 100
        var now = Duration.zero
        // Five deaths within the window are still respawned at once.
        for _ in 0..<5 {
            now += .seconds(1)
            let actions = supervisor.handle(
                .workerExited(pid: pid, exit: .exited(code: 1), at: now)
            )
            #expect(spawns(actions) == [0])
            pid += 1
            _ = supervisor.handle(.workerSpawned(slot: 0, pid: pid, at: now))
        }
        // The sixth within ten seconds is a crash loop: no spawn, a delay, and a log line.
        now += .seconds(1)
        let actions = supervisor.handle(.workerExited(pid: pid, exit: .exited(code: 1), at: now))
        #expect(spawns(actions).isEmpty)
        let line = logs(actions).last
        #expect(line?.message == "worker is crash-looping; delaying its respawn")
        #expect(line?["deaths"] == "6")
        #expect(line?["retry.after"] == "500ms")
        #expect(line?["window"] == "10s")
        #expect(line?["exit.code"] == "1")
        #expect(supervisor.nextDeadline == now + .milliseconds(500))
        #expect(spawns(supervisor.handle(.tick(at: now + .milliseconds(499)))).isEmpty)
        #expect(spawns(supervisor.handle(.tick(at: now + .milliseconds(500)))) == [0])
        #expect(supervisor.nextDeadline == nil)

        // Further deaths double the delay, up to the maximum.
        var delays: [String] = []
        for _ in 0..<6 {
            pid += 1
            now += .milliseconds(600)
            _ = supervisor.handle(.workerSpawned(slot: 0, pid: pid, at: now))
            let again = supervisor.handle(.workerExited(pid: pid, exit: .exited(code: 1), at: now))
            #expect(spawns(again).isEmpty)
            delays.append(logs(again).last?["retry.after"] ?? "")
            _ = supervisor.handle(.tick(at: now + .seconds(60)))
        }
        #expect(delays == ["1s", "2s", "4s", "8s", "8s", "8s"])
    }

    @Test func forgetsDeathsOlderThanTheWindow() {
        var supervisor = running(workers: 1)
        var pid: Int32 = 100
        var now = Duration.zero
        // A death every 2.5 s never puts more than five in a 10 s window.
        for _ in 0..<20 {
            now += .milliseconds(2500)
            let actions = supervisor.handle(
                .workerExited(pid: pid, exit: .exited(code: 1), at: now)
            )
            #expect(spawns(actions) == [0])
            pid += 1
            _ = supervisor.handle(.workerSpawned(slot: 0, pid: pid, at: now))
        }
    }

    @Test func aCalmSlotStartsOverWithTheShortestDelay() {
        var supervisor = running(workers: 1)
        var pid: Int32 = 100
        var now = Duration.zero
        func die() -> [Supervisor.Action] {
            let actions = supervisor.handle(
                .workerExited(pid: pid, exit: .exited(code: 1), at: now)
            )
            pid += 1
            return actions
        }
        for _ in 0..<7 {
            now += .milliseconds(100)
            _ = die()
            _ = supervisor.handle(.tick(at: now + .seconds(30)))
            _ = supervisor.handle(.workerSpawned(slot: 0, pid: pid, at: now))
        }
        // A minute of calm, then a new burst: backoff starts from the beginning again.
        now += .seconds(60)
        #expect(spawns(die()) == [0])
        _ = supervisor.handle(.workerSpawned(slot: 0, pid: pid, at: now))
        for _ in 0..<4 {
            now += .milliseconds(100)
            #expect(spawns(die()) == [0])
            _ = supervisor.handle(.workerSpawned(slot: 0, pid: pid, at: now))
        }
        now += .milliseconds(100)
        #expect(logs(die()).last?["retry.after"] == "500ms")
    }

    @Test func retriesAFailedForkAfterADelay() {
        var supervisor = Supervisor(policy: Supervisor.Policy(workers: 1))
        _ = supervisor.handle(.started(at: .zero))
        let actions = supervisor.handle(
            .spawnFailed(slot: 0, reason: "Resource temporarily unavailable", at: .seconds(1))
        )
        #expect(logs(actions).first?.level == .error)
        #expect(logs(actions).first?["error"] == "Resource temporarily unavailable")
        #expect(supervisor.nextDeadline == .milliseconds(1500))
        #expect(spawns(supervisor.handle(.tick(at: .milliseconds(1500)))) == [0])
    }

    @Test func stopsWithSIGTERMAndExitsWhenAllWorkersAreGone() {
        var supervisor = running(workers: 3)
        let actions = supervisor.handle(.stopRequested(at: .seconds(10)))
        #expect(signals(actions) == [100: .terminate, 101: .terminate, 102: .terminate])
        #expect(supervisor.phase == .stopping(killAt: .seconds(25), killed: false))
        #expect(supervisor.nextDeadline == .seconds(25))
        #expect(!actions.contains(.exit(code: 0)))

        // Workers that exit during a stop are not respawned.
        var exits = supervisor.handle(
            .workerExited(pid: 101, exit: .exited(code: 0), at: .seconds(11))
        )
        #expect(spawns(exits).isEmpty)
        #expect(logs(exits).first?.message == "worker exited")
        exits = supervisor.handle(.workerExited(pid: 100, exit: .exited(code: 0), at: .seconds(11)))
        #expect(!exits.contains(.exit(code: 0)))
        exits = supervisor.handle(.workerExited(pid: 102, exit: .exited(code: 0), at: .seconds(12)))
        #expect(exits.last == .exit(code: 0))
        #expect(logs(exits).last?.message == "pool stopped")
        #expect(supervisor.phase == .stopped)
    }

    @Test func killsWorkersStillRunningAfterTheDeadline() {
        var supervisor = running(
            workers: 2,
            policy: Supervisor.Policy(workers: 2, stopGrace: .seconds(5))
        )
        _ = supervisor.handle(.stopRequested(at: .seconds(100)))
        _ = supervisor.handle(.workerExited(pid: 100, exit: .exited(code: 0), at: .seconds(101)))
        #expect(signals(supervisor.handle(.tick(at: .seconds(104)))).isEmpty)
        let actions = supervisor.handle(.tick(at: .seconds(105)))
        #expect(signals(actions) == [101: .kill])
        #expect(logs(actions).first?.level == .warning)
        #expect(logs(actions).first?["workers"] == "1")
        #expect(supervisor.nextDeadline == nil)
        // Killed once only.
        #expect(supervisor.handle(.tick(at: .seconds(106))).isEmpty)
        let last = supervisor.handle(
            .workerExited(
                pid: 101,
                exit: .signaled(signal: 9, coreDumped: false),
                at: .seconds(106)
            )
        )
        #expect(last.last == .exit(code: 0))
    }

    @Test func aSecondStopRequestKillsAtOnce() {
        var supervisor = running(workers: 2)
        _ = supervisor.handle(.stopRequested(at: .seconds(1)))
        let actions = supervisor.handle(.stopRequested(at: .seconds(2)))
        #expect(signals(actions) == [100: .kill, 101: .kill])
        #expect(supervisor.handle(.stopRequested(at: .seconds(3))).isEmpty)
    }

    /// A worker killed by a signal again and again: the crash-loop line names the signal,
    /// and every death before it is logged as an error with its signal.
    @Test func aCrashLoopOfSignalsLogsTheSignal() {
        var supervisor = running(workers: 1, policy: Supervisor.Policy(workers: 1, crashLimit: 2))
        let segfault = WorkerExit.signaled(signal: 11, coreDumped: false)
        var pid: Int32 = 100
        for second in 1...2 {
            let actions = supervisor.handle(
                .workerExited(pid: pid, exit: segfault, at: .seconds(second))
            )
            #expect(logs(actions).first?.level == .error)
            #expect(logs(actions).first?["exit.signal"] == "SIGSEGV")
            #expect(spawns(actions) == [0])
            pid += 1
            _ = supervisor.handle(.workerSpawned(slot: 0, pid: pid, at: .seconds(second)))
        }
        let looping = supervisor.handle(.workerExited(pid: pid, exit: segfault, at: .seconds(3)))
        #expect(spawns(looping).isEmpty)
        let line = logs(looping).last
        #expect(line?.message == "worker is crash-looping; delaying its respawn")
        #expect(line?.level == .error)
        #expect(line?["deaths"] == "3")
        #expect(line?["exit.signal"] == "SIGSEGV")
        #expect(supervisor.restarts == 3)
    }

    @Test func aStopCancelsPendingRespawns() {
        var supervisor = running(workers: 1, policy: Supervisor.Policy(workers: 1, crashLimit: 0))
        let died = supervisor.handle(
            .workerExited(pid: 100, exit: .exited(code: 1), at: .seconds(1))
        )
        #expect(spawns(died).isEmpty)
        #expect(supervisor.nextDeadline != nil)
        let actions = supervisor.handle(.stopRequested(at: .seconds(1)))
        #expect(actions.last == .exit(code: 0))
        #expect(spawns(supervisor.handle(.tick(at: .seconds(60)))).isEmpty)
    }

    @Test func stopsAWorkerForkedJustAsTheStopBegan() {
        var supervisor = Supervisor(policy: Supervisor.Policy(workers: 1))
        _ = supervisor.handle(.started(at: .zero))
        // The spawn is still out, so the stop cannot finish yet.
        #expect(!supervisor.handle(.stopRequested(at: .zero)).contains(.exit(code: 0)))
        let actions = supervisor.handle(.workerSpawned(slot: 0, pid: 7, at: .zero))
        #expect(signals(actions) == [7: .terminate])
        let exited = supervisor.handle(
            .workerExited(pid: 7, exit: .exited(code: 0), at: .seconds(1))
        )
        #expect(exited.last == .exit(code: 0))
    }

    @Test func aForkThatFailsDuringAStopEndsIt() {
        var supervisor = Supervisor(policy: Supervisor.Policy(workers: 1))
        _ = supervisor.handle(.started(at: .zero))
        _ = supervisor.handle(.stopRequested(at: .zero))
        let actions = supervisor.handle(.spawnFailed(slot: 0, reason: "no", at: .zero))
        #expect(actions.last == .exit(code: 0))
    }

    @Test func stoppingBeforeStartExitsAtOnce() {
        var supervisor = Supervisor(policy: Supervisor.Policy(workers: 2))
        #expect(supervisor.handle(.stopRequested(at: .zero)).last == .exit(code: 0))
    }

    @Test func reloadReplacesEveryWorkerWhileOldOnesFinish() {
        var supervisor = running(workers: 2)
        let actions = supervisor.handle(.reloadRequested(at: .seconds(1)))
        #expect(signals(actions) == [100: .terminate, 101: .terminate])
        #expect(spawns(actions) == [0, 1])
        _ = supervisor.handle(.workerSpawned(slot: 0, pid: 200, at: .seconds(1)))
        _ = supervisor.handle(.workerSpawned(slot: 1, pid: 201, at: .seconds(1)))
        #expect(Set(supervisor.livePIDs) == [100, 101, 200, 201])
        // Retired workers exiting is expected: no respawn, no crash count.
        let exited = supervisor.handle(
            .workerExited(pid: 100, exit: .exited(code: 0), at: .seconds(2))
        )
        #expect(spawns(exited).isEmpty)
        #expect(logs(exited).first?.level == .info)
        #expect(Set(supervisor.livePIDs) == [101, 200, 201])
    }

    @Test func aStopDuringAReloadWaitsForRetiringWorkersToo() {
        var supervisor = running(workers: 1)
        _ = supervisor.handle(.reloadRequested(at: .seconds(1)))
        _ = supervisor.handle(.workerSpawned(slot: 0, pid: 200, at: .seconds(1)))
        let actions = supervisor.handle(.stopRequested(at: .seconds(2)))
        #expect(signals(actions) == [100: .terminate, 200: .terminate])
        _ = supervisor.handle(.workerExited(pid: 200, exit: .exited(code: 0), at: .seconds(3)))
        #expect(supervisor.phase != .stopped)
        let last = supervisor.handle(
            .workerExited(pid: 100, exit: .exited(code: 0), at: .seconds(3))
        )
        #expect(last.last == .exit(code: 0))
    }

    @Test func ignoresChildrenItDoesNotKnow() {
        var supervisor = running(workers: 1)
        let actions = supervisor.handle(
            .workerExited(pid: 999, exit: .exited(code: 0), at: .seconds(1))
        )
        #expect(spawns(actions).isEmpty)
        #expect(supervisor.livePIDs == [100])
    }
}
