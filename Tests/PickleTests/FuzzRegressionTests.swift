import Pickle
import Testing

/// Inputs that `scripts/fuzz` found (Fuzz/README.md has the log), minimised, each refused
/// cleanly now.
@Suite struct FuzzRegressionTests {
    /// 2026-12-04, FuzzPickle, LeakSanitizer: `d = {}; d[d] = d` (EMPTY_DICT BINPUT 2 MARK
    /// BINGET 2 BINGET 2 SETITEMS STOP) loaded into a graph that holds itself, which
    /// reference counting never frees. Cycles are refused at load now.
    @Test func aDictThatHoldsItselfIsRefused() {
        #expect {
            _ = try PickleMachine().load(fuzzBytes(hex: "7d71022868026802752e"))
        } throws: { error in
            guard let failure = error as? PickleError else { return false }
            return failure.code == .unsupported && failure.message.contains("cycle")
        }
    }

    /// An object whose state refers back to the object (BUILD with a state that holds it),
    /// the shape a pipeline that is its own step takes.
    @Test func anObjectWhoseStateHoldsItIsRefused() {
        // GLOBAL 'm C' EMPTY_TUPLE NEWOBJ MEMOIZE EMPTY_DICT 'x' BINGET 0 SETITEM BUILD STOP
        #expect {
            _ = try PickleMachine().load(fuzzBytes(hex: "8004636d0a430a2981947d8c0178680073622e"))
        } throws: { ($0 as? PickleError)?.code == .unsupported }
    }

    /// Follows from the leak above: what the pickle made but dropped (popped, or held only
    /// by the memo) is checked like the root, for cycles and for depth, since releasing a
    /// deep chain recurses as deeply. Here 100,000 nested lists are built, popped, and
    /// None is returned.
    @Test func aDeepChainThePickleDropsIsRefused() {
        var bytes: [UInt8] = [0x80, 0x04, 0x5D, 0x94]
        for level in 0..<100_000 {
            // LONG_BINGET level, EMPTY_LIST MEMOIZE APPEND POP
            bytes += [0x6A] + withUnsafeBytes(of: UInt32(level).littleEndian, Array.init)
            bytes += [0x5D, 0x94, 0x61, 0x30]
        }
        bytes += [0x30, 0x4E, 0x2E]  // POP NONE STOP
        #expect {
            _ = try PickleMachine().load(bytes)
        } throws: { ($0 as? PickleError)?.code == .limitExceeded }
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
