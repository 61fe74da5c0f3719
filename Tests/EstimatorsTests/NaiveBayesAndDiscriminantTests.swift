import Arrays
import Estimators
import TestSupport
import Testing

/// Naive Bayes and discriminant analysis models refused at load (written by
/// Tests/Fixtures/bayes-malformed/generate.py), and the rows CategoricalNB refuses, named.
@Suite struct NaiveBayesAndDiscriminantTests {
    static let folder = Fixtures.root + "/bayes-malformed"

    @Test(arguments: [
        ("gaussian_float32.pkl", EstimatorError.Code.unsupportedOption, "theta_"),
        ("qda_float32.pkl", .unsupportedOption, "scalings_"),
        ("gaussian_var_narrow.pkl", .invalidAttribute, "var_"),
        ("multinomial_prior_count_wrong.pkl", .invalidAttribute, "class_log_prior_"),
        ("categorical_class_rows_differ.pkl", .invalidAttribute, "feature_log_prob_"),
        ("lda_unknown_solver.pkl", .unsupportedOption, "solver"),
        ("lda_scalings_rows_wrong.pkl", .invalidAttribute, "scalings_"),
        ("qda_rotation_rows_wrong.pkl", .invalidAttribute, "rotations_"),
    ])
    func malformedOrUnsupportedModelsAreRefusedAtLoad(
        file: String,
        code: EstimatorError.Code,
        attribute: String
    ) {
        #expect {
            _ = try EstimatorRegistry.model(
                from: try ModelFile.load(path: "\(Self.folder)/\(file)")
            )
        } throws: { error in
            let failure = error as? EstimatorError
            return failure?.code == code && failure?.attribute == attribute
        }
    }

    /// The lsqr solver has no `transform`, so it cannot feed a pipeline's next step.
    @Test func anLsqrDiscriminantInTheMiddleOfAPipelineIsRefused() {
        #expect {
            _ = try EstimatorRegistry.model(
                from: try ModelFile.load(path: "\(Self.folder)/pipeline_lsqr_middle.pkl")
            )
        } throws: { error in
            let failure = error as? EstimatorError
            return failure?.code == .unsupportedOption
                && failure?.className?.hasSuffix("LinearDiscriminantAnalysis") == true
        }
    }

    /// Fitted with 3, 2 and 4 categories per feature (cases/bayes.py).
    static func categorical() throws -> Model {
        let path = ConformanceFixture.root + "/sklearn-1.9.1/bayes-categorical.joblib"
        return try EstimatorRegistry.model(from: try ModelFile.load(path: path))
    }

    @Test(arguments: [
        ([2.0, 1.0, 4.0], 2, "unknown"),
        ([-1.0, 0.0, 0.0], 0, "negative"),
        ([0.0, 0.0, 1e300], 2, "beyond int64"),
    ])
    func aCategoricalRowIsRefusedNamingRowAndColumn(
        bad: [Double],
        column: Int,
        reason: String
    ) throws {
        let model = try Self.categorical()
        let rows = Matrix([[0, 1, 3], bad])
        #expect {
            _ = try model.compute(.predictProba, rows)
        } throws: { error in
            let failure = error as? InputError
            return failure?.row == 1 && failure?.column == column
                && failure?.message.contains(reason) == true
        }
    }

    /// Behind an encoder, CategoricalNB's columns are not the request's: its refusal names
    /// its own input column in the message and no request column (cases/bayes.py: an
    /// `OrdinalEncoder` that encodes unknown categories as -1).
    @Test func aRefusalBehindAnEncoderNamesTheStepsOwnColumn() throws {
        let path =
            ConformanceFixture.root
            + "/sklearn-1.9.1/bayes-pipeline-ordinal-categorical-unknown-encoded.joblib"
        let model = try EstimatorRegistry.model(from: try ModelFile.load(path: path))
        var rows = Matrix(rows: 1, columns: 2, repeating: .nan)
        rows.text = [0: "red", 1: "XXL"]
        #expect {
            _ = try model.compute(.predict, rows)
        } throws: { error in
            let failure = error as? InputError
            return failure?.row == 0 && failure?.column == nil
                && failure?.message
                    == "CategoricalNB's input column 1: negative category index -1.0"
        }
    }

    /// numpy's cast to int64 truncates toward zero: 2.9 is category 2 and -0.5 category 0.
    @Test func categoryIndicesAreTruncatedAsNumpyCastsThem() throws {
        let model = try Self.categorical()
        let fractional = try model.compute(.predictProba, Matrix([[2.9, 0.99, -0.5]]))
        let whole = try model.compute(.predictProba, Matrix([[2, 0, 0]]))
        #expect(fractional == whole)
    }
}
