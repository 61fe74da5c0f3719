import Arrays

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

extension ClassLabels {
    /// Reads `classes_` from its numpy array: integers (unsigned 64-bit ones beyond
    /// `Int64` kept apart), booleans, floats, or strings (fixed-width or object arrays).
    /// Nil for other dtypes and for object arrays that mix types.
    public init?(_ array: NDArray) throws(ArrayError) {
        switch array.dtype.kind {
        case .unsignedInteger where array.dtype.itemSize == 8:
            let values = try array.integers().map { UInt64(bitPattern: $0) }
            if values.allSatisfy({ $0 <= UInt64(Int64.max) }) {
                self = .integers(values.map { Int64($0) })
            } else {
                self = .unsignedIntegers(values)
            }
        case .signedInteger, .unsignedInteger: self = .integers(try array.integers())
        case .boolean: self = .booleans(try array.integers().map { $0 != 0 })
        case .float: self = .floats(try array.doubles())
        case .unicode: self = .strings(try array.strings())
        case .object:
            let items = try array.objects()
            if items.allSatisfy({ if case .string = $0 { true } else { false } }) {
                self = .strings(try array.strings())
                return
            }
            var integers: [Int64] = []
            for case .int(let integer) in items { integers.append(integer) }
            guard integers.count == items.count else { return nil }
            self = .integers(integers)
        default:
            return nil
        }
    }
}
