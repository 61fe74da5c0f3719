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
        + VersionFixture.all.filter { $0.compressor == nil }
        .map { TortureInput(path: $0.modelPath, label: $0.description) }
        + NumpyGeneration.allCases.flatMap { generation in
            Fixtures.listDirectory(generation.folder)
                .filter {
                    !$0.hasPrefix("compressed.")
                        && ($0.hasSuffix(".pkl") || $0.hasSuffix(".joblib"))
                }
                .map {
                    TortureInput(
                        path: "\(generation.folder)/\($0)",
                        label: "\(generation.rawValue)/\($0)"
                    )
                }
        }

    /// Files up to this size are damaged at every offset.
    static let everyOffsetUpTo = 4_096

    /// Offsets to damage: every offset of files up to ``everyOffsetUpTo`` bytes; of larger
    /// ones, as many evenly spaced offsets as keep about `byteBudget` bytes of parsing per
    /// file (at least `minimum`), plus `edge` offsets at each end. Every offset of every
    /// file would cost many minutes of parsing in a debug build. (Compressed files are
    /// truncated at every offset in CompressedJoblibTests.)
    static func offsets(count: Int, byteBudget: Int, minimum: Int, edge: Int) -> [Int] {
        let spacedCount = max(minimum, byteBudget / max(count, 1))
        guard count > everyOffsetUpTo, count > spacedCount + 2 * edge else {
            return Array(0..<count)
        }
        let spaced = (0..<spacedCount).map { $0 * count / spacedCount }
        return Array(Set(spaced + Array(0..<edge) + Array((count - edge)..<count))).sorted()
    }
}

/// Damaged files fail with an error; nothing in the loader or the array decoder may trap.
@Suite struct TortureTests {
    @Test(arguments: TortureInput.all)
    func everyTruncationFails(_ input: TortureInput) throws {
        let data = try ModelFile.readFile(input.path)
        _ = try ModelFile.load(bytes: data)
        var successes: [Int] = []
        let lengths = TortureInput.offsets(
            count: data.count,
            byteBudget: 300_000,
            minimum: 10,
            edge: 4
        )
        for length in lengths {
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
        var loadedAfterDamageToStop = false
        let offsets = TortureInput.offsets(
            count: data.count,
            byteBudget: 40_000,
            minimum: 8,
            edge: 2
        )
        for (index, offset) in offsets.enumerated() {
            // All bits, the lowest or the highest: a new opcode, an off-by-one length, a
            // length or sign turned huge.
            var damaged = data
            damaged[offset] ^= [0xFF, 0x01, 0x80][index % 3]
            // Some flips land in float payloads and still load; none may trap.
            let loaded = (try? load(damaged)) != nil
            // In a plain pickle the last byte is STOP; a compressed file ends in its
            // container's own bytes, some of which (bzip2's padding bits) change nothing.
            let endsInStop = ModelFile.format(of: data) == .pickle
            if offset == data.count - 1, loaded, endsInStop { loadedAfterDamageToStop = true }
        }
        #expect(!loadedAfterDamageToStop, "\(input): a damaged final STOP still loads")
    }

    /// Loads the file and decodes every numpy array in it, so damage reaches the decoder;
    /// returns how many arrays it decoded.
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
                // Decoder errors are fine here (unsupported dtypes); traps are not.
                if let array = try? ArrayDecoder.array(value) {
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
