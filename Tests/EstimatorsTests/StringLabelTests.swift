import Arrays
import Estimators
import TestSupport
import Testing

/// Labels that start with a NUL, hold quotes, backslashes and newlines, or are not ASCII,
/// in `<U4` and `>U4` arrays written by scikit-learn (Tests/Fixtures/labels).
@Suite struct StringLabelTests {
    static let folder = "\(Fixtures.root)/labels"
    static let files = ["nul_labels.joblib", "nul_labels_big_endian.pkl"]

    @Test(arguments: files)
    func labelsComeBackWhole(_ file: String) throws {
        let expected = try TestJSON.read(path: "\(Self.folder)/expected.json")
        let model = try EstimatorRegistry.model(
            from: try ModelFile.load(path: "\(Self.folder)/\(file)")
        )
        let classes = try #require(model.classes)
        #expect(classes.testJSON == expected["classes"]?.array)
        #expect(classes == .strings(["\u{0}x", "é\"\\\n", "日本"]))

        let rows = try #require(expected["rows"]?.array).map { row in
            try #require(row.array).map { try #require($0.double) }
        }
        guard case .labels(let predicted) = try model.compute(.predict, Matrix(rows)) else {
            Issue.record("\(file): predict gave no labels")
            return
        }
        #expect(predicted.testJSON == expected["predict"]?.array)
    }
}
