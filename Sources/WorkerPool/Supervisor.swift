/// The master's decisions, as a state machine with no processes in it: events in (a worker
/// started or died, a stop was asked, time passed), actions out (spawn, signal, exit, log).
/// `Master` performs the actions; tests drive it with made-up pids and times.
///
/// Times are monotonic durations since any fixed origin.
public struct Supervisor: Sendable {
    /// Limits the supervisor enforces.
    public struct Policy: Equatable, Sendable {
        /// Worker slots to keep filled.
        public var workers: Int
        /// More deaths than this in one slot within `crashWindow` is a crash loop.
        public var crashLimit: Int
        public var crashWindow: Duration
        /// The first respawn delay in a crash loop; it doubles with each further death.
        public var initialBackoff: Duration
        public var maximumBackoff: Duration
        /// How long workers may take to stop after SIGTERM before they get SIGKILL.
        public var stopGrace: Duration

        public init(
            workers: Int,
            crashLimit: Int = 5,
            crashWindow: Duration = .seconds(10),
            initialBackoff: Duration = .milliseconds(500),
            maximumBackoff: Duration = .seconds(8),
            stopGrace: Duration = .seconds(15)
        ) {
            self.workers = workers
            self.crashLimit = crashLimit
            self.crashWindow = crashWindow
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.stopGrace = stopGrace
        }
    }

    public enum Event: Equatable, Sendable {
        /// The master is ready: fill every slot.
        case started(at: Duration)
        /// A `spawn` action produced this process.
        case workerSpawned(slot: Int, pid: Int32, at: Duration)
        /// A `spawn` action failed (fork failed).
        case spawnFailed(slot: Int, reason: String, at: Duration)
        /// `waitpid` reaped this process.
        case workerExited(pid: Int32, exit: WorkerExit, at: Duration)
        /// SIGTERM or SIGINT reached the master.
        case stopRequested(at: Duration)
        /// Replace every worker with a fresh one (SIGHUP), old ones finishing gracefully.
        case reloadRequested(at: Duration)
        /// Time passed; sent whenever the master wakes.
        case tick(at: Duration)
    }

    /// The signals the supervisor sends.
    public enum Signal: Equatable, Sendable {
        /// SIGTERM: finish requests in flight, then exit.
        case terminate
        /// SIGKILL.
        case kill
    }

    public enum Action: Equatable, Sendable {
        /// Fork a worker for this slot, then report `workerSpawned` or `spawnFailed`.
        case spawn(slot: Int)
        case signal(pid: Int32, Signal)
        /// Clean up and end the master with this code.
        case exit(code: Int32)
        case log(LogLine)
    }

    public enum Phase: Equatable, Sendable {
        case idle
        case running
        /// SIGTERM sent; SIGKILL at `killAt` unless `killed` already.
        case stopping(killAt: Duration, killed: Bool)
        case stopped
    }

    struct Slot: Equatable, Sendable {
        var pid: Int32?
        /// Times of recent unexpected deaths, oldest first.
        var deaths: [Duration] = []
        /// Set while a crash-looping slot waits to be refilled.
        var respawnAt: Duration?
        /// The delay the next crash-loop respawn will use.
        var nextBackoff: Duration?
    }

    public let policy: Policy
    public private(set) var phase: Phase = .idle
    private(set) var slots: [Slot]
    /// Workers replaced by a reload that are still finishing.
    private(set) var retiring: Set<Int32> = []
    /// Slots with a `spawn` action out whose result has not been reported yet.
    private(set) var spawning: Set<Int> = []
    /// Workers that died while the pool ran (none is told to exit then), each replaced at
    /// once or after a crash-loop backoff.
    public private(set) var restarts = 0

    public init(policy: Policy) {
        self.policy = policy
        self.slots = Array(repeating: Slot(), count: max(0, policy.workers))
    }

    /// The pids of live workers, current and retiring.
    public var livePIDs: [Int32] {
        slots.compactMap(\.pid) + retiring.sorted()
    }

    /// When the master must wake next even if no signal arrives: a delayed respawn or the
    /// SIGKILL deadline.
    public var nextDeadline: Duration? {
        switch phase {
        case .running: slots.compactMap(\.respawnAt).min()
        case .stopping(let killAt, let killed): killed ? nil : killAt
        case .idle, .stopped: nil
        }
    }

