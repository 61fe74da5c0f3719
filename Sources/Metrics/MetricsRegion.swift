import Synchronization

/// The pool's counters in one fixed-size shared memory region, made by the master before it
/// forks any worker, so that every worker adds to the same counters and any of them can
/// answer `GET /metrics` with the sums for the whole pool.
///
/// Every counter is an `Atomic<UInt64>` placed in the region. On the platforms Augur runs on
/// (x86-64, AArch64) 64-bit atomics are lock-free instructions on the memory address, so
/// they are atomic between processes mapping the same pages as much as between threads.
/// Recording a request takes a few relaxed atomic adds: no lock, no allocation.
///
/// Label sets are bounded and fixed when the region is made: routes (`Route.label`), a
/// fixed list of statuses, and up to `modelCapacity` model names. The master registers the
/// names (``modelsLoaded(_:)``); a name it cannot register, or one a worker does not know, is
/// counted under the model `other`. A request that reached no model counts under the model
/// `""`, one whose path matched no route under the route `""`, as Prometheus reads an empty
/// label as an absent one.
public struct MetricsRegion: Sendable {
    /// The statuses counted apart; any other is counted as `other`.
    public static let statuses = [200, 400, 403, 404, 405, 413, 415, 422, 500, 503]
    /// Upper bounds of the request duration histogram, in seconds: 100 µs to 10 s.
    public static let durationBounds: [Double] = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
        2.5, 5, 10,
    ]
    /// The label of a model or route outside the registered ones, and of other statuses.
    public static let otherLabel = "other"
    /// Bytes per registered name, its length word included; longer names count as `other`.
    static let nameEntryBytes = 256

    /// Route labels in slot order: the given ones, then `""` (no route) and `other`.
    public let routeLabels: [String]
    /// How many model names the master can register.
    public let modelCapacity: Int
    let memory: SharedMemory
    let layout: Layout

    /// Maps a zero-filled region for `routes` and up to `modelCapacity` model names.
    /// - Parameter routes: every route label requests will be recorded under.
    public init(routes: [String], modelCapacity: Int = 256) throws(MetricsError) {
        var labels: [String] = []
        for route in routes where !labels.contains(route) && !Self.isReserved(route) {
            labels.append(route)
        }
        routeLabels = labels + ["", Self.otherLabel]
        self.modelCapacity = max(0, modelCapacity)
        layout = Layout(modelCapacity: self.modelCapacity, routeCount: routeLabels.count)
        memory = try SharedMemory.map(byteCount: layout.byteCount)
    }

    static func isReserved(_ label: String) -> Bool {
        label.isEmpty || label == otherLabel
    }

    // MARK: - Master side

    /// Records a successful load (at start, or a reload): registers names not seen before,
    /// publishes each name's load time (the models of an earlier load that are gone lose
    /// theirs), and advances the model generation, which is 1 after the first load.
    ///
    /// Only the master calls this, from one thread, before it forks the workers that serve
    /// these models: a worker learns the names when it makes its ``recorder()``.
    /// - Parameter models: each served name with the seconds its files took to load.
    public func modelsLoaded(_ models: [(name: String, loadSeconds: Double)]) {
        for model in models {
            register(model.name)
        }
        let names = registeredModels()
        for index in names.indices {
            store(layout.loadSeconds + Layout.firstNamedModel + index, Layout.absent)
        }
        // Several versions of one name add up: the time that name took to load.
        var seconds: [Int: Double] = [:]
        for model in models {
            guard let index = names.firstIndex(of: model.name) else { continue }
            seconds[index, default: 0] += model.loadSeconds
        }
        for (index, total) in seconds {
            store(layout.loadSeconds + Layout.firstNamedModel + index, total.bitPattern)
        }
        add(Layout.generation, 1)
    }

    /// Publishes the supervisor's view of the pool: workers alive and restarts so far.
    public func setWorkers(alive: Int, restarts: Int) {
        store(Layout.workersAlive, UInt64(max(0, alive)))
        store(Layout.workerRestarts, UInt64(max(0, restarts)))
    }

    /// Adds `name` to the table unless it is there, reserved, too long or the table is full
    /// (it then counts as `other`). One writer only: the entry is written, then published by
    /// a release store of the count that readers load with acquire.
    private func register(_ name: String) {
        let bytes = Array(name.utf8)
        guard !Self.isReserved(name), bytes.count <= Self.nameEntryBytes - 8,
            !registeredModels().contains(name)
        else { return }
        let count = Int(word(Layout.registeredModels).pointee.load(ordering: .acquiring))
        guard count < modelCapacity else { return }
        let entry = memory.base + layout.namesByte + count * Self.nameEntryBytes
        entry.storeBytes(of: UInt64(bytes.count), as: UInt64.self)
        bytes.withUnsafeBytes { (entry + 8).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        word(Layout.registeredModels).pointee.store(UInt64(count + 1), ordering: .releasing)
    }

    // MARK: - Any process

    /// The registered model names, in the order they were registered.
    public func registeredModels() -> [String] {
        let count = min(
            modelCapacity,
            Int(word(Layout.registeredModels).pointee.load(ordering: .acquiring))
        )
        return (0..<count).map { index in
            let entry = UnsafeRawPointer(
                memory.base + layout.namesByte + index * Self.nameEntryBytes
            )
            let length = min(Int(entry.load(as: UInt64.self)), Self.nameEntryBytes - 8)
            return String(
                decoding: UnsafeRawBufferPointer(start: entry + 8, count: length),
                as: UTF8.self
            )
        }
    }

    /// What a worker records with: the names registered when it is made, resolved to slots
    /// once so that recording a request only looks them up.
    public func recorder() -> MetricsRecorder {
        MetricsRecorder(region: self, models: registeredModels())
    }

    /// The counter in word `index` of the region.
    func word(_ index: Int) -> UnsafeMutablePointer<Atomic<UInt64>> {
        memory.base.assumingMemoryBound(to: Atomic<UInt64>.self) + index
    }

    // Relaxed ordering throughout: each counter is read on its own, and no reader infers
    // anything about other memory from one.
    func load(_ index: Int) -> UInt64 {
        word(index).pointee.load(ordering: .relaxed)
    }

    func add(_ index: Int, _ amount: UInt64) {
        word(index).pointee.wrappingAdd(amount, ordering: .relaxed)
    }

    func store(_ index: Int, _ value: UInt64) {
        word(index).pointee.store(value, ordering: .relaxed)
    }
}

