import Arrays
import Pickle
import TestSupport
import Testing

/// A protocol 2 pickle of `_reconstruct(ndarray, (0,), b'b')` with the state numpy gives
/// it, so dtype and layout can be varied beyond what numpy itself would write.
func arrayPickle(
    typeString: String,
    byteOrder: String = "<",
    elementSize: Int32 = -1,
    fields: String = "NN",
    shape: [UInt8],
    fortran: Bool = false,
    data: [UInt8]
) -> [UInt8] {
    var pickle = bytes("<80><02>cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\n")
    pickle += bytes("K<00><85>C<01>b<87>R")
    pickle += bytes("(K<01>(") + shape.flatMap { [UInt8(ascii: "K"), $0] } + bytes("t")
    pickle += bytes("cnumpy\ndtype\nX") + littleEndian([Int32(typeString.utf8.count)])
    pickle += Array(typeString.utf8) + bytes("<89><88><87>R")
    pickle += bytes("(K<03>X<01><00><00><00>") + Array(byteOrder.utf8) + bytes("N") + bytes(fields)
    pickle += bytes("J") + littleEndian([elementSize]) + bytes("J<ff><ff><ff><ff>K<00>tb")
    pickle += bytes(fortran ? "<88>" : "<89>")
    pickle += bytes("B") + littleEndian([Int32(data.count)]) + data + bytes("tb.")
    return pickle
}

func decode(_ pickle: [UInt8]) throws -> NDArray? {
    try ArrayDecoder.array(try PickleMachine().load(pickle))
}

@Suite struct DTypeTests {
    @Test func readsAHandMadeArrayPickle() throws {
        let array = try #require(
            try decode(
                arrayPickle(
                    typeString: "i8",
                    shape: [2, 3],
                    fortran: true,
                    data: littleEndian([0, 3, 1, 4, 2, 5] as [Int64])
                )
            )
        )
        #expect(try array.integers() == [0, 1, 2, 3, 4, 5])
        #expect(array.dtype == .int64)
    }

    @Test func readsBigEndianUnicode() throws {
        let codes: [UInt32] = [0x61, 0x62, 0xFC, 0]
        let array = try #require(
            try decode(
                arrayPickle(
                    typeString: "U2",
                    byteOrder: ">",
                    elementSize: 8,
                    shape: [2],
                    data: codes.flatMap { littleEndian([$0.byteSwapped]) }
                )
            )
        )
        #expect(try array.strings() == ["ab", "ü"])
    }

    @Test(arguments: ["c4", "c32", "M8", "m8", "x4", "f", "f16", "i3", "u16"])
    func refusesTypeStringsItCannotRead(typeString: String) {
        #expect {
            _ = try decode(arrayPickle(typeString: typeString, shape: [0], data: []))
        } throws: { error in
            let arrayError = error as? ArrayError
            return arrayError?.code == .unsupported || arrayError?.code == .malformed
        }
    }

    /// Sizes numpy never writes but a damaged or hostile file can claim: each must fail
    /// cleanly (or decode), never trap.
    @Test(arguments: [
        ("U1", ">", Int32(5), [UInt8](repeating: 0x41, count: 10), [UInt8(2)]),
        ("U1", "<", Int32(6), [UInt8](repeating: 0x41, count: 12), [UInt8(2)]),
        ("U-1", "<", Int32(-1), [], [UInt8(0)]),
        ("f-8", "<", Int32(-1), [], [UInt8(0)]),
        ("V-2", "|", Int32(-1), [], [UInt8(0)]),
        ("S-3", "|", Int32(-1), [], [UInt8(0)]),
        ("i8", "<", Int32(3), [UInt8](repeating: 0, count: 6), [UInt8(2)]),
        ("f8", ">", Int32(3), [UInt8](repeating: 0, count: 6), [UInt8(2)]),
    ])
    func survivesImpossibleElementSizes(
        typeString: String,
        byteOrder: String,
        elementSize: Int32,
        data: [UInt8],
        shape: [UInt8]
    ) {
        let pickle = arrayPickle(
            typeString: typeString,
            byteOrder: byteOrder,
            elementSize: elementSize,
            shape: shape,
            data: data
        )
        guard let array = try? decode(pickle) else { return }
        // If it decodes, every accessor must still be safe to call.
        _ = try? array.doubles()
        _ = try? array.strings()
        _ = try? array.integers()
        #expect(array.dtype.itemSize >= 0)
    }

    /// numpy pickles `np.zeros((2, 3), dtype='V0')` in Fortran order like this.
    @Test func readsZeroSizedRecordsInFortranOrder() throws {
        let array = try #require(
            try decode(
                arrayPickle(
                    typeString: "V0",
                    byteOrder: "|",
                    shape: [2, 3],
                    fortran: true,
                    data: []
                )
            )
        )
        #expect(array.shape == [2, 3])
        #expect(array.dtype.itemSize == 0)
    }

    @Test func refusesFieldsThatRunPastTheRecord() {
        // A 4-byte record whose only field is an 8-byte float at offset 0.
        let fields =
            "(X<01><00><00><00>at}X<01><00><00><00>a"
            + "cnumpy\ndtype\nX<02><00><00><00>f8<89><88><87>RK<00><86>s"
        #expect(throws: ArrayError.self) {
            try decode(
                arrayPickle(
                    typeString: "V4",
                    byteOrder: "|",
                    elementSize: 4,
                    fields: fields,
                    shape: [1],
                    data: [0, 0, 0, 0]
                )
            )
        }
    }

    @Test func readsFieldsOfRecords() throws {
        // A 12-byte record: an int32 at 0 and a float64 at 4.
        let fields =
            "(X<01><00><00><00>iX<01><00><00><00>xt}"
            + "X<01><00><00><00>icnumpy\ndtype\nX<02><00><00><00>i4<89><88><87>RK<00><86>s"
            + "X<01><00><00><00>xcnumpy\ndtype\nX<02><00><00><00>f8<89><88><87>RK<04><86>s"
        let record = littleEndian([Int32(-5)]) + littleEndian([Double(2.5).bitPattern])
        let array = try #require(
            try decode(
                arrayPickle(
                    typeString: "V12",
                    byteOrder: "|",
                    elementSize: 12,
                    fields: fields,
                    shape: [1],
                    data: record
                )
            )
        )
        #expect(try array.fieldIntegers("i") == [-5])
        #expect(try array.fieldDoubles("x") == [2.5])
        #expect(array.dtype.fields.map(\.offset) == [0, 4])
        #expect(array.hasField("x"))
        #expect(throws: ArrayError.self) { try array.fieldDoubles("y") }
    }
}
