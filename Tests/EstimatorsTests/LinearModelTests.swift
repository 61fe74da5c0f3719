import Arrays
import Estimators
import TestSupport
import Testing

/// Linear models whose weights do not fit their classes or options (written by
/// Tests/Fixtures/linear-malformed/generate.py) are refused at load, naming the attribute,
/// so that `predict` never meets a shape it cannot use.
@Suite struct LinearModelTests {
    static let folder = Fixtures.root + "/linear-malformed"

    @Test(arguments: [
        ("logistic_coef_rows_short.pkl", EstimatorError.Code.invalidAttribute, "coef_"),
        ("logistic_intercept_count_wrong.pkl", .invalidAttribute, "intercept_"),
        ("regression_coef_three_dimensional.pkl", .invalidAttribute, "coef_"),
        ("tweedie_unknown_link.pkl", .unsupportedOption, "link"),
        ("ridge_classifier_multilabel_coef_rows_short.pkl", .invalidAttribute, "coef_"),
    ])
    func malformedWeightsAreRefusedAtLoad(
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
}
