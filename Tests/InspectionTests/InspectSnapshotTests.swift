import Foundation
import Inspection
import TestSupport
import Testing

/// `augur inspect`'s output, text and JSON, compared byte for byte with the files in
/// `Tests/Fixtures/snapshots/inspect/`. Run with `AUGUR_RECORD_SNAPSHOTS=1` to rewrite them
/// after a deliberate change, then review the diff.
@Suite struct InspectSnapshotTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        /// Relative to `Tests/Fixtures`.
        let file: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "supported-joblib",
            file: "versions/sklearn-1.9.1/logistic_regression_named_features/model.joblib"
        ),
        Case(name: "pipeline", file: "versions/sklearn-1.9.1/pipeline_scaler_logreg/model.joblib"),
        Case(name: "forest", file: "versions/sklearn-1.9.1/random_forest_classifier/model.p5.pkl"),
        // Its scorer holds the search's unfitted template, shown as where it was found.
        Case(name: "grid-search", file: "conformance/sklearn-1.9.1/compose-grid-search.joblib"),
        Case(
            name: "compressed",
            file: "versions/sklearn-1.5.2/logistic_regression_string_labels/model.gzip.joblib"
        ),
        Case(
            name: "numpy1-protocol2",
            file: "versions/sklearn-1.1.3/decision_tree_regressor/model.p2.pkl"
        ),
        Case(
            name: "multilabel",
            file: "conformance/sklearn-1.9.1/neural-mlp-classifier-multilabel-relu.joblib"
        ),
        Case(
            name: "target-encoder",
            file: "label-binarizers/sklearn-1.9.1/multilabel_binarizer_ordered.joblib"
        ),
        Case(name: "unsupported", file: "unsupported/semi_supervised_voting.joblib"),
        Case(name: "unfitted", file: "unsupported/unfitted_logistic_regression.pkl"),
        Case(name: "protocol0-dict", file: "pickles/plain/dict.p0.pkl"),
        Case(name: "malicious", file: "malicious/os_system_p2.pkl"),
        Case(name: "not-a-pickle", file: "versions/sklearn-1.9.1/linear_regression/input.json"),
    ]

    static let folder = Fixtures.root + "/snapshots/inspect"
    static let recording = ProcessInfo.processInfo.environment["AUGUR_RECORD_SNAPSHOTS"] == "1"

    static func inspect(_ testCase: Case) -> Inspection {
        Inspector.inspect(
            path: Fixtures.root + "/" + testCase.file,
            displayPath: "Tests/Fixtures/" + testCase.file
        )
    }

    static func compare(_ actual: String, snapshot name: String) throws {
        let path = folder + "/" + name
        if recording {
            try FileManager.default.createDirectory(
                atPath: folder,
                withIntermediateDirectories: true
            )
            try Data(actual.utf8).write(to: URL(fileURLWithPath: path))
            return
        }
        let expected = try #require(
            FileManager.default.contents(atPath: path),
            "no snapshot \(path); record it with AUGUR_RECORD_SNAPSHOTS=1"
        )
        #expect(
            Array(actual.utf8) == Array(expected),
            "\(name) differs from its snapshot; got:\n\(actual)"
        )
    }

    @Test(arguments: cases)
    func textMatchesItsSnapshotByteForByte(_ testCase: Case) throws {
        try Self.compare(Self.inspect(testCase).text, snapshot: testCase.name + ".txt")
    }

    @Test(arguments: cases)
    func jsonMatchesItsSnapshotByteForByte(_ testCase: Case) throws {
        try Self.compare(Self.inspect(testCase).json, snapshot: testCase.name + ".json")
    }

    @Test func everyCaseHasBothSnapshotsAndNoSnapshotIsLeftOver() throws {
        // While recording, the other tests are still writing the files.
        guard !Self.recording else { return }
        let expected = Set(Self.cases.flatMap { [$0.name + ".txt", $0.name + ".json"] })
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: Self.folder))
        #expect(present == expected)
    }
}
