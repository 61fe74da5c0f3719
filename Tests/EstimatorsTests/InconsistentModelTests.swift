import Arrays
import Estimators
import Pickle
import TestSupport
import Testing

/// Fitted models with one attribute doctored (Tests/Fixtures/inconsistent/generate.py) are
/// refused at load, naming what disagrees, so that no request can reach a bad index.
@Suite struct InconsistentModelTests {
    static let folder = Fixtures.root + "/inconsistent"

    static func load(_ file: String) throws -> Model {
        try EstimatorRegistry.model(from: try ModelFile.load(path: "\(folder)/\(file)"))
    }

    @Test(arguments: [
        ("forest_tree_wider_than_forest.pkl", "estimators_"),
        ("tree_wider_than_estimator.pkl", "n_features_in_"),
        ("tree_child_beyond_32_bits.pkl", "tree_"),
        ("declared_width_differs.pkl", "n_features_in_"),
        ("coef_wider_than_declared.pkl", "n_features_in_"),
        ("repeated_classes.pkl", "classes_"),
        ("nan_class.pkl", "classes_"),
    ])
    func doctoredAttributesAreRefusedAndNamed(file: String, attribute: String) {
        #expect {
            _ = try Self.load(file)
        } throws: { error in
            (error as? EstimatorError)?.attribute == attribute
        }
    }

    @Test func aMultiOutputForestIsServedWithLabelsPerOutput() throws {
        let model = try Self.load("multi_output_forest.pkl")
        #expect(model.outputs == [.predict, .predictProba])
        #expect((model.classesPerOutput?.count ?? 0) > 1)
    }

    @Test func aPipelineWithoutAPredictorServesTransform() throws {
        let model = try Self.load("pipeline_without_predictor.pkl")
        #expect(model.outputs == [.transform])
    }

    /// The pickle machine refuses the reference cycle before the registry could recurse.
    @Test func aPipelineThatContainsItselfIsRefusedWithoutRecursingForever() {
        #expect {
            _ = try Self.load("pipeline_containing_itself.pkl")
        } throws: { error in
            (error as? PickleError)?.message.contains("reference cycle") == true
        }
    }

    /// Labels beyond Int64's range keep their unsigned value.
    @Test func uint64LabelsKeepTheirValue() throws {
        let model = try Self.load("uint64_classes.pkl")
        let recorded = try TestJSON.read(path: "\(Self.folder)/uint64_classes.json")
        guard case .classifier(let classifier) = model.estimator else {
            Issue.record("not a classifier")
            return
        }
        #expect(classifier.classes == .unsignedIntegers([5, UInt64.max]))
        let rows = Matrix(try #require(recorded["rows"]?.matrix))
        let predicted = classifier.classes.take(try classifier.predictClassIndices(rows))
        let texts = try #require(recorded["predict"]?.array).map { value -> String in
            if case .number(_, let text) = value { text } else { "?" }
        }
        guard case .unsignedIntegers(let labels) = predicted else {
            Issue.record("labels changed type")
            return
        }
        #expect(labels.map(String.init) == texts)
    }
}
