import Glibc

/// Lets a crash signal sent by another process (`kill -SEGV`) end the process, while a real
/// fault still reaches the handler that was there before (the Swift runtime's backtracer).
///
/// The runtime's handler prints a backtrace and returns. For a real fault that is fine: it
/// has reset the signal to its default action, so the faulting instruction runs again and
/// the process dies. A signal from `kill` does not come back, so the process lived on, its
/// backtracer thread spinning, and the master never replaced it.
enum CrashSignals {
    /// The signals the Swift runtime catches to print a backtrace.
    static let caught: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGQUIT]

    /// The handlers found at `install`, indexed by signal number; written before the filter
    /// is installed and only read afterwards, by the filter.
    nonisolated(unsafe) private static let previous: UnsafeMutablePointer<sigaction> = {
        let table = UnsafeMutablePointer<sigaction>.allocate(capacity: Int(NSIG))
        table.initialize(repeating: sigaction(), count: Int(NSIG))
        return table
    }()

    /// Wraps the handler of each signal in `caught` that has one; a signal at its default
    /// action or ignored is left alone. Call it once, before any thread starts; a forked
    /// child inherits it.
    static func install() {
        let table = previous
        for signal in caught {
            var current = sigaction()
            guard sigaction(signal, nil, &current) == 0, hasHandler(current) else { continue }
            table[Int(signal)] = current
            var filter = sigaction()
            filter.__sigaction_handler.sa_sigaction = { signal, info, context in
                CrashSignals.handle(signal, info, context)
            }
            filter.sa_mask = current.sa_mask
            // SA_ONSTACK keeps a stack overflow's report working on the runtime's own stack.
            filter.sa_flags =
                (current.sa_flags | SA_SIGINFO | Int32(SA_ONSTACK)) & ~Int32(
                    bitPattern: SA_RESETHAND
                )
            sigaction(signal, &filter, nil)
        }
    }

    /// Whether a signal with this `si_code` and sender came from another process: `kill`,
    /// `sigqueue` or `tgkill` (codes 0 and below) by a process other than this one. A fault
    /// has a positive code; `abort()` raises SIGABRT from this process itself.
    static func isSentByAnotherProcess(code: Int32, sender: pid_t, me: pid_t) -> Bool {
        code <= 0 && sender != me
    }

    /// Runs in the signal handler: only async-signal-safe calls.
    private static func handle(
        _ signal: Int32,
        _ info: UnsafeMutablePointer<siginfo_t>?,
        _ context: UnsafeMutableRawPointer?
    ) {
        let sentByAnother =
            info.map {
                isSentByAnotherProcess(
                    code: $0.pointee.si_code,
                    sender: $0.pointee._sifields._kill.si_pid,
                    me: getpid()
                )
            } ?? true
        let before = previous[Int(signal)]
        guard !sentByAnother, hasHandler(before) else {
            endWithDefaultAction(signal)
            return
        }
        if before.sa_flags & SA_SIGINFO != 0 {
            before.__sigaction_handler.sa_sigaction?(signal, info, context)
        } else {
            before.__sigaction_handler.sa_handler?(signal)
        }
    }

    /// Restores the default action and sends the signal again to this thread; it is blocked
    /// while its handler runs, so it takes effect as the handler returns.
    private static func endWithDefaultAction(_ signal: Int32) {
        var byDefault = sigaction()
        sigemptyset(&byDefault.sa_mask)
        sigaction(signal, &byDefault, nil)
        pthread_kill(pthread_self(), signal)
    }

    /// Sets the crash signals a parent left ignored back to their default action, so that
    /// `kill -QUIT` ends a worker as it ends any process: bash starts background jobs with
    /// SIGQUIT ignored, and an ignored signal never reaches the filter. Call it in a worker.
    static func restoreIgnored() {
        for signal in caught {
            var current = sigaction()
            guard sigaction(signal, nil, &current) == 0,
                unsafeBitCast(current.__sigaction_handler, to: Int.self) == 1
            else { continue }
            var byDefault = sigaction()
            sigemptyset(&byDefault.sa_mask)
            sigaction(signal, &byDefault, nil)
        }
    }

    private static func hasHandler(_ action: sigaction) -> Bool {
        let raw = unsafeBitCast(action.__sigaction_handler, to: Int.self)
        return raw != 0 && raw != 1
    }
}
