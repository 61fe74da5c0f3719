import Arrays
import Estimators
import TestSupport
import Testing

/// A file whose top object is a `LabelEncoder`, `LabelBinarizer` or `MultiLabelBinarizer`
/// (saved beside a model; Fixtures/label-binarizers, written by each scikit-learn) is
/// refused at load as no model, and the message lists its `classes_` in column order.
@Suite struct TargetEncoderTests {
    struct Case: Sendable, CustomStringConvertible {
        let environment: String
        let file: String
        var description: String { "\(environment)/\(file)" }
    }

    static let folder = Fixtures.root + "/label-binarizers"
    static let environments = ["sklearn-1.1.3", "sklearn-1.3.2", "sklearn-1.5.2", "sklearn-1.9.1"]

    static let cases: [Case] = environments.flatMap { environment in
        [
            "label_encoder_strings.joblib", "label_encoder_integers.joblib",
            "label_binarizer_binary.joblib", "label_binarizer_multiclass.joblib",
            "label_binarizer_multilabel.joblib", "multilabel_binarizer_strings.joblib",
            "multilabel_binarizer_ordered.joblib", "multilabel_binarizer_integers.joblib",
        ].map { Case(environment: environment, file: $0) }
    }

    static func expected(_ testCase: Case) throws -> (className: String, classes: [TestJSON]) {
        let document = try TestJSON.read(
            path: "\(folder)/\(testCase.environment)/expected.json"
        )
        let entry = try #require(document["files"]?[testCase.file])
        return (
            try #require(entry["class"]?.string), try #require(entry["classes"]?.array)
        )
    }

    /// The labels as the message lists them: strings quoted, numbers as written.
    static func listed(_ classes: [TestJSON]) -> String {
        let texts = classes.map { label in
            switch label {
            case .string(let text): "\"\(text)\""
            case .number(_, let text): text
            default: "\(label)"
            }
        }
        return "[" + texts.joined(separator: ", ") + "]"
    }

    @Test(arguments: cases)
    func refusedAtLoadListingItsClasses(_ testCase: Case) throws {
        let (className, classes) = try Self.expected(testCase)
        let value = try ModelFile.load(path: "\(Self.folder)/\(testCase)")
        #expect {
            try EstimatorRegistry.model(from: value)
        } throws: { error in
            guard let failure = error as? EstimatorError else { return false }
            let name = String(className.split(separator: ".").last ?? "")
            return failure.code == .notAnEstimator && failure.className == className
                && failure.message.contains("is a \(name), which encodes a model's ")
                && failure.message.hasSuffix(": " + Self.listed(classes))
        }
    }

    @Test func everyEnvironmentWroteEveryFile() throws {
        for testCase in Self.cases {
            let (_, classes) = try Self.expected(testCase)
            #expect(!classes.isEmpty, "\(testCase)")
        }
    }

    /// `MultiLabelBinarizer(classes=...)` keeps the order it was given, not sorted: the
    /// message must keep it, since it is the column order of the indicator matrix.
    @Test(arguments: environments)
    func givenClassOrderIsKept(_ environment: String) throws {
        let path = "\(Self.folder)/\(environment)/multilabel_binarizer_ordered.joblib"
        #expect {
            try EstimatorRegistry.model(from: try ModelFile.load(path: path))
        } throws: { error in
            (error as? EstimatorError)?.message.hasSuffix(#"["weather", "news", "sport"]"#)
                == true
        }
    }
}
