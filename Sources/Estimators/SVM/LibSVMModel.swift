import Arrays

/// The fitted libsvm model behind scikit-learn's `SVC`, `NuSVC`, `SVR`, `NuSVR` and
/// `OneClassSVM`: support vectors, their coefficients and the intercepts, with the kernel
/// that compares a row to each support vector. Decision values are computed as libsvm's
/// `svm_predict_values` computes them (sklearn/svm/src/libsvm/svm.cpp), term by term.
struct LibSVMModel: Sendable {
    /// libsvm's four kernels over dense rows; `precomputed` and callables are refused.
    enum Kernel: Sendable, Equatable {
        case linear
        /// `(gamma * <x, v> + coef0) ^ degree`, the power taken by repeated squaring.
        case polynomial(degree: Int, gamma: Double, coef0: Double)
        /// `exp(-gamma * |x - v|^2)`.
        case rbf(gamma: Double)
        /// `tanh(gamma * <x, v> + coef0)`.
        case sigmoid(gamma: Double, coef0: Double)
    }

    let kernel: Kernel
    /// `support_vectors_`: one row per support vector, grouped by class for classifiers.
    let supportVectors: Matrix
    /// `_dual_coef_` (libsvm's signs): one row of `supportVectors.rows` coefficients per
    /// class but one (a single row for regression and one-class models).
    let coefficients: Matrix
    /// libsvm's `rho`, the negated `_intercept_`: one per pair of classes, or one.
    let rho: [Double]
    /// `_n_support` per class for classifiers; empty for regression and one-class models.
    let supportCounts: [Int]
    /// Where each class's support vectors start in ``supportVectors``.
    let supportStarts: [Int]

    var inputWidth: Int { supportVectors.columns }
    var classCount: Int { supportCounts.count }

