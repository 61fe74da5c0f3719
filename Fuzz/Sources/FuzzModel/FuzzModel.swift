// libFuzzer entry point (b): the whole loading path a served model goes through. The bytes
// are a model file (any container ModelFile detects); a model that loads is asked for one
// prediction on a row of zeros, and for probabilities when it is a classifier. Every input
// must end in a result or an error thrown by a layer: a crash, a hang or unbounded memory
// is a finding.
import Arrays
import Estimators
import Pickle

/// Rows wider than this are not predicted: the server only ever builds rows from a request
/// body, so a claimed width that large is harmless at serve time and would only measure the
/// harness's own allocation.
private let maxPredictedWidth = 1 << 20

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModel(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let model: Model
    do {
        let root = try ModelFile.load(bytes: bytes)
        model = try EstimatorRegistry.model(from: root)
    } catch {
        return 0
    }
    guard (0...maxPredictedWidth).contains(model.inputWidth) else { return 0 }
    let row = Matrix(rows: 1, columns: model.inputWidth)
    // Every output the model offers: a row it refuses is an answer too (an InputError).
    for output in model.outputs {
        guard let result = try? model.compute(output, row) else { continue }
        precondition(rowCount(of: result) == 1, "\(output.rawValue): one answer per row")
    }
    return 0
}

/// How many request rows a result answers.
private func rowCount(of result: ModelResult) -> Int {
    switch result {
    case .labels(let labels): labels.count
    case .numbers(let values): values.count
    case .matrix(let matrix): matrix.rows
    case .labelColumns(let columns): columns.first?.count ?? 0
    case .matrices(let matrices): matrices.first?.rows ?? 0
    }
}
