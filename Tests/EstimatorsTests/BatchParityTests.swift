import Arrays
import Estimators
import TestSupport
import Testing

/// Predictors walk large batches differently from single rows (trees go down in blocks of
/// rows, in lockstep), so every conformance model answers a batch of its recorded rows,
/// long enough for several blocks, exactly as it answers each row alone.
@Suite struct BatchParityTests {
    /// More than two blocks of rows (`PackedTrees.blockRows` is 64), the last one partial.
    static let batchRows = 150

    @Test(arguments: ConformanceFixture.all)
    func batchEqualsRowByRow(_ fixture: ConformanceFixture) throws {
        let recorded = try fixture.recorded()
        let rows = try #require(recorded["rows"]?.array)
        guard !rows.isEmpty else { return }
        let model = try EstimatorRegistry.model(from: try ModelFile.load(path: fixture.modelPath))
        // The recorded rows in a shuffled cycle, so neighbours differ from one block to
        // the next.
        let picks = (0..<Self.batchRows).map { rows[($0 * 7 + $0 / rows.count) % rows.count] }
        let batch = ConformanceFixture.matrix(picks)
        // k-means distances (`transform`) follow scikit-learn's `euclidean_distances`,
        // whose last bits depend on the batch in scikit-learn too (see ClusterCenters);
        // NMF's solvers stop on measures of the whole batch.
        let batchDependent: Set<ModelOutput> =
            "\(fixture)".contains("/cluster-")
                || model.estimatorClass.hasPrefix("sklearn.cluster.")
                || model.estimatorClass.hasPrefix("sklearn.decomposition._nmf.")
            ? [.transform] : []
        for output in model.outputs where !batchDependent.contains(output) {
            let together = Self.rowPrints(try model.compute(output, batch))
            #expect(together.count == Self.batchRows, "\(fixture) \(output.rawValue)")
            for (index, row) in picks.enumerated() where index < together.count {
                let alone = Self.rowPrints(
                    try model.compute(output, ConformanceFixture.matrix([row]))
                )
                #expect(
                    alone == [together[index]],
                    "\(fixture) \(output.rawValue) row \(index): \(alone) vs \(together[index])"
                )
            }
        }
    }

    /// One exact description per row of a result: labels as recorded JSON, numbers by
    /// their bits (so NaN equals NaN and -0 differs from 0).
    static func rowPrints(_ result: ModelResult) -> [String] {
        func bits(_ values: ArraySlice<Double>) -> String {
            values.map { String($0.bitPattern, radix: 16) }.joined(separator: ",")
        }
        func matrixRows(_ matrix: Matrix) -> [String] {
            (0..<matrix.rows).map { bits(matrix.row($0)) }
        }
        switch result {
        case .labels(let labels):
            return labels.testJSON.map { "\($0)" }
        case .numbers(let numbers):
            return numbers.map { bits([$0][...]) }
        case .matrix(let matrix):
            return matrixRows(matrix)
        case .labelColumns(let columns):
            let perOutput = columns.map { $0.testJSON.map { "\($0)" } }
            return (0..<(perOutput.first?.count ?? 0)).map { row in
                perOutput.map { $0[row] }.joined(separator: "|")
            }
        case .matrices(let matrices):
            let perOutput = matrices.map(matrixRows)
            return (0..<(perOutput.first?.count ?? 0)).map { row in
                perOutput.map { $0[row] }.joined(separator: "|")
            }
        }
    }
}
