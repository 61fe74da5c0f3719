import Arrays
import Estimators
import Pickle
import Testing

/// Model files that `scripts/fuzz` (target FuzzModel) found or that follow from its
/// findings, minimised; each must be refused by the loading path a served model takes.
@Suite struct FuzzModelRegressionTests {
    /// Loads the bytes as the server does: container, pickle with joblib's arrays, model.
    private static func loadModel(_ bytes: [UInt8]) throws -> Model {
        try EstimatorRegistry.model(from: try ModelFile.load(bytes: bytes))
    }

    /// 2026-12-04, FuzzModel, LeakSanitizer: a REDUCE whose arguments hold the dict the
    /// result is then stored in, a cycle that leaked at every load.
    @Test func anObjectStoredInsideItsOwnArgumentsIsRefused() {
        let found = """
            80008c15736b3f446f750000000065652e5f636c6173736573948c154465635365746f6e320100
            01010001006573736f729493949494288c007265645f6572726f65729494949494949494726561
            736594949494947265735f747265655f6594726565949394949494949494947d94286809949468
            1c681f4b8594682187945294284b8594949494284b03947d74746275312e
            """
        #expect {
            _ = try Self.loadModel(fuzzBytes(hex: found))
        } throws: { ($0 as? PickleError)?.code == .unsupported }
    }

    /// Follows from the leaks above: a Pipeline whose only step is the pipeline itself
    /// (`p.steps = [("a", p)]`) made EstimatorRegistry recurse until the stack overflowed.
    @Test func aPipelineThatIsItsOwnStepIsRefused() {
        let pipeline = """
            800263736b6c6561726e2e706970656c696e650a506970656c696e650a7100298171017d710258
            05000000737465707371035d710458010000006168018671056173622e
            """
        #expect {
            _ = try Self.loadModel(fuzzBytes(hex: pipeline))
        } throws: { ($0 as? PickleError)?.code == .unsupported }
    }
}

/// The bytes a string of hex digits spells; whitespace is ignored.
private func fuzzBytes(hex digits: String) -> [UInt8] {
    let clean = Array(digits.unicodeScalars.filter { !$0.properties.isWhitespace })
    precondition(clean.count % 2 == 0, "an odd number of hex digits")
    return stride(from: 0, to: clean.count, by: 2).map { index in
        UInt8(String(String.UnicodeScalarView(clean[index..<(index + 2)])), radix: 16)!
    }
}
