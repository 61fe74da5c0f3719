// libFuzzer entry point (a): the pickle machine alone, without joblib's array interpreter.
// Every input must end in a value graph or a PickleError: a crash, a hang (-timeout) or
// memory past -rss_limit_mb is a finding.
import Pickle

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPickle(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        _ = try PickleMachine().load(bytes)
    } catch {
        // A clean refusal is a correct outcome.
    }
    return 0
}
