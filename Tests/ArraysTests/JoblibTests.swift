import Arrays
import Pickle
import TestSupport
import Testing

/// One array written by `joblib.dump` in one of its layouts.
struct JoblibFile: Sendable, CustomTestStringConvertible {
    /// `""` (joblib ≥ 1.2 padding), `.nopad` (stream without tell()), `.legacy` (no
    /// alignment key at all, as joblib < 1.2 wrote).
    let generation: NumpyGeneration
    let name: String
    let variant: String

    var fileName: String { "\(name)\(variant).joblib" }
    var testDescription: String { "\(generation.rawValue)/\(fileName)" }

    static let all: [JoblibFile] = NumpyGeneration.allCases.flatMap { generation in
        ["f8_2x3", "f4_2x3", "f8_fortran", "object"].flatMap { name in
            ["", ".nopad"].map { JoblibFile(generation: generation, name: name, variant: $0) }
        } + [JoblibFile(generation: generation, name: "f8_2x3", variant: ".legacy")]
    }
}

@Suite struct JoblibTests {
    @Test(arguments: JoblibFile.all)
    func readsArraysWrittenByJoblib(_ file: JoblibFile) throws {
        let expected = try #require(try file.generation.expected()["joblib"]?[file.name])
        let value = try file.generation.load(file.fileName)
        guard case .native = value else {
            Issue.record("\(file) loaded as \(value.kindName), not a joblib array")
            return
        }
        let array = try #require(try ArrayDecoder.array(value))
        try expectArray(array, matches: expected, file.testDescription)
    }

    /// The padded and unpadded files differ exactly by the padding byte and pad bytes.
    @Test(arguments: NumpyGeneration.allCases)
    func writesPaddingOnlyWhenTheStreamCanTell(_ generation: NumpyGeneration) throws {
        let padded = try ModelFile.readFile("\(generation.folder)/f8_2x3.joblib")
        let unpadded = try ModelFile.readFile("\(generation.folder)/f8_2x3.nopad.joblib")
        #expect(padded.count > unpadded.count)
        #expect(padded.count - unpadded.count <= 17)
        let data = Array("numpy_array_alignment_bytes".utf8)
        #expect(contains(padded, data))
        let legacy = try ModelFile.readFile("\(generation.folder)/f8_2x3.legacy.joblib")
        #expect(!contains(legacy, data))
    }

    @Test(arguments: NumpyGeneration.allCases)
    func readsSeveralArraysEachWithItsOwnPadding(_ generation: NumpyGeneration) throws {
        let expected = try #require(try generation.expected()["joblib_list"]?.array)
        let value = try generation.load("list.joblib")
        guard case .list(let list) = value else {
            Issue.record("loaded \(value.kindName)")
            return
        }
        #expect(list.items.count == expected.count)
        for (index, (item, recorded)) in zip(list.items, expected).enumerated() {
            let array = try #require(try ArrayDecoder.array(item))
            try expectArray(array, matches: recorded, "item \(index)")
        }
    }

    @Test(arguments: NumpyGeneration.allCases)
    func failsWhenThePaddingRunsPastTheEnd(_ generation: NumpyGeneration) throws {
        let data = try ModelFile.readFile("\(generation.folder)/f8_2x3.joblib")
        // Six doubles and STOP end the file; before them the 0xFF pad bytes, their count,
        // and the BUILD that ends the wrapper.
        let dataStart = data.count - 49
        var padStart = dataStart
        while data[padStart - 1] == 0xFF { padStart -= 1 }
        let lengthByte = padStart - 1
        #expect(Int(data[lengthByte]) == dataStart - padStart)
        #expect(data[lengthByte - 1] == UInt8(ascii: "b"))
        var overlong = data
        overlong[lengthByte] = 0xFF
        #expect {
            _ = try ModelFile.load(bytes: overlong)
        } throws: { error in
            (error as? PickleError)?.code == .truncated
        }
        var shortened = data
        shortened.removeLast(9)  // one element and STOP
        #expect(throws: PickleError.self) { try ModelFile.load(bytes: shortened) }
    }

    /// A shape of -6 in place of `(2, 3)` (BININT -6 in the five bytes of two BININT1 and
    /// TUPLE2) fails naming the dimension, not the kind of value it is.
    @Test(arguments: NumpyGeneration.allCases)
    func negativeShapeIsNamed(_ generation: NumpyGeneration) throws {
        var data = try ModelFile.readFile("\(generation.folder)/f8_2x3.joblib")
        let shape: [UInt8] = [0x4B, 2, 0x4B, 3, 0x86]
        let start = try #require(
            data.indices.first { data[$0...].starts(with: shape) },
            "the file pickles the shape (2, 3) as BININT1 2, BININT1 3, TUPLE2"
        )
        data.replaceSubrange(start..<(start + 5), with: [0x4A, 0xFA, 0xFF, 0xFF, 0xFF])
        #expect {
            _ = try ModelFile.load(bytes: data)
        } throws: { error in
            (error as? PickleError)?.message
                == "joblib array: array shape holds a negative dimension (-6)"
        }
    }

    /// The real models were written by joblib 1.4.2 and 1.6.0; every one has arrays.
    @Test(arguments: ModelFixture.all.filter { $0.fileName.hasSuffix(".joblib") })
    func readsTheArraysOfRealJoblibModels(_ fixture: ModelFixture) throws {
        let value = try ModelFile.load(path: fixture.modelPath)
        var arrays = 0
        var seen = Set<ObjectIdentifier>()
        func visit(_ value: PickleValue) {
            switch value {
            case .native(let native): if native is NDArray { arrays += 1 }
            case .list(let list):
                guard seen.insert(ObjectIdentifier(list)).inserted else { return }
                list.items.forEach(visit)
            case .tuple(let items): items.forEach(visit)
            case .dict(let dict):
                guard seen.insert(ObjectIdentifier(dict)).inserted else { return }
                dict.entries.forEach { visit($0.value) }
            case .object(let object):
                guard seen.insert(ObjectIdentifier(object)).inserted else { return }
                object.arguments.forEach(visit)
                object.state.map(visit)
                object.listItems.forEach(visit)
            default: break
            }
        }
        visit(value)
        #expect(arrays > 0, "\(fixture)")
    }
}

private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count else { return false }
    return (0...(haystack.count - needle.count)).contains { start in
        haystack[start..<(start + needle.count)].elementsEqual(needle)
    }
}
