import Arrays
import Estimators
import TestSupport
import Testing

/// Text models refused at load, each naming what cannot be served
/// (Tests/Fixtures/text, written by its generate.py).
@Suite struct TextLoadTests {
    static let folder = "\(Fixtures.root)/text"

    static func refusal(_ file: String) -> String? {
        do {
            _ = try EstimatorRegistry.model(from: try ModelFile.load(path: "\(folder)/\(file)"))
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        ("tokenizer-function.joblib", "shlex.split"),
        ("analyzer-function.joblib", "shlex.split"),
        ("preprocessor-function.joblib", "html.unescape"),
        ("main-tokenizer.joblib", "__main__"),
        ("strip-accents-function.joblib", "html.unescape"),
        ("token-pattern-class.joblib", #"\b[a-z]{2,}\b"#),
        ("hashing-wide-tree.joblib", "1048576 columns"),
        ("column-list.joblib", "list of columns"),
        ("column-hashing-wide.joblib", "1048576 columns"),
        ("union-hashing-wide.joblib", "1048576 columns"),
    ])
    func refusedNamingTheReason(_ file: String, _ named: String) {
        let message = Self.refusal(file)
        #expect(message?.contains(named) == true, "\(file): \(message ?? "loaded")")
    }
}
