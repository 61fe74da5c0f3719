import Glibc
import Logging

/// The worker's signal plumbing: stop signals are blocked everywhere and taken by `sigwait`
/// in one thread; SIGUSR1 is caught and does nothing.
enum Signals {
    /// libfcgi's own handler for it would stop the worker's accepting without a stop.
    static let interrupt = SIGUSR1
    /// Sent by an accept thread to its own process when the worker has served
    /// `maxRequests`; taken by `sigwait` like the stop signals.
    static let requestLimit = SIGUSR2

    static func set(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals {
            sigaddset(&set, signal)
        }
        return set
    }

    /// Installs a do-nothing SIGUSR1 handler with `SA_RESTART`, so a stray SIGUSR1 breaks
    /// no read or write of a request (accept threads are stopped through a pipe, see
    /// `IdleWait`). Installing it before `FCGX_Init` keeps libfcgi's own SIGUSR1 handler
    /// out: libfcgi only installs one where the disposition is still the default.
    static func prepareInterruptSignal() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = Int32(SA_RESTART)
        sigaction(interrupt, &action, nil)
        var set = self.set([interrupt])
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Blocks until SIGTERM, SIGINT or `requestLimit` arrives; SIGHUP is logged and waited
    /// past.
    static func waitForStop(_ set: inout sigset_t) -> Int32 {
        while true {
            var signal: Int32 = 0
            guard sigwait(&set, &signal) == 0 else { continue }
            if signal == SIGHUP {
                Logger.process.write(
                    LogLine(.info, "SIGHUP ignored by the worker; the master handles reloads")
                )
                continue
            }
            return signal
        }
    }

    static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGHUP: "SIGHUP"
        case SIGUSR2: "SIGUSR2"
        default: "signal \(signal)"
        }
    }

    /// Whether `descriptor` is a socket in the listening state (`SO_ACCEPTCONN`).
    static func isListeningSocket(_ descriptor: Int32) -> Bool {
        var accepting: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0 else {
            return false
        }
        return accepting != 0
    }
}
