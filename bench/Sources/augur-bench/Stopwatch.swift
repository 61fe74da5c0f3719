/// Times repeated calls the same way bench/inprocess times scikit-learn and onnxruntime, so
/// the two sides can be compared.
///
/// Calls run in blocks, each long enough (``blockSeconds``) that reading the clock costs
/// nothing beside it; blocks run until the time asked for has passed (at least
/// ``minimumBlocks`` of them); the figure is the median, over blocks, of the mean time per
/// call in a block. The median keeps a block interrupted by another process on the shared
/// machine from moving the result.
enum Stopwatch {
    struct Timing {
        /// The median over blocks of the seconds per call.
        let secondsPerCall: Double
        /// Calls made in the timed blocks (calibration calls not counted).
        let calls: Int
    }

    static let blockSeconds = 0.005
    static let minimumBlocks = 5

    /// Times `call` for about `seconds`.
    static func measure(seconds: Double, _ call: () -> Void) -> Timing {
        // Calibration, which also warms caches: double the block until it is long enough.
        var repeats = 1
        while elapsed(repeats: repeats, call) < blockSeconds, repeats < 1 << 24 {
            repeats *= 2
        }
        let clock = ContinuousClock()
        let start = clock.now
        var perCall: [Double] = []
        while perCall.count < minimumBlocks || secondsSince(start, clock) < seconds {
            perCall.append(elapsed(repeats: repeats, call) / Double(repeats))
        }
        return Timing(secondsPerCall: median(perCall), calls: perCall.count * repeats)
    }

    /// The seconds `repeats` calls of `call` take.
    static func elapsed(repeats: Int, _ call: () -> Void) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<repeats { call() }
        return secondsSince(start, clock)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    private static func secondsSince(_ start: ContinuousClock.Instant, _ clock: ContinuousClock)
        -> Double
    {
        (clock.now - start) / .seconds(1)
    }
}
