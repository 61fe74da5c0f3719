import Glibc
import Logging
import Serving
import Synchronization

/// A FastCGI responder: accept threads on an already-listening socket, each turning requests
/// into `HTTPRequest`s for one handler, until SIGTERM or SIGINT.
///
/// The socket is shared with other worker processes (through `fork`), so the server never
/// closes or shuts it down; it only stops accepting on it.
public struct FastCGIServer: Sendable {
    /// Tuning for one worker process.
    public struct Configuration: Sendable {
        /// Accept threads, each holding one connection at a time.
        public var threads: Int
        /// The largest request body read; a larger one is answered with 413.
        public var maxBodyBytes: Int
        /// How long requests in flight may run after a stop signal before `serve` returns
        /// anyway.
        public var shutdownGrace: Duration
        /// After this many requests the worker stops accepting, finishes what it serves and
        /// `serve` returns `.requestLimit`, so that its process can be replaced
        /// (`--max-requests`); nil for no limit. Threads already in a request finish it, so
        /// a worker answers at most `threads - 1` more.
        public var maxRequests: Int?

        public init(
            threads: Int = 4,
            maxBodyBytes: Int = 64 << 20,
            shutdownGrace: Duration = .seconds(10),
            maxRequests: Int? = nil
        ) {
            self.threads = threads
            self.maxBodyBytes = maxBodyBytes
            self.shutdownGrace = shutdownGrace
            self.maxRequests = maxRequests
        }
    }

    /// Why `serve` returned.
    public enum StopReason: Equatable, Sendable {
        /// SIGTERM or SIGINT.
        case signal
        /// The worker served `maxRequests`.
        case requestLimit
    }

    /// The listening socket requests are accepted on.
    public let listeningDescriptor: Int32
    public let configuration: Configuration
    private let handler: @Sendable (HTTPRequest) -> HTTPResponse

    /// - Parameters:
    ///   - listeningDescriptor: a socket already bound and listening (see `WorkerPool`).
    ///   - configuration: threads, body limit and shutdown grace.
    ///   - handler: answers one request; called concurrently from every accept thread.
    public init(
        listeningDescriptor: Int32,
        configuration: Configuration = Configuration(),
        handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) {
        self.listeningDescriptor = listeningDescriptor
        self.configuration = configuration
        self.handler = handler
    }

