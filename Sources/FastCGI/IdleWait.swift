import Glibc

/// Where an accept thread waits between requests: in `poll` on its kept connection or on
/// the listening socket, together with the stop pipe, never inside libfcgi.
///
/// A worker that stops (SIGTERM, or a reload retiring it) must leave no request behind.
/// Interrupting accept threads with a signal could not promise that: a thread seen idle
/// could have taken a connection a moment later, and the signal then broke libfcgi's read
/// of that request (or its wait for the first bytes of a fresh connection), which nginx
/// answered with 502. Waiting here instead, a thread enters libfcgi only with bytes
/// waiting, and the stop wakes it through the pipe without interrupting any system call.
enum IdleWait {
    /// Waits until a request can be read from `descriptor`, or the stop.
    ///
    /// - Parameters:
    ///   - descriptor: the thread's kept connection, or the listening socket when it has
    ///     none.
    ///   - isListening: whether `descriptor` is the listening socket.
    ///   - stop: the worker's stop flag, whose pipe turns readable when it is set.
    /// - Returns: true when libfcgi should read the next request (or accept): a kept
    ///   connection has bytes (or an end) waiting, even after the stop, since nginx may
    ///   have sent a request on it already; or a connection waits to be accepted and the
    ///   worker is not stopping. False once stopping with nothing to serve.
    static func untilReadable(_ descriptor: Int32, isListening: Bool, stop: StopFlag) -> Bool {
        var watched = [
            pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: stop.wakeDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            if isListening, stop.isSet { return false }
            watched[0].revents = 0
            watched[1].revents = 0
            let count = poll(&watched, 2, -1)
            if count < 0 {
                if errno == EINTR { continue }
                // Not expected for valid descriptors; let libfcgi meet the error itself.
                return !stop.isSet
            }
            let readable = watched[0].revents != 0
            if stop.isSet { return readable && !isListening }
            if readable { return true }
        }
    }
}
