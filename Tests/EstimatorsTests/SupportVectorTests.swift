import Arrays
import Estimators
import TestSupport
import Testing

/// Support vector machine files the conformance cases cannot make
/// (Tests/Fixtures/svm/generate.py): one saved under scikit-learn 0.20's module paths and
/// attribute names, a one-class model that meets a decision value of exactly 0, and
/// doctored or unsupported ones that must fail at load.
@Suite struct SupportVectorTests {
    static let folder = Fixtures.root + "/svm"

    static func load(_ file: String) throws -> Model {
        try EstimatorRegistry.model(from: try ModelFile.load(path: "\(folder)/\(file)"))
    }

    /// cases.md C05: `sklearn.svm.classes.SVC` saved through `sklearn.externals.joblib`.
    @Test func aModelUnderTheLegacyModulePathIsServed() throws {
        let model = try Self.load("legacy.pkl")
        let recorded = try TestJSON.read(path: "\(Self.folder)/legacy.json")
        #expect(model.estimatorClass == "sklearn.svm.classes.SVC")
        #expect(model.sklearnVersion == "0.20.3")
        #expect(model.outputs == [.predict, .decisionFunction])
        let rows = ConformanceFixture.matrix(try #require(recorded["rows"]?.array))
        let labels = try model.compute(.predict, rows)
        #expect(ConformanceTests.same(labels, try #require(recorded["predict"]?.array)))
        let decision = try model.compute(.decisionFunction, rows)
        #expect(
            ConformanceTests.same(
                decision,
                try #require(recorded["decision_function"]?.array),
                exact: false
            )
        )
    }

    /// libsvm's one-class rule: a decision value of exactly 0 is an outlier (-1), where
    /// `IsolationForest`'s rule would say 1.
    @Test func aOneClassDecisionOfZeroIsAnOutlier() throws {
        let model = try Self.load("one_class_at_zero.pkl")
        let recorded = try TestJSON.read(path: "\(Self.folder)/one_class_at_zero.json")
        let rows = ConformanceFixture.matrix(try #require(recorded["rows"]?.array))
        for output in [ModelOutput.predict, .decisionFunction, .scoreSamples] {
            let expected = try #require(recorded[output.rawValue]?.array)
            #expect(ConformanceTests.same(try model.compute(output, rows), expected))
        }
        #expect(try model.compute(.predict, rows) == .labels(.integers([-1, 1, -1])))
    }

    @Test(arguments: [
        ("support_counts_disagree.pkl", "_n_support"),
        ("dual_coef_short.pkl", "_dual_coef_"),
        ("intercept_short.pkl", "_intercept_"),
        ("break_ties_ovo.pkl", "break_ties"),
        ("precomputed.pkl", "kernel"),
        ("callable_kernel.pkl", "kernel"),
        ("sparse_fitted.pkl", "_sparse"),
    ])
    func badOrUnsupportedStateIsRefusedAndNamed(file: String, attribute: String) {
        #expect {
            _ = try Self.load(file)
        } throws: { error in
            (error as? EstimatorError)?.attribute == attribute
        }
    }
}
