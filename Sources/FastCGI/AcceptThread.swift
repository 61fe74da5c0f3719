import Glibc
import Synchronization

/// What one accept thread is doing, published so the stopping thread knows when all are
/// done.
final class AcceptThreadState: Sendable {
    enum Phase: UInt8 {
        /// Created, not yet waiting.
        case starting
        /// Waiting for a connection or for the next request on a kept one (`IdleWait`), or
        /// reading that request's head in `FCGX_Accept_r`.
        case waiting
        /// Reading, handling or answering a request.
        case busy
        /// Left its loop; joinable.
        case done
    }

    private let rawPhase = Atomic<UInt8>(Phase.starting.rawValue)

    var phase: Phase {
        get { Phase(rawValue: rawPhase.load(ordering: .acquiring)) ?? .done }
        set { rawPhase.store(newValue.rawValue, ordering: .releasing) }
    }
}

/// A joinable POSIX thread. Foundation's `Thread` is kept out of the worker (Foundation
/// roughly doubles a worker's resident memory), so this is `pthread_create` directly.
struct AcceptThread {
    let id: pthread_t

    /// Starts `body` on a new thread; nil if `pthread_create` fails.
    static func start(_ body: @escaping @Sendable () -> Void) -> AcceptThread? {
        let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var id = pthread_t()
        let result = pthread_create(
            &id,
            nil,
            { argument in
                let body = Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue()
                body.run()
                return nil
            },
            box
        )
        guard result == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(box).release()
            return nil
        }
        return AcceptThread(id: id)
    }

    func join() {
        pthread_join(id, nil)
    }
}

private final class ThreadBody: Sendable {
    let run: @Sendable () -> Void

    init(_ run: @escaping @Sendable () -> Void) {
        self.run = run
    }
}