    /// Applies one event and returns what to do, in order.
    public mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .started:
            guard phase == .idle else { return [] }
            phase = .running
            return slots.indices.map { spawn($0) }
        case .workerSpawned(let slot, let pid, _):
            return spawned(slot: slot, pid: pid)
        case .spawnFailed(let slot, let reason, let now):
            return spawnFailed(slot: slot, reason: reason, now: now)
        case .workerExited(let pid, let exit, let now):
            return exited(pid: pid, exit: exit, now: now)
        case .stopRequested(let now):
            return stop(now: now)
        case .reloadRequested:
            return reload()
        case .tick(let now):
            return tick(now: now)
        }
    }

    private mutating func spawned(slot: Int, pid: Int32) -> [Action] {
        guard slots.indices.contains(slot) else { return [] }
        spawning.remove(slot)
        let started = LogLine(
            .info,
            "worker started",
            [.init("worker.pid", "\(pid)"), .init("slot", "\(slot)")]
        )
        guard phase == .running else {
            // Forked just as a stop began: it has to go too.
            retiring.insert(pid)
            return [.log(started), .signal(pid: pid, .terminate)] + finishStopIfDone()
        }
        slots[slot].pid = pid
        return [.log(started)]
    }

    private mutating func spawnFailed(slot: Int, reason: String, now: Duration) -> [Action] {
        guard slots.indices.contains(slot) else { return [] }
        spawning.remove(slot)
        guard phase == .running else { return finishStopIfDone() }
        let delay = takeBackoff(slot: slot)
        slots[slot].respawnAt = now + delay
        return [
            .log(
                LogLine(
                    .error,
                    "cannot start worker; retrying",
                    [
                        .init("slot", "\(slot)"), .init("error", reason),
                        .init("retry.after", format(delay)),
                    ]
                )
            )
        ]
    }

    private mutating func exited(pid: Int32, exit: WorkerExit, now: Duration) -> [Action] {
        if retiring.remove(pid) != nil {
            let line = LogLine(
                .info,
                "worker exited",
                [.init("worker.pid", "\(pid)")] + exit.fields
            )
            return [.log(line)] + finishStopIfDone()
        }
        guard let slot = slots.firstIndex(where: { $0.pid == pid }) else {
            return [
                .log(
                    LogLine(
                        .info,
                        "reaped an unknown child",
                        [.init("pid", "\(pid)")] + exit.fields
                    )
                )
            ]
        }
        slots[slot].pid = nil
        let fields = [.init("worker.pid", "\(pid)"), .init("slot", "\(slot)")] + exit.fields
        guard phase == .running else {
            return [.log(LogLine(.info, "worker exited", fields))] + finishStopIfDone()
        }
        if exit.isRecycle {
            // It served its request limit: replace it at once, neither a crash nor a restart.
            return [.log(LogLine(.info, "worker recycled", fields)), spawn(slot)]
        }
        // Any other exit while running is unexpected: workers only exit when told to.
        var actions: [Action] = [
            .log(LogLine(exit.isClean ? .warning : .error, "worker died", fields))
        ]
        restarts += 1
        slots[slot].deaths.append(now)
        slots[slot].deaths.removeAll { now - $0 > policy.crashWindow }
        let deaths = slots[slot].deaths.count
        if deaths > policy.crashLimit {
            let delay = takeBackoff(slot: slot)
            slots[slot].respawnAt = now + delay
            actions.append(
                .log(
                    LogLine(
                        .error,
                        "worker is crash-looping; delaying its respawn",
                        // The last death says why: its exit code or signal.
                        [
                            .init("slot", "\(slot)"), .init("deaths", "\(deaths)"),
                            .init("window", format(policy.crashWindow)),
                            .init("retry.after", format(delay)),
                        ] + exit.fields
                    )
                )
            )
        } else {
            slots[slot].nextBackoff = nil
            actions.append(spawn(slot))
        }
        return actions
    }

    private mutating func stop(now: Duration) -> [Action] {
        switch phase {
        case .idle, .stopped:
            phase = .stopped
            return [.log(LogLine(.info, "pool stopped")), .exit(code: 0)]
        case .stopping(_, let killed):
            // A second Ctrl-C: do not make the operator wait out the grace period.
            guard !killed else { return [] }
            phase = .stopping(killAt: now, killed: true)
            return [.log(LogLine(.warning, "second stop request; killing workers"))]
                + livePIDs.map { .signal(pid: $0, .kill) }
        case .running:
            phase = .stopping(killAt: now + policy.stopGrace, killed: false)
            for index in slots.indices {
                slots[index].respawnAt = nil
            }
            let live = livePIDs
            let line = LogLine(.info, "pool stopping", [.init("workers", "\(live.count)")])
            return [.log(line)] + live.map { .signal(pid: $0, .terminate) } + finishStopIfDone()
        }
    }

    private mutating func reload() -> [Action] {
        guard phase == .running else { return [] }
        var actions: [Action] = [.log(LogLine(.info, "reloading: replacing every worker"))]
        for index in slots.indices {
            if let pid = slots[index].pid {
                retiring.insert(pid)
                slots[index].pid = nil
                actions.append(.signal(pid: pid, .terminate))
            }
            // A slot waiting out a crash-loop backoff keeps waiting.
            if slots[index].respawnAt == nil {
                actions.append(spawn(index))
            }
        }
        return actions
    }

    private mutating func tick(now: Duration) -> [Action] {
        switch phase {
        case .running:
            var actions: [Action] = []
            for index in slots.indices {
                if let due = slots[index].respawnAt, due <= now {
                    slots[index].respawnAt = nil
                    actions.append(spawn(index))
                }
            }
            return actions
        case .stopping(let killAt, let killed):
            guard !killed, now >= killAt else { return [] }
            phase = .stopping(killAt: killAt, killed: true)
            let live = livePIDs
            guard !live.isEmpty else { return [] }
            let line = LogLine(
                .warning,
                "workers still running after the stop grace; killing them",
                [.init("workers", "\(live.count)"), .init("grace", format(policy.stopGrace))]
            )
            return [.log(line)] + live.map { .signal(pid: $0, .kill) }
        case .idle, .stopped:
            return []
        }
    }

    private mutating func spawn(_ slot: Int) -> Action {
        spawning.insert(slot)
        return .spawn(slot: slot)
    }

    /// Ends a stop once no worker is alive or about to be.
    private mutating func finishStopIfDone() -> [Action] {
        guard case .stopping = phase, livePIDs.isEmpty, spawning.isEmpty else { return [] }
        phase = .stopped
        return [.log(LogLine(.info, "pool stopped")), .exit(code: 0)]
    }

    /// The delay for this crash-loop respawn; doubles the next one up to the maximum.
    private mutating func takeBackoff(slot: Int) -> Duration {
        let delay = slots[slot].nextBackoff ?? policy.initialBackoff
        slots[slot].nextBackoff = min(delay * 2, policy.maximumBackoff)
        return delay
    }

    private func format(_ duration: Duration) -> String {
        let milliseconds =
            duration.components.seconds * 1000
            + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
