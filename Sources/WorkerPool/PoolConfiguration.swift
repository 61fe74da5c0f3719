import Glibc

/// What the master needs to run a pool. `threadsPerWorker` and `maxBodyBytes` are carried for
/// the worker closure; the master itself does not use them.
public struct PoolConfiguration: Equatable, Sendable {
    public var listen: ListenAddress
    /// Worker processes (`--workers`).
    public var workers: Int
    /// Accept threads in each worker.
    public var threadsPerWorker: Int
    /// The largest request body a worker reads.
    public var maxBodyBytes: Int
    /// How long workers get after SIGTERM before SIGKILL. Longer than the workers' own
    /// shutdown grace (10 s), so that they normally exit by themselves.
    public var stopGrace: Duration
    /// The `listen(2)` backlog.
    public var backlog: Int32

    public init(
        listen: ListenAddress,
        workers: Int = PoolConfiguration.processorCount,
        threadsPerWorker: Int = 4,
        maxBodyBytes: Int = 64 << 20,
        stopGrace: Duration = .seconds(15),
        backlog: Int32 = 1024
    ) {
        self.listen = listen
        self.workers = workers
        self.threadsPerWorker = threadsPerWorker
        self.maxBodyBytes = maxBodyBytes
        self.stopGrace = stopGrace
        self.backlog = backlog
    }

    /// Online processors, the default worker count.
    public static var processorCount: Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// Checks the numbers before anything is bound or forked.
    public func validate() throws(PoolError) {
        guard workers >= 1, workers <= 1024 else {
            throw PoolError(.invalidConfiguration, "workers must be from 1 to 1024, not \(workers)")
        }
        guard threadsPerWorker >= 1, threadsPerWorker <= 1024 else {
            throw PoolError(
                .invalidConfiguration,
                "threads per worker must be from 1 to 1024, not \(threadsPerWorker)"
            )
        }
        guard maxBodyBytes >= 0 else {
            throw PoolError(.invalidConfiguration, "the body limit cannot be negative")
        }
    }
}
