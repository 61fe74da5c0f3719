/// `_BinaryGaussianProcessClassifierLaplace`: the Laplace approximation of a binary
/// Gaussian process classifier (GPML algorithm 3.2), as `GaussianProcessClassifier` keeps
/// it in `base_estimator_`, alone for two classes or one per class or pair of classes.
struct BinaryLaplaceClassifier: Classifier {
    let kernel: GaussianProcessKernel
    let trainingRows: Matrix
    /// `y_train_ - pi_`: the latent mean's weights.
    let residuals: [Double]
    /// `W_sr_`.
    let weightRoots: [Double]
    /// `L_`, lower triangular with a non-zero diagonal.
    let lower: Matrix
    let classes: ClassLabels

    var inputWidth: Int { trainingRows.columns }

    init(_ object: FittedObject) throws(EstimatorError) {
        let rows = try object.trainingRows("X_train_")
        let count = rows.rows
        trainingRows = rows
        kernel = try GaussianProcessKernel(try object.value("kernel_"), width: rows.columns)
        let targets = try object.doubles("y_train_", count: count)
        let probabilities = try object.doubles("pi_", count: count)
        residuals = zip(targets, probabilities).map { $0 - $1 }
        weightRoots = try object.doubles("W_sr_", count: count)
        let shape = try object.array("L_").shape
        guard shape == [count, count] else {
            throw object.error("L_", "expected shape [\(count), \(count)], found \(shape)")
        }
        let lower = Matrix(rows: count, columns: count, values: try object.doubles("L_"))
        for index in 0..<count {
            if lower[index, index] == 0 || !lower[index, index].isFinite {
                throw object.error("L_", "is singular")
            }
            for column in (index + 1)..<count where lower[index, column] != 0 {
                throw object.error("L_", "is not lower triangular")
            }
        }
        self.lower = lower
        classes = try object.classLabels()
        guard classes.count == 2 else {
            throw object.error("classes_", "expected two classes, found \(classes.count)")
        }
    }

    /// `K_star = kernel_(X_train_, X)`, one column per row of `input`.
    private func kernelColumns(_ input: Matrix) throws(InputError) -> Matrix {
        if kernel.refusesNegative {
            try PairwiseKernel.requireNonNegative(input, by: "GaussianProcessClassifier")
        }
        return kernel.matrix(trainingRows, input)
    }

    /// `K_star.T.dot(y_train_ - pi_)`.
    private func latentMeans(_ columns: Matrix) -> [Double] {
        (0..<columns.columns).map { column in
            var sum = 0.0
            for row in 0..<columns.rows { sum += columns[row, column] * residuals[row] }
            return sum
        }
    }

    /// Mirrors `predict`: the second class where the latent mean is positive.
    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        try RowBlocks.map(input, width: trainingRows.rows) { block throws(InputError) in
            latentMeans(try kernelColumns(block)).map { $0 > 0 ? 1 : 0 }
        }
    }

    /// Mirrors `predict_proba`: the latent mean and variance (`diag(X) - Σ v²` with
    /// `v = L_⁻¹ (W_sr_ K_star)`), then the logistic integral approximated by five error
    /// functions (Williams and Barber), in scikit-learn's order of operations.
    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        try RowBlocks.map(input, width: trainingRows.rows) { block throws(InputError) in
            try probabilities(block)
        }
    }

    private func probabilities(_ input: Matrix) throws(InputError) -> Matrix {
        let columns = try kernelColumns(input)
        // scipy's `solve` checks its right-hand side: a kernel that overflowed to NaN or
        // infinity (Matern's inf * 0 for a huge row) is refused, naming the first such row.
        let refused = columns.values.indices.lazy.filter { !columns.values[$0].isFinite }
            .map { $0 % columns.columns }.min()
        if let row = refused {
            throw InputError(
                row: row,
                column: nil,
                "the kernel of the row with the training rows is not finite, which "
                    + "GaussianProcessClassifier's predict_proba does not accept"
            )
        }
        let means = latentMeans(columns)
        let diagonal = kernel.diagonal(input)
        let count = trainingRows.rows
        var result = Matrix(rows: input.rows, columns: 2)
        var solution = [Double](repeating: 0, count: count)
        for row in 0..<input.rows {
            // Forward substitution of L v = W_sr K_star[:, row].
            var sumOfSquares = 0.0
            for index in 0..<count {
                var value = weightRoots[index] * columns[index, row]
                for earlier in 0..<index { value -= lower[index, earlier] * solution[earlier] }
                solution[index] = value / lower[index, index]
                sumOfSquares += solution[index] * solution[index]
            }
            let variance = diagonal[row] - sumOfSquares
            let alpha = 1 / (2 * variance)
            var weighted = 0.0
            for term in 0..<Self.lambdas.count {
                let lambda = Self.lambdas[term]
                let gamma = lambda * means[row]
                let integral =
                    (Double.pi / alpha).squareRoot()
                    * Foundationless.erf(gamma * (alpha / (alpha + lambda * lambda)).squareRoot())
                    / (2 * (variance * 2 * Double.pi).squareRoot())
                weighted += Self.coefficients[term] * integral
            }
            let positive = weighted + 0.5 * Self.coefficientSum
            result[row, 0] = 1 - positive
            result[row, 1] = positive
        }
        return result
    }

    /// `LAMBDAS` and `COEFS` of `sklearn.gaussian_process._gpc`.
    private static let lambdas = [0.41, 0.4, 0.37, 0.44, 0.39]
    private static let coefficients = [
        -1854.8214151, 3516.89893646, 221.29346712, 128.12323805, -2010.49422654,
    ]
    /// `COEFS.sum()`, added in order.
    private static let coefficientSum = coefficients.reduce(0, +)
}