    /// Serves until SIGTERM or SIGINT, then stops accepting, lets requests in flight finish
    /// (at most `shutdownGrace`), and returns so the caller can exit.
    ///
    /// Call it from the process's main thread before any other thread exists: it blocks
    /// SIGTERM, SIGINT and SIGHUP so that they reach only its `sigwait`. SIGHUP is logged and
    /// ignored; reloads are the master's business.
    /// - Throws: `FastCGIError` if the server cannot start; nothing once it runs.
    @discardableResult
    public func serve() throws(FastCGIError) -> StopReason {
        guard configuration.threads > 0, configuration.maxBodyBytes >= 0,
            (configuration.maxRequests ?? 1) >= 1
        else {
            throw FastCGIError(
                .invalidConfiguration,
                "threads and maxRequests must be at least 1 and maxBodyBytes not negative"
            )
        }
        var stopSignals = Signals.set([SIGTERM, SIGINT, SIGHUP, Signals.requestLimit])
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
        Signals.prepareInterruptSignal()
        // libfcgi otherwise waits up to 2 s for nginx to close each connection before
        // closing its own side; measured on this stack, throughput doubled without it.
        setenv("LIBFCGI_OS_CLOSE_POLL_TIMEOUT", "0", 0)
        WorkerMemory.configure()
        let status = LibFCGI.initialize()
        guard status == 0 else {
            throw FastCGIError(.libraryInitFailed, "FCGX_Init failed with \(status)")
        }
        guard Signals.isListeningSocket(listeningDescriptor) else {
            throw FastCGIError(
                .notListening,
                "descriptor \(listeningDescriptor) is not a listening socket"
            )
        }

        // Accept threads wait in `poll` (see `IdleWait`), and several threads and workers
        // may wake for one connection: accept must fail with EAGAIN for the losers, not
        // block them where the stop cannot reach. Every worker shares this socket and sets
        // the same flag.
        let flags = fcntl(listeningDescriptor, F_GETFL)
        guard flags >= 0, fcntl(listeningDescriptor, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw FastCGIError(
                .notListening,
                "cannot make descriptor \(listeningDescriptor) non-blocking"
            )
        }
        guard let stopping = StopFlag() else {
            throw FastCGIError(.threadStartFailed, "cannot create the stop pipe")
        }
        let served = RequestCounter(limit: configuration.maxRequests)
        var workers: [(thread: AcceptThread, state: AcceptThreadState)] = []
        for index in 0..<configuration.threads {
            let state = AcceptThreadState()
            let loop = AcceptLoop(
                listeningDescriptor: listeningDescriptor,
                maxBodyBytes: configuration.maxBodyBytes,
                handler: handler,
                state: state,
                stopping: stopping,
                served: served
            )
            guard let thread = AcceptThread.start({ loop.run() }) else {
                LibFCGI.shutdownPending()
                stopping.set()
                throw FastCGIError(.threadStartFailed, "could not start accept thread \(index)")
            }
            workers.append((thread, state))
        }
        Logger.process.write(
            LogLine(.info, "worker ready", [.init("threads", "\(configuration.threads)")])
        )

        let signal = Signals.waitForStop(&stopSignals)
        let reason: StopReason = signal == Signals.requestLimit ? .requestLimit : .signal
        if reason == .requestLimit {
            // The signal is the worker's own at --max-requests, or an operator's SIGUSR2.
            let cause =
                configuration.maxRequests.map { served.count >= $0 } == true
                ? "it served its request limit (--max-requests)" : "SIGUSR2 asked for it"
            Logger.process.write(
                LogLine(
                    .info,
                    "worker recycling: \(cause)",
                    [.init("requests", "\(served.count)")]
                )
            )
        } else {
            Logger.process.write(
                LogLine(.info, "worker stopping", [.init("signal", Signals.name(signal))])
            )
        }
        // libfcgi first: a thread woken by the stop must not accept a new connection inside
        // `FCGX_Accept_r` after reading the end of its kept one.
        LibFCGI.shutdownPending()
        stopping.set()
        drain(workers)
        return reason
    }

    /// Waits for every accept thread to leave its loop, until `shutdownGrace` has passed.
    /// The stop pipe has woken the idle ones; busy ones finish their request, then close
    /// their connection.
    private func drain(_ workers: [(thread: AcceptThread, state: AcceptThreadState)]) {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: configuration.shutdownGrace)
        while true {
            let running = workers.filter { $0.state.phase != .done }.count
            if running == 0 { break }
            if clock.now >= deadline {
                Logger.process.write(
                    LogLine(
                        .warning,
                        "requests still running at the end of the shutdown grace; exiting anyway",
                        [.init("threads.running", "\(running)")]
                    )
                )
                return
            }
            var pause = timespec(tv_sec: 0, tv_nsec: 10_000_000)
            nanosleep(&pause, nil)
        }
        for worker in workers {
            worker.thread.join()
        }
        Logger.process.write(LogLine(.info, "worker stopped"))
    }
}

/// Requests a worker has answered, shared by its accept threads.
final class RequestCounter: Sendable {
    private let answered = Atomic<Int>(0)
    let limit: Int?

    init(limit: Int?) {
        self.limit = limit
    }

    var count: Int { answered.load(ordering: .relaxed) }

    /// Whether the limit is reached, so the thread should accept no more.
    var isExhausted: Bool {
        guard let limit else { return false }
        return count >= limit
    }

    /// Counts one answered request; true for exactly the one that reaches the limit.
    func countOne() -> Bool {
        let now = answered.wrappingAdd(1, ordering: .relaxed).newValue
        return now == limit
    }
}

/// Set once when the worker stops; read by every accept thread between requests, which
/// wait in `poll` on `wakeDescriptor` too.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    /// The read end of a pipe that turns readable, for good, when the flag is set.
    let wakeDescriptor: Int32
    private let signalDescriptor: Int32

    /// Nil if the pipe cannot be created.
    init?() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        wakeDescriptor = ends[0]
        signalDescriptor = ends[1]
    }

    deinit {
        close(wakeDescriptor)
        close(signalDescriptor)
    }

    var isSet: Bool { flag.load(ordering: .acquiring) }

    func set() {
        flag.store(true, ordering: .releasing)
        var byte: UInt8 = 1
        _ = write(signalDescriptor, &byte, 1)
    }
}
