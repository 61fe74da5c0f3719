extension LinearFunction {
    /// ``scores(_:)`` of sparse rows, as scipy's CSR product `X @ coef_.T` computes it:
    /// for each output, the row's stored entries times their weights, added from 0 in
    /// column order, then the intercept.
    func scores(sparse rows: SparseRows) -> Matrix {
        let width = weights.columns
        var scores = Matrix(rows: rows.rows, columns: outputCount)
        for row in 0..<rows.rows {
            let entries = rows.rowStarts[row]..<rows.rowStarts[row + 1]
            for output in 0..<outputCount {
                var sum = 0.0
                for entry in entries {
                    sum +=
                        rows.values[entry]
                        * weights.values[output * width + rows.columnIndices[entry]]
                }
                scores.values[row * outputCount + output] = sum + intercepts[output]
            }
        }
        return scores
    }
}

extension LinearClassifier: SparseRowsClassifier {
    func decisionFunction(sparse rows: SparseRows) -> Matrix {
        function.scores(sparse: rows)
    }

    func predictClassIndices(sparse rows: SparseRows) -> [Int] {
        let scores = function.scores(sparse: rows)
        if scores.columns == 1 { return scores.values.map { $0 > 0 ? 1 : 0 } }
        return Probability.argmaxOfRows(scores)
    }

    /// `predict_proba` from the scores, by the same rule as the dense path.
    func predictProbabilities(sparse rows: SparseRows) -> Matrix {
        probabilities(fromScores: function.scores(sparse: rows))
    }
}

extension LinearRegressor: SparseRowsRegressor {
    func predict(sparse rows: SparseRows) -> Matrix {
        var predictions = function.scores(sparse: rows)
        if link == .log {
            for index in predictions.values.indices {
                predictions.values[index] = predictions.values[index].exp()
            }
        }
        return predictions
    }
}