/// `GaussianProcessClassifier`: its binary Laplace classifier, or one per class
/// (`one_vs_rest`, with probabilities) or per pair of classes (`one_vs_one`, labels only).
/// It has no `decision_function`.
struct GaussianProcessClassifier: Classifier {
    let base: any Classifier
    let classes: ClassLabels
    let hasProbabilities: Bool

    var inputWidth: Int { base.inputWidth }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        try base.predictClassIndices(input)
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        try base.predictProbabilities(input)
    }
}

extension GaussianProcessClassifier {
    init(_ object: FittedObject) throws(EstimatorError) {
        classes = try object.classLabels()
        let base = try object.nested("base_estimator_")
        switch base.className {
        case "_BinaryGaussianProcessClassifierLaplace":
            let binary = try BinaryLaplaceClassifier(base)
            guard binary.classes == classes else {
                throw object.error("base_estimator_", "has other classes than classes_")
            }
            self.base = binary
            hasProbabilities = true
        case "OneVsRestClassifier":
            let members = try Self.binaryMembers(base)
            guard members.count == classes.count, classes.count > 2 else {
                throw base.error("estimators_", "\(members.count) for \(classes.count) classes")
            }
            let version = base.version
            self.base = OneVsRestClassifier(
                members: members,
                classes: classes,
                inputWidth: try EstimatorRegistry.commonWidth(
                    members.map(\.member.kind.inputWidth),
                    base
                ),
                firstOfTies: version >= ScikitLearnVersion(1, 9),
                keepsZeroSums: version >= ScikitLearnVersion(1, 7)
            )
            hasProbabilities = true
        case "OneVsOneClassifier":
            let members = try Self.binaryMembers(base)
            guard members.count == classes.count * (classes.count - 1) / 2, classes.count > 2
            else {
                throw base.error("estimators_", "\(members.count) for \(classes.count) classes")
            }
            self.base = OneVsOneClassifier(
                members: members,
                classes: classes,
                inputWidth: try EstimatorRegistry.commonWidth(
                    members.map(\.member.kind.inputWidth),
                    base
                )
            )
            // scikit-learn raises for predict_proba with one_vs_one.
            hasProbabilities = false
        default:
            throw object.unsupported(
                "base_estimator_",
                "\(base.className) is not a Gaussian process classifier"
            )
        }
    }

    /// The binary Laplace classifiers of a one-vs-rest or one-vs-one wrapper, fitted on
    /// the labels 0 and 1.
    private static func binaryMembers(_ wrapper: FittedObject) throws(EstimatorError)
        -> [BinaryMember]
    {
        var members: [BinaryMember] = []
        for fitted in try EstimatorRegistry.memberList(wrapper, "estimators_") {
            guard fitted.className == "_BinaryGaussianProcessClassifierLaplace" else {
                throw wrapper.unsupported(
                    "estimators_",
                    "\(fitted.className) is not a binary Gaussian process classifier"
                )
            }
            let binary = try BinaryLaplaceClassifier(fitted)
            guard binary.classes == .integers([0, 1]) else {
                throw fitted.error("classes_", "expected the labels 0 and 1")
            }
            members.append(
                BinaryMember(
                    member: Member(
                        name: "GaussianProcessClassifier",
                        kind: binary,
                        textColumns: [],
                        acceptsMissing: false
                    )
                )
            )
        }
        return members
    }
}
