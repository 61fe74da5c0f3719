import Arrays
import Estimators
import TestSupport
import Testing

/// What the conformance cases cannot show for KMeans: scikit-learn refuses every float64
/// row of a model fitted on float32, so its refusal of values beyond float32 is checked
/// here; and the outputs a clustering model offers.
@Suite struct ClusterTests {
    static func model(_ environment: String, _ caseName: String) throws -> Model {
        let path = "\(ConformanceFixture.root)/\(environment)/\(caseName).joblib"
        return try EstimatorRegistry.model(from: try ModelFile.load(path: path))
    }

    @Test(arguments: ["cluster-kmeans-float32", "cluster-minibatch-float32"])
    func centersOfFloat32RefuseValuesBeyondFloat32(_ caseName: String) throws {
        let model = try Self.model("sklearn-1.9.1", caseName)
        var row = [Double](repeating: 1, count: model.inputWidth)
        row[model.inputWidth - 1] = 1e300
        for output in [ModelOutput.predict, .transform] {
            #expect(throws: InputError.self) { _ = try model.compute(output, Matrix([row])) }
        }
        row[model.inputWidth - 1] = 3e38
        _ = try model.compute(.predict, Matrix([row]))
    }

    @Test func centersOfFloat64TakeHugeValues() throws {
        let model = try Self.model("sklearn-1.9.1", "cluster-kmeans-iris-3")
        guard
            case .matrix(let distances) = try model.compute(.transform, Matrix([[1e300, 0, 0, 0]]))
        else {
            Issue.record("transform gave no matrix")
            return
        }
        #expect(distances.values.allSatisfy { $0 == .infinity })
    }

    @Test func labelsAreClusterIndices() throws {
        let model = try Self.model("sklearn-1.9.1", "cluster-kmeans-iris-random-6")
        #expect(model.outputs == [.predict, .transform])
        #expect(model.classes == .integers([0, 1, 2, 3, 4, 5]))
    }
}
