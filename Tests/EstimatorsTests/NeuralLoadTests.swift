import Arrays
import Estimators
import TestSupport
import Testing

/// Fitted options of the neural, calibration and decomposition classes that Augur does not
/// serve are refused at load, naming the option (files from Fixtures/neural-refused).
@Suite struct NeuralLoadTests {
    static let root = Fixtures.root + "/neural-refused/"

    @Test(arguments: [
        ("mlp_multilabel_identity_output.joblib", "out_activation_"),
        ("nmf_shuffle.joblib", "shuffle"),
        ("isotonic_float32.joblib", "X_thresholds_"),
    ])
    func refusesNamingTheOption(_ file: String, _ attribute: String) throws {
        let value = try ModelFile.load(path: Self.root + file)
        #expect {
            try EstimatorRegistry.model(from: value)
        } throws: { error in
            let failure = error as? EstimatorError
            return failure?.code == .unsupportedOption && failure?.attribute == attribute
        }
    }
}
