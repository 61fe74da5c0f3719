import Estimators
import TestSupport
import Testing

@testable import Serving

/// `IsotonicRegression.transform` returns a 1-D array in scikit-learn: one number per row in
/// the native answer, a tensor of shape `[N]` in Open Inference, and `[-1]` in its metadata.
@Suite struct OneValueTransformTests {
    static func service() throws -> (PredictionService, TestJSON) {
        let fixture = try #require(
            ConformanceFixture.all.first {
                $0.environment == "sklearn-1.9.1" && $0.caseName == "calibration-isotonic-clip"
            }
        )
        let service = PredictionService(
            models: [ServedModel(name: "m", model: try ModelLoader.load(path: fixture.modelPath))]
        )
        return (service, try fixture.recorded())
    }

    @Test func nativeTransformIsOneNumberPerRow() throws {
        let (service, recorded) = try Self.service()
        let answer = OpenInferenceTests.send(
            service,
            "POST",
            "/predict",
            #"{"instances": [[0.0], [1e300]], "outputs": ["transform"]}"#
        )
        #expect(answer.status == 200, "\(answer.error)")
        let transformed = try #require(answer.json?["transform"]?.array?.map(\.double))
        let rows = try #require(recorded["rows"]?.matrix)
        let recordedValues = try #require(recorded["outputs"]?["transform"]?.array)
        let wanted = [[0.0], [1e300]].map { row in
            rows.firstIndex(of: row).flatMap { recordedValues[$0].double }
        }
        #expect(transformed.count == 2)
        for (got, want) in zip(transformed, wanted) {
            let (got, want) = (try #require(got), try #require(want))
            #expect(abs(got - want) <= 1e-9 * max(1, abs(want)))
        }
    }

    /// A model of one column says "feature", not "features".
    @Test func aRowOfTwoValuesIsRefusedInTheSingular() throws {
        let (service, _) = try Self.service()
        let answer = OpenInferenceTests.send(service, "POST", "/predict", #"{"features": [1, 5]}"#)
        #expect(answer.status == 422)
        #expect(answer.error == "model 'm' expects 1 feature per row, row 0 has 2")
    }

    @Test func openInferenceTransformIsATensorOfShapeN() throws {
        let (service, _) = try Self.service()
        let answer = OpenInferenceTests.send(
            service,
            "POST",
            "/v2/models/m/infer",
            #"{"inputs":[{"name":"input-0","shape":[3,1],"datatype":"FP64","data":[0,1,2]}],"#
                + #""outputs":[{"name":"transform"}]}"#
        )
        #expect(answer.status == 200, "\(answer.error)")
        let tensor = try #require(answer.output("transform"))
        #expect(tensor["shape"]?.array?.map(\.double) == [3])
        let metadata = OpenInferenceTests.send(service, "GET", "/v2/models/m")
        let outputs = try #require(metadata.json?["outputs"]?.array)
        let transform = try #require(outputs.first { $0["name"]?.string == "transform" })
        #expect(transform["shape"]?.array?.map(\.double) == [-1])
    }
}
