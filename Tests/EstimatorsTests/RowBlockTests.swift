import Arrays
import Estimators
import TestSupport
import Testing

/// Kernel, network and neighbor models work through a large request a block of rows at a
/// time (at most `RowBlocks.maximumRows`, 256, rows each) so that their rows × training
/// rows matrices stay small; a batch of several blocks answers exactly as row by row.
@Suite struct RowBlockTests {
    /// Three full blocks and a partial one.
    static let batchRows = 3 * 256 + 37

    @Test(arguments: [
        "kernels-gpr-default", "kernels-gpc-one-vs-rest", "kernels-kernel-pca-rbf",
        "kernels-kernel-ridge-chi2", "neural-mlp-regressor-column-target",
        "neighbors-rclassifier-brute", "neighbors-kclassifier-multioutput-brute",
    ])
    func batchOfSeveralBlocksEqualsRowByRow(_ caseName: String) throws {
        let fixture = try Self.fixture(caseName)
        let rows = try #require(try fixture.recorded()["rows"]?.array)
        let model = try EstimatorRegistry.model(from: try ModelFile.load(path: fixture.modelPath))
        let picks = (0..<Self.batchRows).map { rows[($0 * 7 + $0 / rows.count) % rows.count] }
        let batch = ConformanceFixture.matrix(picks)
        for output in model.outputs {
            let together = BatchParityTests.rowPrints(try model.compute(output, batch))
            #expect(together.count == Self.batchRows, "\(caseName) \(output.rawValue)")
            for (index, row) in picks.enumerated() where index < together.count {
                let alone = BatchParityTests.rowPrints(
                    try model.compute(output, ConformanceFixture.matrix([row]))
                )
                #expect(alone == [together[index]], "\(caseName) \(output.rawValue) row \(index)")
            }
        }
    }

    static func fixture(_ caseName: String) throws -> ConformanceFixture {
        try #require(
            ConformanceFixture.all.first { $0.description == "sklearn-1.9.1/\(caseName)" }
        )
    }

    /// A refused row in a later block is named by its place in the request.
    @Test func refusedRowInALaterBlockIsNamedByItsRequestRow() throws {
        // A polynomial kernel overflows for a huge row, which the centerer refuses.
        let fixture = try Self.fixture("kernels-kernel-pca-poly")
        let model = try EstimatorRegistry.model(from: try ModelFile.load(path: fixture.modelPath))
        var rows = [[Double]](
            repeating: [Double](repeating: 1, count: model.inputWidth),
            count: 700
        )
        rows[600] = [Double](repeating: 1e300, count: model.inputWidth)
        #expect {
            _ = try model.compute(.transform, Matrix(rows))
        } throws: { error in
            (error as? InputError)?.row == 600
        }
    }
}

/// MiniBatchNMF starts from the square root of the batch's mean and scikit-learn's `norm`
/// refuses the NaN that follows when the mean is negative, or when values overflow.
@Suite struct MiniBatchFactorizationInputTests {
    static let modelPath =
        ConformanceFixture.root + "/sklearn-1.9.1/neural-minibatch-nmf.joblib"

    @Test(arguments: [
        ([[-1e19, 3, 1, 0.2]], 0, 0 as Int?),
        ([[1, 3, 1, 0.2], [-1e19, 3, 1, 0.2]], 1, 0 as Int?),
        ([[1e308, 1e308, 1, 1]], 0, nil as Int?),
    ])
    func refusesWhatScikitLearnRefuses(_ rows: [[Double]], _ row: Int, _ column: Int?) throws {
        let model = try EstimatorRegistry.model(
            from: try ModelFile.load(path: Self.modelPath)
        )
        #expect {
            _ = try model.compute(.transform, Matrix(rows))
        } throws: { error in
            let failure = error as? InputError
            return failure?.row == row && failure?.column == column
        }
    }

    /// A negative value is accepted while the batch's mean stays positive, as scikit-learn
    /// accepts it (answering 0.06114545, 0.04968381 for this row in 1.9.1).
    @Test func acceptsANegativeValueWithAPositiveMean() throws {
        let model = try EstimatorRegistry.model(
            from: try ModelFile.load(path: Self.modelPath)
        )
        guard case .matrix(let result) = try model.compute(.transform, Matrix([[-1, 3, 1, 0.2]]))
        else {
            Issue.record("expected a matrix")
            return
        }
        #expect(abs(result[0, 0] - 0.06114545) < 1e-7)
        #expect(abs(result[0, 1] - 0.04968381) < 1e-7)
    }
}
