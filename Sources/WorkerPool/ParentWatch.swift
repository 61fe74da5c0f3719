import Glibc

/// Ends a worker whose master has died, so that orphans do not keep the socket (and a
/// stale socket file) alive after a `kill -9` of the master.
///
/// Polls `getppid()` from a thread: `prctl(PR_SET_PDEATHSIG)` would be the direct way, but
/// `prctl` is variadic and Swift cannot call it.
enum ParentWatch {
    /// How often the parent is checked.
    static let interval = timespec(tv_sec: 0, tv_nsec: 200_000_000)

    /// Starts the watching thread; on the master's death it sends SIGTERM to this process,
    /// which the worker handles as a normal stop.
    static func start(parent: pid_t) {
        // The thread must never receive the process's signals itself (a SIGTERM delivered to
        // it would kill the worker without a graceful stop), so it starts with all blocked.
        var all = sigset_t()
        sigfillset(&all)
        var previous = sigset_t()
        pthread_sigmask(SIG_SETMASK, &all, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        var thread = pthread_t()
        let parentBox = UnsafeMutableRawPointer(bitPattern: Int(parent))
        let result = pthread_create(
            &thread,
            nil,
            { argument in
                let parent = pid_t(Int(bitPattern: argument))
                var pause = ParentWatch.interval
                while getppid() == parent {
                    nanosleep(&pause, nil)
                }
                kill(getpid(), SIGTERM)
                return nil
            },
            parentBox
        )
        if result == 0 {
            pthread_detach(thread)
        }
    }
}
