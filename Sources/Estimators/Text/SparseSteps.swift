/// A step at the head of a text model that builds sparse rows from the request's rows.
protocol SparseRowsSource: Transformer {
    func sparseRows(_ input: Matrix) throws(InputError) -> SparseRows
}

extension SparseRowsSource {
    /// For steps that need dense rows: the sparse rows with every zero written out.
    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        try sparseRows(input).dense()
    }
}

/// A transformer that maps sparse rows to sparse rows (`TfidfTransformer`).
protocol SparseRowsTransformer: Transformer {
    func transform(sparse rows: SparseRows) throws(InputError) -> SparseRows
}

/// A classifier that takes sparse rows as they are, as scikit-learn's linear models take a
/// CSR matrix: its sums skip the zeros, which adds nothing to them.
protocol SparseRowsClassifier: Classifier {
    func predictClassIndices(sparse rows: SparseRows) -> [Int]
    func predictProbabilities(sparse rows: SparseRows) -> Matrix
    func decisionFunction(sparse rows: SparseRows) -> Matrix
}

/// A regressor that takes sparse rows as they are.
protocol SparseRowsRegressor: Regressor {
    func predict(sparse rows: SparseRows) -> Matrix
}

extension Pipeline {
    /// The widest row Augur writes out dense for a step that does not take sparse rows:
    /// a wider one (a `HashingVectorizer`'s 2^20 columns) would cost megabytes per row.
    static let denseWidthLimit = 1 << 17

    /// What the transformers give, as sparse rows, when the first builds sparse rows and
    /// every later one keeps them sparse; nil otherwise.
    func sparseTransform(_ input: Matrix) throws(InputError) -> SparseRows? {
        guard let source = transformers.first?.step as? any SparseRowsSource else { return nil }
        var steps: [any SparseRowsTransformer] = []
        for (_, step) in transformers.dropFirst() {
            guard let sparseStep = step as? any SparseRowsTransformer else { return nil }
            steps.append(sparseStep)
        }
        var rows = try source.sparseRows(input)
        for step in steps { rows = try step.transform(sparse: rows) }
        return rows
    }

    /// Refuses, at load, a pipeline that would write out dense rows wider than
    /// ``denseWidthLimit`` for a step that does not take sparse ones.
    static func checkDenseWidths(
        _ transformers: [(name: String, step: any Transformer)],
        final: Estimator,
        finalName: String
    ) throws(EstimatorError) {
        let takesSparse: Bool
        switch final {
        case .classifier(let classifier): takesSparse = classifier is any SparseRowsClassifier
        case .regressor(let regressor): takesSparse = regressor is any SparseRowsRegressor
        case .transformer(let step): takesSparse = step is any SparseRowsTransformer
        default: takesSparse = false
        }
        let steps = transformers.map(\.step)
        for (index, (name, step)) in transformers.enumerated()
        where step is any SparseRowsSource && step.outputWidth > denseWidthLimit {
            let rest = steps[(index + 1)...]
            let sparseToTheEnd =
                index == 0 && takesSparse && rest.allSatisfy { $0 is any SparseRowsTransformer }
            guard sparseToTheEnd else {
                throw EstimatorError(
                    .unsupportedOption,
                    className: name,
                    "gives \(step.outputWidth) columns, which \(finalName) or a step before it "
                        + "would need dense; Augur writes out at most \(denseWidthLimit) "
                        + "columns dense (linear models and TfidfTransformer take sparse rows)"
                )
            }
        }
    }
}
