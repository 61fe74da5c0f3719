import Arrays
import Pickle
import TestSupport
import Testing

/// One numpy array that generate.py pickled with one protocol under one numpy.
struct PickledArray: Sendable, CustomTestStringConvertible {
    let generation: NumpyGeneration
    let name: String
    let protocolVersion: Int

    var fileName: String { "\(name).p\(protocolVersion).pkl" }
    var testDescription: String { "\(generation.rawValue)/\(fileName)" }

    static let names = [
        "fortran_int64", "fortran_float32_3d", "big_endian_f8", "big_endian_i4", "unicode_u5",
        "big_endian_unicode", "object_strings", "records", "big_endian_records", "booleans",
        "empty_f8", "uint8",
    ]

    static let all: [PickledArray] = NumpyGeneration.allCases.flatMap { generation in
        names.flatMap { name in
            [2, 4, 5].map {
                PickledArray(generation: generation, name: name, protocolVersion: $0)
            }
        }
    }
}

/// numpy arrays pickled by numpy itself (`_reconstruct` + BUILD, and `_frombuffer` for
/// protocol 5) decode to the values numpy recorded.
@Suite struct ArrayFixtureTests {
    @Test(arguments: PickledArray.all)
    func decodesWhatNumpyPickled(_ fixture: PickledArray) throws {
        let expected = try #require(try fixture.generation.expected()["arrays"]?[fixture.name])
        let value = try fixture.generation.load(fixture.fileName)
        let array = try #require(try ArrayDecoder.array(value))
        try expectArray(array, matches: expected, fixture.testDescription)
    }

    /// Protocol 5 sends plain-data arrays as an in-band `_frombuffer` buffer.
    @Test(arguments: NumpyGeneration.allCases)
    func readsFromBufferArraysOfProtocolFive(_ generation: NumpyGeneration) throws {
        let value = try generation.load("fortran_int64.p5.pkl")
        guard case .object(let object) = value else {
            Issue.record("loaded \(value.kindName)")
            return
        }
        let module = generation == .numpy1 ? "numpy.core" : "numpy._core"
        #expect(object.qualifiedName == "\(module).numeric._frombuffer")
        let array = try #require(try ArrayDecoder.array(value))
        #expect(array.shape == [2, 3])
        #expect(try array.integers() == [0, 1, 2, 3, 4, 5])
    }

    @Test(arguments: NumpyGeneration.allCases)
    func refusesDtypesItCannotRead(_ generation: NumpyGeneration) throws {
        let unsupported = try #require(try generation.expected()["unsupported"])
        for name in ["datetime64"] {
            let typeString = try #require(unsupported[name]?.string)
            let value = try generation.load("unsupported_\(name).p2.pkl")
            #expect {
                _ = try ArrayDecoder.array(value)
            } throws: { error in
                let arrayError = error as? ArrayError
                return arrayError?.code == .unsupported
                    && arrayError?.message.contains(String(typeString.prefix(2))) == true
            }
        }
    }

    @Test(arguments: NumpyGeneration.allCases, [2, 4, 5])
    func decodesNumpyScalars(_ generation: NumpyGeneration, protocol version: Int) throws {
        let expected = try #require(try generation.expected()["scalars"]?.array)
        let value = try generation.load("scalars.p\(version).pkl")
        guard case .list(let list) = value else {
            Issue.record("loaded \(value.kindName)")
            return
        }
        let module = generation == .numpy1 ? "numpy.core" : "numpy._core"
        for item in list.items {
            guard case .object(let object) = item else {
                Issue.record("scalar loaded as \(item.kindName)")
                continue
            }
            #expect(object.qualifiedName == "\(module).multiarray.scalar")
            let array = try #require(try ArrayDecoder.array(item))
            #expect(array.shape == [])
            #expect(array.count == 1)
        }
        let numbers = try list.items.map { try ArrayDecoder.number($0) }
        #expect(numbers == expected.map(\.double))
    }

    @Test func treatsPlainPythonNumbersAsNumbers() throws {
        #expect(try ArrayDecoder.number(.int(-3)) == -3)
        #expect(try ArrayDecoder.number(.float(0.5)) == 0.5)
        #expect(try ArrayDecoder.number(.bool(true)) == 1)
        #expect(try ArrayDecoder.number(.string("1")) == nil)
        #expect(try ArrayDecoder.array(.list(PickleList())) == nil)
    }
}
