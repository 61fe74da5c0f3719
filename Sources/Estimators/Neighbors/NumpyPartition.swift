/// numpy 1's `argpartition` of float64 values (its introselect), step for step: which of
/// several equal values end up before the k-th position depends on every swap, and
/// scikit-learn's brute force keeps those as the k nearest.
enum NumpyPartition {
    /// The positions of `values` rearranged so that the first `kth + 1` hold the smallest,
    /// as `np.argpartition(values, kth)` leaves them.
    static func argpartition(_ values: [Double], kth: Int) -> [Int] {
        var order = Array(values.indices)
        var partition = Partition(values: values, order: order)
        partition.select(low: 0, count: values.count, kth: kth)
        order = partition.order
        return order
    }

    private struct Partition {
        let values: [Double]
        var order: [Int]

        /// numpy's `less` for floats: NaN sorts last.
        @inline(__always)
        func less(_ a: Int, _ b: Int) -> Bool {
            let left = values[order[a]]
            let right = values[order[b]]
            return left < right || (right.isNaN && !left.isNaN)
        }

        @inline(__always)
        func less(_ a: Int, value: Double) -> Bool {
            let left = values[order[a]]
            return left < value || (value.isNaN && !left.isNaN)
        }

        @inline(__always)
        func less(value: Double, _ b: Int) -> Bool {
            let right = values[order[b]]
            return value < right || (right.isNaN && !value.isNaN)
        }

        mutating func swap(_ a: Int, _ b: Int) { order.swapAt(a, b) }

        /// `introselect_` over positions `base..<base+count`, `kth` relative to `base`.
        mutating func select(low base: Int, count: Int, kth: Int) {
            var low = 0
            var high = count - 1
            if kth - low < 3 {
                // A selection sort of the first kth + 1 positions.
                for i in 0...kth {
                    var smallest = i
                    for k in (i + 1)..<max(count, i + 1) where less(base + k, base + smallest) {
                        smallest = k
                    }
                    swap(base + i, base + smallest)
                }
                return
            }
            if kth == count - 1 {
                var largest = low
                for k in (low + 1)..<count where !less(base + k, base + largest) {
                    largest = k
                }
                swap(base + kth, base + largest)
                return
            }
            var depthLimit = 2 * (Int.bitWidth - 1 - count.leadingZeroBitCount)
            while low + 1 < high {
                var ll = low + 1
                var hh = high
                if depthLimit > 0 || hh - ll < 5 {
                    // Median of three into `low`, the smallest of them at `low + 1`.
                    let mid = low + (high - low) / 2
                    if less(base + high, base + mid) { swap(base + high, base + mid) }
                    if less(base + high, base + low) { swap(base + high, base + low) }
                    if less(base + low, base + mid) { swap(base + low, base + mid) }
                    swap(base + mid, base + low + 1)
                } else {
                    let mid = ll + medianOfMedians(base: base + ll, count: hh - ll)
                    swap(base + mid, base + low)
                    ll -= 1
                    hh += 1
                }
                depthLimit -= 1
                let pivot = values[order[base + low]]
                while true {
                    repeat { ll += 1 } while less(base + ll, value: pivot)
                    repeat { hh -= 1 } while less(value: pivot, base + hh)
                    if hh < ll { break }
                    swap(base + ll, base + hh)
                }
                swap(base + low, base + hh)
                if hh >= kth { high = hh - 1 }
                if hh <= kth { low = ll }
            }
            if high == low + 1, less(base + high, base + low) {
                swap(base + high, base + low)
            }
        }

        /// `median_of_median5_`: the fallback pivot once the median of three stalls.
        mutating func medianOfMedians(base: Int, count: Int) -> Int {
            let groups = count / 5
            for group in 0..<groups {
                let start = base + group * 5
                let median = medianOfFive(start)
                swap(start + median, base + group)
            }
            if groups > 2 { select(low: base, count: groups, kth: groups / 2) }
            return groups / 2
        }

        /// `median5_`: the position, 0 to 4 from `start`, of the median of five.
        mutating func medianOfFive(_ start: Int) -> Int {
            if less(start + 1, start) { swap(start + 1, start) }
            if less(start + 4, start + 3) { swap(start + 4, start + 3) }
            if less(start + 3, start) { swap(start + 3, start) }
            if less(start + 4, start + 1) { swap(start + 4, start + 1) }
            if less(start + 2, start + 1) { swap(start + 2, start + 1) }
            if less(start + 3, start + 2) {
                return less(start + 3, start + 1) ? 1 : 3
            }
            return 2
        }
    }
}
