/// A classifier's `classes_`, each label kept in the type it was trained with.
public enum ClassLabels: Sendable, Equatable {
    case integers([Int64])
    case strings([String])
    case floats([Double])
    case booleans([Bool])

    public var count: Int {
        switch self {
        case .integers(let labels): labels.count
        case .strings(let labels): labels.count
        case .floats(let labels): labels.count
        case .booleans(let labels): labels.count
        }
    }

    /// The labels at `indices`, in the same type.
    public func take(_ indices: [Int]) -> ClassLabels {
        switch self {
        case .integers(let labels): .integers(indices.map { labels[$0] })
        case .strings(let labels): .strings(indices.map { labels[$0] })
        case .floats(let labels): .floats(indices.map { labels[$0] })
        case .booleans(let labels): .booleans(indices.map { labels[$0] })
        }
    }
}
