import Arrays
import Estimators
import TestSupport
import Testing

/// Every recorded model file, in every format and scikit-learn version, gives the outputs
/// scikit-learn recorded for the same rows.
@Suite struct ScikitLearnParityTests {
    static func load(_ fixture: ModelFixture) throws -> Model {
        try EstimatorRegistry.model(from: try ModelFile.load(path: fixture.modelPath))
    }

    @Test(arguments: ModelFixture.all)
    func predictionsMatchScikitLearn(_ fixture: ModelFixture) throws {
        let model = try Self.load(fixture)
        let expected = try fixture.expected()
        let rows = try #require(try fixture.input()["rows"]?.matrix)
        let input = Matrix(rows)
        #expect(model.inputWidth == Int(try #require(expected["n_features"]?.double)))
        #expect(model.estimatorClass.hasSuffix("." + (expected["estimator"]?.string ?? "?")))

        let recorded = try #require(expected["predict"]?.array)
        switch model.estimator {
        case .classifier(let classifier):
            let labels = classifier.classes.take(try classifier.predictClassIndices(input))
            #expect(labels.testJSON == recorded, "\(fixture)")
            #expect(classifier.classes.testJSON == expected["classes"]?.array)

            let probabilities = try classifier.predictProbabilities(input)
            let recordedProbabilities = try #require(expected["predict_proba"]?.matrix)
            #expect(probabilities.rows == recordedProbabilities.count)
            for (row, recordedRow) in recordedProbabilities.enumerated() {
                for (column, value) in recordedRow.enumerated() {
                    let actual = probabilities[row, column]
                    if fixture.isExact {
                        #expect(actual == value, "\(fixture) row \(row) class \(column)")
                    } else {
                        #expect(
                            Fixtures.close(actual, value),
                            "\(fixture) row \(row) class \(column)"
                        )
                    }
                }
            }
        case .regressor(let regressor):
            let predictions = try regressor.predict(input).values
            #expect(predictions.count == recorded.count)
            for (row, value) in recorded.enumerated() {
                let expectedValue = try #require(value.double)
                if fixture.isExact {
                    #expect(predictions[row] == expectedValue, "\(fixture) row \(row)")
                } else {
                    #expect(
                        Fixtures.close(predictions[row], expectedValue),
                        "\(fixture) row \(row)"
                    )
                }
            }
        case .transformer, .outlierDetector, .multiOutputClassifier:
            Issue.record("\(fixture) loaded as \(model.outputs)")
        }
    }

    @Test func everyFormatOfEveryCaseIsCovered() {
        // joblib and pickle protocols 2, 4 and 5, for each case of each version.
        let formats = Set(ModelFixture.all.map(\.fileName))
        #expect(formats == ["model.joblib", "model.p2.pkl", "model.p4.pkl", "model.p5.pkl"])
        #expect(Set(ModelFixture.all.map(\.version)) == ["sklearn-1.5.2", "sklearn-1.9.1"])
        #expect(ModelFixture.all.count >= 72)
    }
}
