import Arrays
import Pickle
import Testing

/// Little-endian bytes of fixed-width integers.
func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { value in
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}

@Suite struct NDArrayTests {
    @Test func convertsAFortranOrderMatrixToCOrder() throws {
        // [[0, 1, 2], [3, 4, 5]] stored column by column.
        let array = try NDArray(
            dtype: .int64,
            shape: [2, 3],
            bytes: littleEndian([0, 3, 1, 4, 2, 5] as [Int64]),
            fortranOrder: true
        )
        #expect(try array.integers() == [0, 1, 2, 3, 4, 5])
        #expect(array.shape == [2, 3])
        #expect(array.count == 6)
    }

    @Test func convertsAFortranOrderCubeToCOrder() throws {
        // Element (i, j, k) is 100i + 10j + k; Fortran order puts it at i + 2j + 6k.
        var fortran = [Int32](repeating: 0, count: 24)
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<4 { fortran[i + 2 * j + 6 * k] = Int32(100 * i + 10 * j + k) }
            }
        }
        let dtype = DType(kind: .signedInteger, itemSize: 4)
        let array = try NDArray(
            dtype: dtype,
            shape: [2, 3, 4],
            bytes: littleEndian(fortran),
            fortranOrder: true
        )
        var expected: [Int64] = []
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<4 { expected.append(Int64(100 * i + 10 * j + k)) }
            }
        }
        #expect(try array.integers() == expected)
    }

    @Test func leavesOneDimensionalFortranArraysAlone() throws {
        let array = try NDArray(
            dtype: .int64,
            shape: [3],
            bytes: littleEndian([7, 8, 9] as [Int64]),
            fortranOrder: true
        )
        #expect(try array.integers() == [7, 8, 9])
    }

    @Test func convertsFortranOrderObjectArrays() throws {
        let array = try NDArray(
            objects: ["a", "c", "b", "d"].map { PickleValue.string($0) },
            shape: [2, 2],
            fortranOrder: true
        )
        #expect(try array.strings() == ["a", "b", "c", "d"])
        #expect(array.dtype.kind == .object)
        #expect(try array.objects().count == 4)
    }

    @Test func convertsBigEndianElements() throws {
        let dtype = DType(kind: .float, itemSize: 8, isBigEndian: true)
        let oneAndAHalf: [UInt8] = [0x3F, 0xF8, 0, 0, 0, 0, 0, 0]
        let minusTwo: [UInt8] = [0xC0, 0, 0, 0, 0, 0, 0, 0]
        let array = try NDArray(dtype: dtype, shape: [2], bytes: oneAndAHalf + minusTwo)
        #expect(try array.doubles() == [1.5, -2.0])
        #expect(!array.dtype.isBigEndian)
        #expect(array.dtype.description == "<f8")

        let shorts = try NDArray(
            dtype: DType(kind: .signedInteger, itemSize: 2, isBigEndian: true),
            shape: [2, 2],
            bytes: [0x00, 0x01, 0xFF, 0xFE, 0x01, 0x00, 0x80, 0x00],
            fortranOrder: true
        )
        #expect(try shorts.integers() == [1, 256, -2, -32768])
    }

    @Test func readsFixedWidthUnicode() throws {
        let dtype = DType(kind: .unicode, itemSize: 12)
        let codes: [UInt32] = [0x61, 0x62, 0, 0x65E5, 0x1F600, 0x21]
        let array = try NDArray(dtype: dtype, shape: [2], bytes: littleEndian(codes))
        #expect(try array.strings() == ["ab", "日😀!"])
        #expect(dtype.description == "<U3")
    }

    /// numpy drops only the NULs that end a fixed-width element: `'\x00x'` stays whole.
    @Test(arguments: [false, true])
    func keepsNULsBeforeTheLastCharacterOfUnicode(bigEndian: Bool) throws {
        let codes: [UInt32] = [0, 0x78, 0, 0, 0x61, 0, 0x62, 0, 0, 0, 0, 0]
        let bytes = littleEndian(codes.map { bigEndian ? $0.byteSwapped : $0 })
        let array = try NDArray(
            dtype: DType(kind: .unicode, itemSize: 16, isBigEndian: bigEndian),
            shape: [3],
            bytes: bytes
        )
        #expect(try array.strings() == ["\u{0}x", "a\u{0}b", ""])
    }

    @Test func readsFixedWidthBytesAsNumpyDoes() throws {
        let bytes: [UInt8] = [0, 0x78, 0, 0x61, 0, 0x62, 0xE9, 0, 0, 0, 0, 0]
        let array = try NDArray(dtype: DType(kind: .bytes, itemSize: 3), shape: [4], bytes: bytes)
        #expect(try array.strings() == ["\u{0}x", "a\u{0}b", "\u{E9}", ""])
    }

    @Test func convertsNumbersOfEveryWidth() throws {
        let half = try NDArray(
            dtype: DType(kind: .float, itemSize: 2),
            shape: [2],
            bytes: [0x00, 0x3C, 0x00, 0xC0]
        )
        #expect(try half.doubles() == [1.0, -2.0])
        let single = try NDArray(
            dtype: DType(kind: .float, itemSize: 4),
            shape: [1],
            bytes: littleEndian([Float(0.25).bitPattern])
        )
        #expect(try single.doubles() == [0.25])
        let unsigned = try NDArray(
            dtype: DType(kind: .unsignedInteger, itemSize: 8),
            shape: [1],
            bytes: littleEndian([UInt64(1) << 40])
        )
        #expect(try unsigned.integers() == [1 << 40])
        let flags = try NDArray(
            dtype: DType(kind: .boolean, itemSize: 1),
            shape: [3],
            bytes: [1, 0, 1]
        )
        #expect(try flags.doubles() == [1, 0, 1])
    }

    @Test(arguments: [
        (DType.float64, [2, 2], 24),
        (DType.float64, [3], 32),
        (DType.int64, [], 0),
        (DType(kind: .object, itemSize: 8), [1], 8),
    ])
    func rejectsBytesThatDoNotFitTheShape(dtype: DType, shape: [Int], byteCount: Int) {
        #expect(throws: ArrayError.self) {
            try NDArray(dtype: dtype, shape: shape, bytes: [UInt8](repeating: 0, count: byteCount))
        }
    }

    @Test(arguments: [[-1], [Int.max, 2], [1 << 32, 1 << 32], [3, -2]])
    func rejectsImpossibleShapes(shape: [Int]) {
        #expect(throws: ArrayError.self) {
            try NDArray(dtype: .float64, shape: shape, bytes: [])
        }
        #expect(throws: ArrayError.self) {
            try NDArray(objects: [], shape: shape)
        }
    }

    @Test func refusesTheWrongAccessorForTheDtype() throws {
        let numbers = try NDArray(dtype: .float64, shape: [1], bytes: [0, 0, 0, 0, 0, 0, 0, 0])
        #expect(throws: ArrayError.self) { try numbers.strings() }
        #expect(throws: ArrayError.self) { try numbers.objects() }
        #expect(throws: ArrayError.self) { try numbers.integers() }
        #expect(throws: ArrayError.self) { try numbers.fieldDoubles("x") }
        #expect(!numbers.hasField("x"))
        let objects = try NDArray(objects: [.int(1)], shape: [1])
        #expect(throws: ArrayError.self) { try objects.doubles() }
        #expect(throws: ArrayError.self) { try objects.strings() }
    }

    @Test(arguments: [
        (DType.float64, "<f8"),
        (DType.int64, "<i8"),
        (DType(kind: .signedInteger, itemSize: 4, isBigEndian: true), ">i4"),
        (DType(kind: .boolean, itemSize: 1), "|b1"),
        (DType(kind: .unsignedInteger, itemSize: 1), "|u1"),
        (DType(kind: .object, itemSize: 8), "|O8"),
        (DType(kind: .unicode, itemSize: 20), "<U5"),
        (DType(kind: .void, itemSize: 16), "|V16"),
    ])
    func describesDtypesAsNumpyTypeStrings(dtype: DType, expected: String) {
        #expect(dtype.description == expected)
    }
}
