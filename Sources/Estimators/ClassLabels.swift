/// A classifier's `classes_`, each label kept in the type it was trained with.
public enum ClassLabels: Sendable, Equatable {
    case integers([Int64])
    /// `uint64` labels, when one of them is too large for `Int64`.
    case unsignedIntegers([UInt64])
    case strings([String])
    case floats([Double])
    case booleans([Bool])

    public var count: Int {
        switch self {
        case .integers(let labels): labels.count
        case .unsignedIntegers(let labels): labels.count
        case .strings(let labels): labels.count
        case .floats(let labels): labels.count
        case .booleans(let labels): labels.count
        }
    }

    /// The labels at `indices`, in the same type.
    public func take(_ indices: [Int]) -> ClassLabels {
        switch self {
        case .integers(let labels): .integers(indices.map { labels[$0] })
        case .unsignedIntegers(let labels): .unsignedIntegers(indices.map { labels[$0] })
        case .strings(let labels): .strings(indices.map { labels[$0] })
        case .floats(let labels): .floats(indices.map { labels[$0] })
        case .booleans(let labels): .booleans(indices.map { labels[$0] })
        }
    }

    /// The first label that repeats an earlier one or is NaN, as text, if any: `classes_`
    /// holds distinct labels, and prediction relies on it.
    public var firstInvalidLabel: String? {
        func firstRepeat<Label: Hashable>(_ labels: [Label]) -> Label? {
            var seen: Set<Label> = []
            return labels.first { !seen.insert($0).inserted }
        }
        switch self {
        case .integers(let labels): return firstRepeat(labels).map { "\($0)" }
        case .unsignedIntegers(let labels): return firstRepeat(labels).map { "\($0)" }
        // Compared as UTF-8 bytes: numpy's unique() does not treat canonically
        // equivalent strings as equal.
        case .strings(let labels):
            return firstRepeat(labels.map { Array($0.utf8) }).map {
                String(decoding: $0, as: UTF8.self)
            }
        case .floats(let labels):
            if let nan = labels.first(where: \.isNaN) { return "\(nan)" }
            return firstRepeat(labels).map { "\($0)" }
        case .booleans(let labels): return firstRepeat(labels).map { "\($0)" }
        }
    }
}
