/// `MultinomialNB`, `ComplementNB` and `BernoulliNB` on sparse rows: scikit-learn's
/// `safe_sparse_dot` then adds only a row's stored entries, which
/// ``LinearLikelihood/scores(entries:into:)`` takes as they are.
extension NaiveBayesClassifier: SparseRowsClassifier where Likelihood == LinearLikelihood {
    private func jointLogLikelihood(sparse rows: SparseRows) -> Matrix {
        let classes = likelihood.classCount
        var result = Matrix(rows: rows.rows, columns: classes)
        var scores = [Double](repeating: 0, count: classes)
        for row in 0..<rows.rows {
            let entries = (rows.rowStarts[row]..<rows.rowStarts[row + 1]).lazy.map {
                (feature: rows.columnIndices[$0], value: rows.values[$0])
            }
            likelihood.scores(entries: entries, into: &scores)
            for label in 0..<classes { result.values[row * classes + label] = scores[label] }
        }
        return result
    }

    func predictClassIndices(sparse rows: SparseRows) -> [Int] {
        Probability.argmaxOfRows(jointLogLikelihood(sparse: rows))
    }

    func predictProbabilities(sparse rows: SparseRows) -> Matrix {
        probabilities(jointLogLikelihood: jointLogLikelihood(sparse: rows))
    }

    func decisionFunction(sparse rows: SparseRows) -> Matrix {
        preconditionFailure("decision_function called on naive Bayes, which has none")
    }
}
