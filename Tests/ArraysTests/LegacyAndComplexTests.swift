import Arrays
import Pickle
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Complex arrays (Tests/Fixtures/legacy/generate.py) and the two joblib formats from
/// before 0.10, which are refused with a message that says how to re-save.
@Suite struct LegacyAndComplexTests {
    static let folder = Fixtures.root + "/legacy"

    @Test(arguments: ["complex128", "complex64_big_endian"], [2, 5])
    func complexArraysEqualNumpys(name: String, protocol version: Int) throws {
        let expected = try #require(try TestJSON.read(path: "\(Self.folder)/expected.json")[name])
        let value = try ModelFile.load(path: "\(Self.folder)/\(name).p\(version).pkl")
        let array = try #require(try ArrayDecoder.array(value))
        #expect(array.shape == expected["shape"]?.array?.compactMap(\.double).map { Int($0) })
        let parts = try array.complexParts()
        let real = try #require(expected["real"]?.array).compactMap(\.string).map {
            strtod($0, nil)
        }
        let imaginary = try #require(expected["imaginary"]?.array).compactMap(\.string)
            .map { strtod($0, nil) }
        #expect(parts.map(\.real) == real)
        #expect(parts.map(\.imaginary) == imaginary)
        #expect(throws: ArrayError.self) { _ = try array.doubles() }
    }

    @Test func theOldZFContainerIsRefusedWithHowToResave() {
        // joblib < 0.10: "ZF", the length in hex padded to 18 bytes, then zlib data.
        let bytes = Array("ZF0x1e            ".utf8) + [0x78, 0x9C, 0x03, 0x00]
        #expect(ModelFile.format(of: bytes) == .oldJoblibZF)
        #expect {
            _ = try ModelFile.load(bytes: bytes)
        } throws: { error in
            (error as? ArrayError)?.message.contains("joblib.dump") == true
        }
    }

    @Test func anArrayInASideFileIsRefusedNamingTheFile() {
        // PROTO 2; GLOBAL joblib.numpy_pickle NDArrayWrapper; EMPTY_TUPLE NEWOBJ;
        // EMPTY_DICT "filename" "model.pkl_01.npy" SETITEM; BUILD; STOP.
        var bytes: [UInt8] = [0x80, 0x02] + Array("cjoblib.numpy_pickle\nNDArrayWrapper\n".utf8)
        bytes += [0x29, 0x81, 0x7D]
        for text in ["filename", "model.pkl_01.npy"] {
            bytes += [0x58] + withUnsafeBytes(of: UInt32(text.utf8.count).littleEndian, Array.init)
            bytes += Array(text.utf8)
        }
        bytes += [0x73, 0x62, 0x2E]
        #expect {
            _ = try ModelFile.load(bytes: bytes)
        } throws: { error in
            guard let failure = error as? PickleError else { return false }
            return failure.code == .unsupported && failure.message.contains("'model.pkl_01.npy'")
                && failure.message.contains("joblib.dump")
        }
    }
}
