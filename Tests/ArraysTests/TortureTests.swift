import Arrays
import Pickle
import TestSupport
import Testing

/// A real file to damage: a recorded model, or one of the small numpy/joblib fixtures.
struct TortureInput: Sendable, CustomTestStringConvertible {
    let path: String
    let label: String
    var testDescription: String { label }

    static let all: [TortureInput] =
        ModelFixture.all.map { TortureInput(path: $0.modelPath, label: $0.description) }
        + NumpyGeneration.allCases.flatMap { generation in
            Fixtures.listDirectory(generation.folder)
                .filter { !$0.hasPrefix("compressed.") && ($0.hasSuffix(".pkl") || $0.hasSuffix(".joblib")) }
                .map {
                    TortureInput(
                        path: "\(generation.folder)/\($0)",
                        label: "\(generation.rawValue)/\($0)"
                    )
                }
        }

    /// Every offset of small files; evenly spaced offsets, plus the first and last bytes,
    /// of large ones, so the whole suite stays within seconds in a debug build.
    static func offsets(count: Int, budget: Int) -> [Int] {
        guard count > budget else { return Array(0..<count) }
        let spaced = (0..<budget).map { $0 * count / budget }
        return Array(Set(spaced + Array(0..<32) + Array((count - 32)..<count))).sorted()
    }
}

/// Damaged files fail with an error; nothing in the loader or the array decoder may trap.
@Suite struct TortureTests {
    @Test(arguments: TortureInput.all)
    func everyTruncationFails(_ input: TortureInput) throws {
        let data = try ModelFile.readFile(input.path)
        _ = try ModelFile.load(bytes: data)
        let budget = data.count < 2_048 ? data.count : 150
        var successes: [Int] = []
        for length in TortureInput.offsets(count: data.count, budget: budget) {
            if (try? ModelFile.load(bytes: Array(data[..<length]))) != nil {
                successes.append(length)
            }
        }
        #expect(successes.isEmpty, "\(input): truncated at \(successes) still loads")
    }

    @Test(arguments: TortureInput.all)
    func flippedBytesFailOrLoadButNeverCrash(_ input: TortureInput) throws {
        let data = try ModelFile.readFile(input.path)
        #expect(try load(data) > 0 || !input.label.hasSuffix(".joblib"))
        let budget = data.count < 1_024 ? data.count : 120
        var loadedAfterDamageToStop = false
        for offset in TortureInput.offsets(count: data.count, budget: budget) {
            for mask: UInt8 in [0xFF, 0x01, 0x80] {
                var damaged = data
                damaged[offset] ^= mask
                // Some flips land in float payloads and still load; none may trap.
                let loaded = (try? load(damaged)) != nil
                if offset == data.count - 1, loaded { loadedAfterDamageToStop = true }
            }
        }
        #expect(!loadedAfterDamageToStop, "\(input): a damaged final STOP still loads")
    }

    /// Loads the file and decodes every numpy array in it, so damage reaches the decoder.
    @discardableResult
    func load(_ data: [UInt8]) throws -> Int {
        var arrays = 0
        var seen = Set<ObjectIdentifier>()
        var pending = [try ModelFile.load(bytes: data)]
        while let value = pending.popLast() {
            switch value {
            case .native, .object:
                if case .object(let object) = value {
                    guard seen.insert(ObjectIdentifier(object)).inserted else { continue }
                    pending += object.arguments + object.listItems
                    pending += object.dictItems.map(\.value)
                    if let state = object.state { pending.append(state) }
                }
                if let array = try ArrayDecoder.array(value) {
                    arrays += 1
                    _ = try? array.doubles()
                    _ = try? array.strings()
                    for field in array.dtype.fields { _ = try? array.fieldDoubles(field.name) }
                }
            case .list(let list), .set(let list):
                guard seen.insert(ObjectIdentifier(list)).inserted else { continue }
                pending += list.items
            case .dict(let dict):
                guard seen.insert(ObjectIdentifier(dict)).inserted else { continue }
                pending += dict.entries.flatMap { [$0.key, $0.value] }
            case .tuple(let items): pending += items
            default: break
            }
        }
        return arrays
    }
}
