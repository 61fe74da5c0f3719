import Arrays
import Estimators
import TestSupport
import Testing

/// The served cases C01 and C20(b): `make_pipeline(StandardScaler(), KMeans(n_clusters=2))`
/// saved under numpy 1 and numpy 2 (Tests/Fixtures/served/c01_kmeans_*), answering the
/// cluster labels scikit-learn recorded, as integers, whichever numpy wrote the file.
@Suite struct ClusterServedCaseTests {
    static let folders = ["c01_kmeans_np1", "c01_kmeans_np2"]

    @Test(arguments: folders)
    func givesTheRecordedLabels(_ folder: String) throws {
        let path = "\(Fixtures.root)/served/\(folder)"
        let expected = try TestJSON.read(path: "\(path)/expected.json")
        let model = try EstimatorRegistry.model(
            from: try ModelFile.load(path: "\(path)/model.joblib")
        )
        #expect(model.estimatorClass == "sklearn.pipeline.Pipeline")
        #expect(model.outputs == [.predict, .transform])
        let requests = try #require(expected["requests"]?.array)
        #expect(!requests.isEmpty)
        for request in requests {
            let rows = ConformanceFixture.matrix(try #require(request["rows"]?.array))
            guard case .labels(.integers(let labels)) = try model.compute(.predict, rows) else {
                Issue.record("\(folder): predict gave no integer labels")
                continue
            }
            let recorded = try #require(request["predict"]?.array).map(\.double)
            #expect(labels.map(Double.init) == recorded, "\(folder)")
            // The two rows sit in different clusters (cases.md: p ≠ q).
            #expect(Set(labels).count == labels.count, "\(folder)")
        }
    }
}
