import Glibc
import Logging

/// The pool's master process: binds the socket, forks the workers, and performs the
/// `Supervisor`'s decisions until SIGTERM or SIGINT.
///
/// All signals are taken synchronously with `sigtimedwait`, never in handlers, so the loop
/// below is the only place anything happens.
public enum Master {
    /// Runs the pool; returns when it has stopped.
    ///
    /// Each worker is a `fork` of this process that runs `worker` with the listening
    /// descriptor and `_exit`s with its result; it starts with default dispositions and an
    /// empty mask for SIGTERM, SIGINT, SIGHUP and SIGCHLD, and is sent SIGTERM if this
    /// master dies. A crash signal another process sends it (`kill -SEGV`) ends it, so that
    /// it is replaced (see `CrashSignals`). SIGHUP calls `reload` in the master (for example
    /// to re-read models) and, if it returns true, replaces every worker, the old ones
    /// finishing what they serve.
    ///
    /// Call it from the main thread before any other thread exists.
    /// - Parameters:
    ///   - configuration: address, worker count and stop grace.
    ///   - reload: runs in the master on SIGHUP, before workers are replaced.
    ///   - worker: the worker's whole life, given the listening descriptor; returns its exit
    ///     code.
    ///   - poolChanged: told the live worker processes and the restarts so far whenever the
    ///     master has acted on an event (for metrics).
    ///   - watch: checked every `interval` between events (`--watch`); when it answers
    ///     true, the master reloads as on SIGHUP.
    /// - Returns: the master's exit code: 0 after a stop.
    /// - Throws: `PoolError` if the configuration is unusable or the socket cannot be bound.
    public static func run(
        configuration: PoolConfiguration,
        reload: () -> Bool = { true },
        worker: (_ listeningDescriptor: Int32) -> Int32,
        poolChanged: (_ workersAlive: Int, _ restarts: Int) -> Void = { _, _ in },
        watch: (interval: Duration, changed: () -> Bool)? = nil
    ) throws(PoolError) -> Int32 {
        try configuration.validate()
        // Logs go to standard error, often a pipe (tee, a log shipper); if its reader goes
        // away, a write must fail with EPIPE, not kill the pool and strand its socket.
        // Workers inherit this; libfcgi then sees EPIPE on a peer that hung up, too.
        signal(SIGPIPE, SIG_IGN)
        // Before any fork, so that workers inherit it: a `kill -SEGV` ends a worker (and is
        // replaced) instead of leaving it running after a backtrace.
        CrashSignals.install()
        var signals = signalSet([SIGCHLD, SIGTERM, SIGINT, SIGHUP])
        var previousMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &signals, &previousMask)
        let socket: ListeningSocket
        do {
            socket = try ListeningSocket.open(configuration.listen, backlog: configuration.backlog)
        } catch {
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
            throw error
        }
        log(
            LogLine(
                .info,
                "pool listening",
                [
                    .init("address", configuration.listen.description),
                    .init("workers", "\(configuration.workers)"),
                    .init("threads", "\(configuration.threadsPerWorker)"),
                    .init("master.pid", "\(getpid())"),
                ]
            )
        )
        var supervisor = Supervisor(
            policy: Supervisor.Policy(
                workers: configuration.workers,
                stopGrace: configuration.stopGrace
            )
        )
        let masterPID = getpid()
        var pending = supervisor.handle(.started(at: now()))
        var nextWatch = watch.map { now() + $0.interval }
        while true {
            while !pending.isEmpty {
                let action = pending.removeFirst()
                switch action {
                case .spawn(let slot):
                    let pid = fork()
                    if pid == 0 {
                        becomeWorker(master: masterPID)
                        _exit(worker(socket.descriptor))
                    }
                    let event: Supervisor.Event =
                        pid > 0
                        ? .workerSpawned(slot: slot, pid: pid, at: now())
                        : .spawnFailed(slot: slot, reason: errorText(errno), at: now())
                    pending.append(contentsOf: supervisor.handle(event))
                case .signal(let pid, let signal):
                    kill(pid, signal == .kill ? SIGKILL : SIGTERM)
                case .log(let line):
                    log(line)
                case .exit(let code):
                    socket.closeAndRemove()
                    pthread_sigmask(SIG_SETMASK, &previousMask, nil)
                    return code
                }
            }
            poolChanged(supervisor.livePIDs.count, supervisor.restarts)
            let deadlines = [supervisor.nextDeadline, nextWatch].compactMap { $0 }
            let signal = wait(for: &signals, until: deadlines.min())
            var reloadNow = false
            switch signal {
            case SIGTERM, SIGINT:
                log(LogLine(.info, "stop requested", [.init("signal", signalName(signal))]))
                pending += supervisor.handle(.stopRequested(at: now()))
            case SIGHUP:
                reloadNow = true
            default:
                break
            }
            if let watch, let due = nextWatch, now() >= due, supervisor.phase == .running {
                nextWatch = now() + watch.interval
                if !reloadNow, watch.changed() {
                    log(LogLine(.info, "watched model files changed; reloading"))
                    reloadNow = true
                }
            }
            if reloadNow, supervisor.phase == .running {
                if reload() {
                    pending += supervisor.handle(.reloadRequested(at: now()))
                } else {
                    log(LogLine(.error, "reload failed; keeping the running workers"))
                }
            }
            // Several children may have ended behind one SIGCHLD.
            var status: Int32 = 0
            while true {
                let pid = waitpid(-1, &status, WNOHANG)
                guard pid > 0 else { break }
                let exit = WorkerExit(waitStatus: status)
                pending += supervisor.handle(.workerExited(pid: pid, exit: exit, at: now()))
            }
            pending += supervisor.handle(.tick(at: now()))
        }
    }

    /// Waits for one of `signals` until `deadline` (at most a second, as a safety net).
    /// - Returns: the signal, or 0 on timeout or interruption.
    private static func wait(for signals: inout sigset_t, until deadline: Duration?) -> Int32 {
        var timeout = Duration.seconds(1)
        if let deadline {
            timeout = max(.zero, min(timeout, deadline - now()))
        }
        let (seconds, attoseconds) = timeout.components
        var time = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var info = siginfo_t()
        let signal = sigtimedwait(&signals, &info, &time)
        return max(0, signal)
    }

    /// Child side of `fork`: undo the master's signal setup and watch for the master's death.
    private static func becomeWorker(master: pid_t) {
        var defaultAction = sigaction()
        sigemptyset(&defaultAction.sa_mask)
        for signal in [SIGCHLD, SIGTERM, SIGINT, SIGHUP] {
            sigaction(signal, &defaultAction, nil)
        }
        CrashSignals.restoreIgnored()
        ParentWatch.start(parent: master)
        var empty = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, nil)
    }

    /// Monotonic time (`CLOCK_MONOTONIC`) as a duration since boot.
    static func now() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }

    static func log(_ line: LogLine) {
        Logger.process.write(line)
    }

    private static func signalSet(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals {
            sigaddset(&set, signal)
        }
        return set
    }

    private static func errorText(_ error: Int32) -> String {
        String(cString: strerror(error))
    }
}
