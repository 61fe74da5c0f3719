import CFastCGI
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

/// One accept thread's wait on the listening socket, through its own epoll instance that
/// holds the socket with `EPOLLEXCLUSIVE`: a new connection then wakes one idle thread of
/// the pool rather than all of them. With `poll`, every idle thread of every worker woke
/// for each connection nginx opened, and all but one paid an `accept` that failed with
/// EAGAIN and another `poll` (measured: three losers per connection with four threads).
final class ListeningWait {
    private let epoll: Int32
    private var events = [epoll_event](repeating: epoll_event(), count: 2)

    /// Nil if epoll cannot be set up; the caller then waits with `IdleWait`.
    init?(listeningDescriptor: Int32, stop: StopFlag) {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { return nil }
        var listening = epoll_event()
        listening.events = EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue
        listening.data.fd = listeningDescriptor
        var wake = epoll_event()
        wake.events = EPOLLIN.rawValue
        wake.data.fd = stop.wakeDescriptor
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, listeningDescriptor, &listening) == 0,
            epoll_ctl(epoll, EPOLL_CTL_ADD, stop.wakeDescriptor, &wake) == 0
        else {
            close(epoll)
            return nil
        }
    }

    deinit {
        close(epoll)
    }

    /// Waits until a connection may be waiting to be accepted (true), or the stop (false).
    /// Another thread or worker may still take the connection first; `accept` then fails
    /// with EAGAIN and the caller waits again.
    func untilAcceptable(stop: StopFlag) -> Bool {
        while true {
            if stop.isSet { return false }
            let count = events.withUnsafeMutableBufferPointer {
                epoll_wait(epoll, $0.baseAddress, Int32($0.count), -1)
            }
            if count < 0, errno != EINTR {
                // Not expected for a valid instance; let libfcgi meet the error itself.
                return !stop.isSet
            }
            if stop.isSet { return false }
            if count > 0 { return true }
        }
    }
}
