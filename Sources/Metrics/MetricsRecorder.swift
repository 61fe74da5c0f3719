/// Records requests into a ``MetricsRegion`` from one worker process, from any of its
/// threads: label lookups in tables made once, then relaxed atomic adds.
public struct MetricsRecorder: Sendable {
    let region: MetricsRegion
    private let modelSlots: [String: Int]
    private let routeSlots: [String: Int]

    init(region: MetricsRegion, models: [String]) {
        self.region = region
        var modelSlots: [String: Int] = [:]
        for (index, name) in models.enumerated() {
            modelSlots[name] = MetricsRegion.Layout.firstNamedModel + index
        }
        self.modelSlots = modelSlots
        var routeSlots: [String: Int] = [:]
        for (index, label) in region.routeLabels.enumerated() {
            routeSlots[label] = index
        }
        self.routeSlots = routeSlots
    }

    /// Counts one answered request.
    /// - Parameters:
    ///   - route: the route's label; nil when the path matched no route.
    ///   - model: the model that answered; nil when the request reached none.
    ///   - status: the HTTP status sent.
    ///   - rows: rows predicted (0 unless the answer carried predictions).
    ///   - duration: time spent answering, measured by the caller.
    public func record(route: String?, model: String?, status: Int, rows: Int, duration: Duration) {
        let layout = region.layout
        let otherRoute = layout.routeSlots - 1
        let routeSlot = route.map { routeSlots[$0] ?? otherRoute } ?? otherRoute - 1
        let modelSlot =
            model.map { modelSlots[$0] ?? MetricsRegion.Layout.otherModel }
            ?? MetricsRegion.Layout.noModel
        let statusSlot =
            MetricsRegion.statuses.firstIndex(of: status) ?? MetricsRegion.statuses.count
        region.add(layout.request(model: modelSlot, route: routeSlot, status: statusSlot), 1)
        if rows > 0 {
            region.add(layout.rows + modelSlot, UInt64(rows))
        }

        let (seconds, attoseconds) = duration.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
        let elapsed = Double(nanoseconds) / 1e9
        let bucket =
            MetricsRegion.durationBounds.firstIndex { elapsed <= $0 }
            ?? MetricsRegion.durationBounds.count
        let histogram = layout.duration(route: routeSlot)
        region.add(histogram + bucket, 1)
        region.add(histogram + MetricsRegion.Layout.durationWords - 1, UInt64(nanoseconds))
    }
}
