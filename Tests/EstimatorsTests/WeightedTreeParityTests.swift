import Arrays
import Estimators
import TestSupport
import Testing

/// Class-weighted trees and forests (Tests/Fixtures/weighted/generate.py) hold leaf
/// fractions that do not sum exactly to 1: scikit-learn 1.4 and later return them as they
/// are, 1.3 divided them by their sum. Both give back exactly scikit-learn's numbers.
@Suite struct WeightedTreeParityTests {
    @Test(arguments: ["sklearn-1.3.2", "sklearn-1.9.1"], ["tree", "forest"])
    func probabilitiesMatchScikitLearnBitForBit(version: String, model name: String) throws {
        let folder = "\(Fixtures.root)/weighted/\(version)"
        let model = try EstimatorRegistry.model(
            from: try ModelFile.load(path: "\(folder)/\(name).joblib")
        )
        let recorded = try TestJSON.read(path: "\(folder)/\(name).json")
        let rows = Matrix(try #require(recorded["rows"]?.matrix))
        let expected = try #require(recorded["predict_proba"]?.matrix)
        guard case .classifier(let classifier) = model.estimator else {
            Issue.record("not a classifier")
            return
        }
        let probabilities = try classifier.predictProbabilities(rows)
        var mismatches = 0
        for (row, values) in expected.enumerated() {
            for (column, value) in values.enumerated()
            where probabilities[row, column].bitPattern != value.bitPattern {
                mismatches += 1
            }
        }
        #expect(mismatches == 0, "\(version)/\(name): \(mismatches) values differ")
    }
}
