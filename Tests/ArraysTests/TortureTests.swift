import Arrays
import Pickle
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file to damage: every pickle and joblib file under `Tests/Fixtures`, compressed ones and
/// the hostile ones included.
struct TortureInput: Sendable, CustomTestStringConvertible {
    /// Relative to `Tests/Fixtures`.
    let relativePath: String
    let size: Int
    var path: String { "\(Fixtures.root)/\(relativePath)" }
    var testDescription: String { relativePath }

    /// Files the loader refuses whole (made to attack `pickle.load`, holding a reference
    /// cycle, or naming a function of the script that saved them), so every part of them
    /// must fail too.
    var isRefused: Bool {
        relativePath.hasPrefix("malicious/") || relativePath.hasPrefix("pickles/plain/system.")
            || Self.cyclic.contains(relativePath) || Self.scriptGlobals.contains(relativePath)
    }

    /// Models that hold a function defined in the script that pickled them (`__main__`),
    /// which the pickle reader refuses by name.
    static let scriptGlobals: Set<String> = ["text/main-tokenizer.joblib"]

    /// Pipelines that contain themselves: the loader refuses a reference cycle.
    static let cyclic: Set<String> = [
        "inconsistent/pipeline_containing_itself.pkl", "unsupported/cyclic_pipeline.pkl",
    ]

    /// Largest first, so that the big files do not start last and leave one core idle.
    static let all: [TortureInput] = Fixtures.modelFiles.map { relativePath in
        var info = stat()
        let size = stat("\(Fixtures.root)/\(relativePath)", &info) == 0 ? Int(info.st_size) : 0
        return TortureInput(relativePath: relativePath, size: size)
    }
    .sorted { ($0.size, $1.relativePath) > ($1.size, $0.relativePath) }

    /// `AUGUR_TORTURE_EVERY_OFFSET=1` (as `scripts/torture` sets it): cut every file at
    /// every offset. That costs the square of each file's size, minutes even in a release
    /// build, so the normal run samples the offsets instead.
    static let everyOffset: Bool = {
        guard let value = getenv("AUGUR_TORTURE_EVERY_OFFSET") else { return false }
        return String(cString: value) == "1"
    }()

    /// Offsets to damage in a file of `count` bytes whose pickle stream (decompressed, if it
    /// is compressed) has `streamSize` bytes: as many evenly spaced offsets as keep about
    /// `byteBudget` bytes of loading per file (at least `minimum`), plus `edge` offsets at
    /// each end; every offset when that is about as many.
    static func offsets(
        count: Int,
        streamSize: Int,
        byteBudget: Int,
        minimum: Int,
        edge: Int
    ) -> [Int] {
        let spacedCount = max(minimum, byteBudget / max(streamSize, 1))
        guard count > spacedCount + 2 * edge else { return Array(0..<count) }
        let spaced = (0..<spacedCount).map { $0 * count / spacedCount }
        return Array(Set(spaced + Array(0..<edge) + Array((count - edge)..<count))).sorted()
    }

    /// The size of the pickle stream in `data`, which is what loading it costs.
    static func streamSize(_ data: [UInt8]) -> Int {
        (try? ModelFile.pickleStream(data).count) ?? data.count
    }
}

/// Damaged files fail with an error; nothing in the loader or the array decoder may trap.
@Suite struct TortureTests {
    /// Every proper prefix of a file must throw: a prefix that loads would mean the reader
    /// accepts a file cut short, and a trap or a hang fails the whole run.
    @Test(arguments: TortureInput.all)
    func everyTruncationFails(_ input: TortureInput) throws {
        let data = try ModelFile.readFile(input.path)
        if input.isRefused {
            #expect(throws: (any Error).self) { try ModelFile.load(bytes: data) }
        } else {
            _ = try ModelFile.load(bytes: data)
        }
        // A cut at a random offset loads half the stream on average.
        let lengths =
            TortureInput.everyOffset
            ? Array(0..<data.count)
            : TortureInput.offsets(
                count: data.count,
                streamSize: TortureInput.streamSize(data) / 2,
                byteBudget: 150_000,
                minimum: 10,
                edge: 4
            )
        let started = ContinuousClock.now
        var successes: [Int] = []
        for length in lengths {
            if (try? ModelFile.load(bytes: Array(data[..<length]))) != nil {
                successes.append(length)
            }
        }
        #expect(successes.isEmpty, "\(input): truncated at \(successes) still loads")
        if TortureInput.everyOffset {
            // One line per file for scripts/torture to add up.
            let elapsed = ContinuousClock.now - started
            let milliseconds =
                elapsed.components.seconds * 1_000
                + elapsed.components.attoseconds / 1_000_000_000_000_000
            print("torture: \(input.relativePath) \(lengths.count) offsets \(milliseconds) ms")
        }
    }

    @Test(arguments: TortureInput.all)
    func flippedBytesFailOrLoadButNeverCrash(_ input: TortureInput) throws {
        let data = try ModelFile.readFile(input.path)
        if input.isRefused {
            #expect(throws: (any Error).self) { try load(data) }
        } else {
            try load(data)
        }
        var loadedAfterDamageToStop = false
        let offsets = TortureInput.offsets(
            count: data.count,
            streamSize: TortureInput.streamSize(data),
            byteBudget: 250_000,
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