extension MetricsRegion {
    /// Where each counter lives, in 8-byte words from the start of the region.
    struct Layout: Sendable {
        static let registeredModels = 0
        static let generation = 1
        static let workersAlive = 2
        static let workerRestarts = 3
        /// Header words, padded to a cache line.
        static let headerWords = 8

        /// Model slot 0 is `""` (no model), 1 is `other`, registered names follow.
        static let noModel = 0
        static let otherModel = 1
        static let firstNamedModel = 2
        /// A load-time word for a model the last load did not serve (a NaN no load gives).
        static let absent = UInt64.max

        static let statusSlots = MetricsRegion.statuses.count + 1
        /// Per route: one word per bucket, the overflow (`+Inf`) bucket, and the sum in
        /// nanoseconds.
        static let durationWords = MetricsRegion.durationBounds.count + 2

        let modelSlots: Int
        let routeSlots: Int
        let namesByte: Int
        let loadSeconds: Int
        let rows: Int
        let requests: Int
        let durations: Int
        let byteCount: Int

        init(modelCapacity: Int, routeCount: Int) {
            modelSlots = modelCapacity + Self.firstNamedModel
            routeSlots = routeCount
            namesByte = Self.headerWords * 8
            let namesWords = modelCapacity * MetricsRegion.nameEntryBytes / 8
            loadSeconds = Self.headerWords + namesWords
            rows = loadSeconds + modelSlots
            requests = rows + modelSlots
            durations = requests + modelSlots * routeSlots * Self.statusSlots
            byteCount = (durations + routeSlots * Self.durationWords) * 8
        }

        func request(model: Int, route: Int, status: Int) -> Int {
            requests + (model * routeSlots + route) * Self.statusSlots + status
        }

        func duration(route: Int) -> Int {
            durations + route * Self.durationWords
        }
    }
}
