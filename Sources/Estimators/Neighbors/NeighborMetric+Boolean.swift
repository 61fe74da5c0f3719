/// The dissimilarities of two rows read as booleans: `sklearn.metrics.DistanceMetric`'s
/// boolean metrics, and scipy's, which scikit-learn's brute force calls on rows it has cast
/// to booleans. Both count the four kinds of feature pairs and divide whole counts, so they
/// agree to the last bit.
enum BooleanDistance: String, Sendable, CaseIterable {
    case jaccard
    case dice
    case kulsinski
    case matching
    case rogerstanimoto
    case russellrao
    case sokalmichener
    case sokalsneath
    /// scipy only: scikit-learn has no `DistanceMetric` for it, so brute force alone uses it.
    case yule

    /// The `DistanceMetric` class a ball tree measures with.
    var className: String {
        switch self {
        case .jaccard: "JaccardDistance"
        case .dice: "DiceDistance"
        case .kulsinski: "KulsinskiDistance"
        case .matching: "MatchingDistance"
        case .rogerstanimoto: "RogersTanimotoDistance"
        case .russellrao: "RussellRaoDistance"
        case .sokalmichener: "SokalMichenerDistance"
        case .sokalsneath: "SokalSneathDistance"
        case .yule: "YuleDistance"
        }
    }

    /// The distance from the counts, with the operations of scikit-learn's Cython (scipy's
    /// formulas scale numerator and denominator alike, which changes no bit).
    func distance(_ counts: BooleanCounts) -> Double {
        let size = Double(counts.size)
        let bothTrue = Double(counts.bothTrue)
        let unequal = Double(counts.unequal)
        switch self {
        case .jaccard:
            // Two all-false rows are at distance 0, as in scipy 1.2 and later.
            let either = Double(counts.bothTrue + counts.unequal)
            return either == 0 ? 0 : unequal / either
        case .dice:
            return unequal / (2 * bothTrue + unequal)
        case .kulsinski:
            return (unequal - bothTrue + size) / (unequal + size)
        case .matching:
            return unequal / size
        case .rogerstanimoto, .sokalmichener:
            return (2 * unequal) / (size + unequal)
        case .russellrao:
            return (size - bothTrue) / size
        case .sokalsneath:
            return unequal / (0.5 * bothTrue + unequal)
        case .yule:
            let half = Double(counts.trueFalse * counts.falseTrue)
            let bothFalse = Double(counts.size - counts.bothTrue - counts.unequal)
            return half == 0 ? 0 : (2 * half) / (bothTrue * bothFalse + half)
        }
    }
}

/// How many features two rows have true in both, in one only (each way), of `size`.
struct BooleanCounts {
    var size = 0
    var bothTrue = 0
    var trueFalse = 0
    var falseTrue = 0

    var unequal: Int { trueFalse + falseTrue }

    init(_ left: UnsafePointer<Double>, _ right: UnsafePointer<Double>, width: Int) {
        size = width
        for j in 0..<width {
            // NaN is true, as `x != 0` and numpy's cast to bool make it.
            let first = left[j] != 0
            let second = right[j] != 0
            if first && second {
                bothTrue += 1
            } else if first {
                trueFalse += 1
            } else if second {
                falseTrue += 1
            }
        }
    }
}
