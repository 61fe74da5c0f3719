/// The metrics scikit-learn's brute force computes with numpy matrix products (cosine,
/// nan_euclidean) or hands to scipy (mahalanobis), computed here one pair at a time.
///
/// scikit-learn's own cosine and nan_euclidean distances for a row depend, in their last
/// bits, on how many rows are asked together (numpy calls BLAS `gemv` for one row and
/// `gemm` for several) and on the processor's BLAS kernel. These follow the same formulas
/// with every sum in a fixed order, so a row's distances never depend on the rows asked
/// with it and identical training rows are at bitwise identical distances; they agree with
/// any one of scikit-learn's answers to about 1e-15 relative.
enum CosineDistance {
    /// A row divided by its norm, as `normalize` leaves it: the norm is the root of numpy's
    /// `einsum` sum of squares, and a norm below ten machine epsilons counts as 1
    /// (`_handle_zeros_in_scale`), so a zero row stays zero.
    static func normalized(_ row: UnsafePointer<Double>, _ width: Int) -> [Double] {
        let values = Array(UnsafeBufferPointer(start: row, count: width))
        var norm = NumpyEinsum.squaredNorm(values[...]).squareRoot()
        if norm < 10 * .ulpOfOne { norm = 1 }
        return values.map { $0 / norm }
    }

    /// One minus the dot product of two normalized rows, clipped to [0, 2] as
    /// `cosine_distances` clips it.
    static func distance(
        normalized left: UnsafePointer<Double>,
        _ right: UnsafePointer<Double>,
        width: Int
    ) -> Double {
        let similarity = NeighborSearch.dot(left, right, width)
        let distance = 1 - similarity
        // `np.clip` passes NaN through.
        if distance < 0 { return 0 }
        if distance > 2 { return 2 }
        return distance
    }

    /// The distance between two raw rows.
    static func distance(
        _ left: UnsafePointer<Double>,
        _ right: UnsafePointer<Double>,
        width: Int
    ) -> Double {
        let u = normalized(left, width)
        let v = normalized(right, width)
        return u.withUnsafeBufferPointer { u in
            v.withUnsafeBufferPointer { v in
                distance(normalized: u.baseAddress!, v.baseAddress!, width: width)
            }
        }
    }
}

/// `nan_euclidean_distances`: the squared euclidean distance over the coordinates both rows
/// have, scaled up by `width / shared`, under the root; NaN when no coordinate is shared.
/// scikit-learn computes it from the expanded form `‖x‖² - 2x·y + ‖y‖²` with missing
/// values set to zero, then subtracts the squares of each row's values where the other is
/// missing; the same steps are taken here, in that order.
enum NanEuclideanDistance {
    static func distance(
        _ left: UnsafePointer<Double>,
        _ right: UnsafePointer<Double>,
        width: Int
    ) -> Double {
        let x = (0..<width).map { left[$0].isNaN ? 0 : left[$0] }
        let y = (0..<width).map { right[$0].isNaN ? 0 : right[$0] }
        var product = 0.0
        var leftOnly = 0.0
        var rightOnly = 0.0
        var shared = 0
        for j in 0..<width {
            product.addProduct(x[j], y[j])
            let leftMissing = left[j].isNaN
            let rightMissing = right[j].isNaN
            if rightMissing { leftOnly += x[j] * x[j] }
            if leftMissing { rightOnly += y[j] * y[j] }
            if !leftMissing, !rightMissing { shared += 1 }
        }
        var squared =
            (-2 * product + NumpyEinsum.squaredNorm(x[...])) + NumpyEinsum.squaredNorm(y[...])
        squared = max(squared, 0)
        squared -= leftOnly
        squared -= rightOnly
        squared = max(squared, 0)
        guard shared > 0 else { return .nan }
        return (squared / Double(shared) * Double(width)).squareRoot()
    }
}

/// scipy's `cdist(X, Y, 'mahalanobis', VI=VI)` for one pair, as its compiled loop runs it:
/// `d = u - v`, each row of `VI` times `d`, then `d` times that vector, every dot product
/// in scipy's two lanes (see ``CorrelationDistance/dot(_:_:_:)``), then the root.
enum ScipyMahalanobis {
    static func distance(
        _ left: UnsafePointer<Double>,
        _ right: UnsafePointer<Double>,
        inverse: [Double],
        width: Int
    ) -> Double {
        let difference = (0..<width).map { left[$0] - right[$0] }
        return difference.withUnsafeBufferPointer { difference in
            inverse.withUnsafeBufferPointer { inverse in
                let transformed = (0..<width).map { row in
                    CorrelationDistance.dot(
                        inverse.baseAddress! + row * width,
                        difference.baseAddress!,
                        width
                    )
                }
                return transformed.withUnsafeBufferPointer { transformed in
                    CorrelationDistance.dot(
                        difference.baseAddress!,
                        transformed.baseAddress!,
                        width
                    ).squareRoot()
                }
            }
        }
    }
}