    /// Reads the libsvm state of `object`; `classCount` is the number of classes of a
    /// classifier, nil for a regressor or a one-class model.
    init(_ object: FittedObject, classCount: Int?) throws(EstimatorError) {
        if object.boolean("_sparse", default: false) {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "_sparse",
                "models fitted on sparse input are not supported; refit on a dense array"
            )
        }
        kernel = try Self.kernel(object)
        supportVectors = try Self.supportVectors(object)
        let count = supportVectors.rows
        let rowCount = classCount.map { $0 - 1 } ?? 1
        let pairCount = classCount.map { $0 * ($0 - 1) / 2 } ?? 1
        let dual = try object.array("_dual_coef_")
        guard dual.shape == [rowCount, count] else {
            throw object.error(
                "_dual_coef_",
                "expected shape [\(rowCount), \(count)] for \(count) support vectors, found "
                    + "\(dual.shape)"
            )
        }
        coefficients = Matrix(
            rows: rowCount,
            columns: count,
            values: try object.doubles("_dual_coef_")
        )
        // copy_intercept stores -rho; set_model negates it back.
        rho = try object.doubles("_intercept_", count: pairCount).map { -$0 }
        let supportCounts = try Self.supportCounts(object)
        if let classCount {
            guard supportCounts.count == classCount, supportCounts.allSatisfy({ $0 >= 0 }),
                supportCounts.reduce(0, +) == count
            else {
                throw object.error(
                    "_n_support",
                    "\(supportCounts) does not split \(count) support vectors among "
                        + "\(classCount) classes"
                )
            }
            self.supportCounts = supportCounts
        } else {
            // scikit-learn's own check against altered models (CVE-2020-28975).
            guard count == 0 || supportCounts.first == count else {
                throw object.error(
                    "_n_support",
                    "\(supportCounts) does not count \(count) support vectors"
                )
            }
            self.supportCounts = []
        }
        var starts: [Int] = []
        var start = 0
        for classSupport in self.supportCounts {
            starts.append(start)
            start += classSupport
        }
        supportStarts = starts
    }

    /// libsvm's kernel value between `row` and every support vector.
    func kernelValues(_ row: ArraySlice<Double>, into values: inout [Double]) {
        let width = supportVectors.columns
        row.withUnsafeBufferPointer { row in
            supportVectors.values.withUnsafeBufferPointer { vectors in
                for vector in 0..<supportVectors.rows {
                    let other = UnsafeBufferPointer(
                        rebasing: vectors[(vector * width)..<((vector + 1) * width)]
                    )
                    values[vector] = kernelValue(row, other)
                }
            }
        }
    }

    /// `Kernel::k_function` for dense rows.
    private func kernelValue(
        _ x: UnsafeBufferPointer<Double>,
        _ y: UnsafeBufferPointer<Double>
    ) -> Double {
        switch kernel {
        case .linear:
            return Self.dot(x, y)
        case .polynomial(let degree, let gamma, let coef0):
            return Self.powi(gamma * Self.dot(x, y) + coef0, degree)
        case .rbf(let gamma):
            // The differences first, then their dot product with themselves.
            var sum = 0.0
            for index in 0..<Swift.min(x.count, y.count) {
                let difference = x[index] - y[index]
                sum += difference * difference
            }
            return (-gamma * sum).exp()
        case .sigmoid(let gamma, let coef0):
            return (gamma * Self.dot(x, y) + coef0).tanh()
        }
    }

    /// `ddot` as scikit-learn's BLAS (OpenBLAS, through scipy) computes a vector of fewer
    /// than 16 values: one sum from 0, in index order, each product rounded before it is
    /// added. Longer vectors go through its SIMD kernel, whose partial sums differ from
    /// this in the last bits.
    private static func dot(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>)
        -> Double
    {
        var sum = 0.0
        // Rows are as wide as the support vectors; the bound is libsvm's all the same.
        for index in 0..<Swift.min(x.count, y.count) {
            sum += y[index] * x[index]
        }
        return sum
    }

    /// libsvm's `powi`: `base` to a whole power by repeated squaring (1 for a power of 0
    /// or less).
    static func powi(_ base: Double, _ times: Int) -> Double {
        var square = base
        var result = 1.0
        var remaining = times
        while remaining > 0 {
            if remaining % 2 == 1 { result *= square }
            square = square * square
            remaining /= 2
        }
        return result
    }

    /// The single decision value of a regressor or one-class model: the weighted kernel
    /// values summed in support-vector order, minus `rho`.
    func decisionValue(_ kernelValues: [Double]) -> Double {
        var sum = 0.0
        for vector in kernelValues.indices {
            sum += coefficients[0, vector] * kernelValues[vector]
        }
        sum -= rho[0]
        return sum
    }

    /// The one-vs-one decision values of a classifier, one per pair `(i, j)` with `i < j`
    /// in libsvm's order; positive votes for `i`.
    func pairwiseDecisionValues(_ kernelValues: [Double], into values: inout [Double]) {
        var pair = 0
        for first in 0..<classCount {
            for second in (first + 1)..<classCount {
                var sum = 0.0
                let firstStart = supportStarts[first]
                let secondStart = supportStarts[second]
                for vector in firstStart..<(firstStart + supportCounts[first]) {
                    sum += coefficients[second - 1, vector] * kernelValues[vector]
                }
                for vector in secondStart..<(secondStart + supportCounts[second]) {
                    sum += coefficients[first, vector] * kernelValues[vector]
                }
                sum -= rho[pair]
                values[pair] = sum
                pair += 1
            }
        }
    }

    /// The vote of `svm_predict_values`: each pair's positive decision value is a vote for
    /// its first class, any other (NaN too) for its second; the first class with most
    /// votes wins.
    func votedClass(_ decisionValues: [Double]) -> Int {
        var votes = [Int](repeating: 0, count: classCount)
        var pair = 0
        for first in 0..<classCount {
            for second in (first + 1)..<classCount {
                if decisionValues[pair] > 0 {
                    votes[first] += 1
                } else {
                    votes[second] += 1
                }
                pair += 1
            }
        }
        var best = 0
        for index in 1..<classCount where votes[index] > votes[best] {
            best = index
        }
        return best
    }

    // MARK: - Reading

    private static func kernel(_ object: FittedObject) throws(EstimatorError) -> Kernel {
        guard let name = object.string("kernel") else {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "kernel",
                "a callable kernel is not supported (it is Python code); use 'linear', "
                    + "'poly', 'rbf' or 'sigmoid'"
            )
        }
        switch name {
        case "linear":
            return .linear
        case "poly":
            let degree = try object.number("degree")
            guard let whole = Int(exactly: degree), whole <= 1 << 20 else {
                throw object.error("degree", "expected a whole number, found \(degree)")
            }
            return .polynomial(
                degree: whole,
                gamma: try object.number("_gamma"),
                coef0: try object.number("coef0")
            )
        case "rbf":
            return .rbf(gamma: try object.number("_gamma"))
        case "sigmoid":
            return .sigmoid(gamma: try object.number("_gamma"), coef0: try object.number("coef0"))
        default:
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "kernel",
                "kernel '\(name)' is not supported; expected 'linear', 'poly', 'rbf' or "
                    + "'sigmoid'"
            )
        }
    }

    /// `support_vectors_`, 2-D; a model without support vectors takes its width from
    /// `n_features_in_` (or `shape_fit_` in files that predate it).
    private static func supportVectors(_ object: FittedObject) throws(EstimatorError) -> Matrix {
        let array = try object.array("support_vectors_")
        guard array.shape.count == 2 else {
            throw object.error(
                "support_vectors_",
                "expected a 2-D array, found shape \(array.shape)"
            )
        }
        let values = try object.doubles("support_vectors_")
        var width = array.shape[1]
        if array.shape[0] == 0, object.optional("n_features_in_") != nil {
            width = try object.integer("n_features_in_")
        }
        guard width > 0 else {
            throw object.error("support_vectors_", "has no features (shape \(array.shape))")
        }
        return Matrix(rows: array.shape[0], columns: width, values: values)
    }

    /// `_n_support` (`n_support_` in files from before scikit-learn 0.23).
    private static func supportCounts(_ object: FittedObject) throws(EstimatorError) -> [Int] {
        let name = object.optional("_n_support") != nil ? "_n_support" : "n_support_"
        let array = try object.array(name)
        let counts = try object.reading(name) { () throws(ArrayError) in try array.integers() }
        return counts.map { Int($0) }
    }
}

extension FittedObject {
    /// `_probA` and `_probB` (`probA_`, `probB_` in files from before scikit-learn 1.0),
    /// when both hold one value per pair of classes; nil when they are empty (a model
    /// fitted without `probability=True`).
    func plattCoefficients(pairCount: Int) throws(EstimatorError) -> (a: [Double], b: [Double])? {
        let (aName, bName) =
            optional("_probA") != nil ? ("_probA", "_probB") : ("probA_", "probB_")
        guard optional(aName) != nil else { return nil }
        let a = try doubles(aName)
        let b = try doubles(bName)
        if a.isEmpty || b.isEmpty { return nil }
        guard a.count == pairCount, b.count == pairCount else {
            throw error(
                aName,
                "\(a.count) and \(b.count) Platt coefficients for \(pairCount) pairs of classes"
            )
        }
        return (a, b)
    }
}
