/// scikit-learn's fixed-size max-heap of (distance, index) pairs (`heap_push` of
/// `sklearn.utils._heap`), which both its brute-force search and its trees keep the k
/// nearest points in. Which of several equidistant points survive depends on the order
/// they are pushed in and on this exact sift, so it is reproduced step for step.
struct NeighborHeap {
    var values: [Double]
    var indices: [Int]

    /// `k` slots, each holding `empty` at row 0 (scikit-learn fills the brute-force heaps
    /// with `DBL_MAX`, the trees' with infinity).
    init(size: Int, empty: Double) {
        values = [Double](repeating: empty, count: size)
        indices = [Int](repeating: 0, count: size)
    }

    /// The largest distance kept, which a newcomer must beat.
    var largest: Double { values[0] }

    mutating func push(_ value: Double, _ index: Int) {
        // A value equal to the largest is refused: the first pushed of equals stays.
        if value >= values[0] { return }
        let size = values.count
        var current = 0
        while true {
            let left = 2 * current + 1
            let right = left + 1
            let swap: Int
            if left >= size {
                break
            } else if right >= size {
                guard values[left] > value else { break }
                swap = left
            } else if values[left] >= values[right] {
                guard value < values[left] else { break }
                swap = left
            } else {
                guard value < values[right] else { break }
                swap = right
            }
            values[current] = values[swap]
            indices[current] = indices[swap]
            current = swap
        }
        values[current] = value
        indices[current] = index
    }

    /// The kept pairs, nearest first. Equal distances come out in index order; scikit-learn
    /// leaves them in an order of its own sort, which changes no prediction but the last
    /// bits of a sum. NaN (which the heap keeps, as scikit-learn's does, since no comparison
    /// with it holds) comes first, where scikit-learn's sort leaves it.
    func sorted() -> [(distance: Double, index: Int)] {
        zip(values, indices).map { (distance: $0, index: $1) }.sorted { left, right in
            if left.distance.isNaN || right.distance.isNaN {
                return left.distance.isNaN && (!right.distance.isNaN || left.index < right.index)
            }
            return left.distance < right.distance
                || (left.distance == right.distance && left.index < right.index)
        }
    }
}
