import Documents
import Testing

@Suite struct UBJSONDocumentTests {
    /// A key as XGBoost writes it: an int64 length, no `S` marker.
    static func key(_ text: String) -> [UInt8] {
        [UInt8(ascii: "L")] + bigEndian(UInt64(text.utf8.count), 8) + Array(text.utf8)
    }

    static func bigEndian(_ value: UInt64, _ width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// `{"a": [1.5f, -2f] (typed float32), "b": [3, 4] (typed int32), "c": "hi",
    /// "d": [true, null, 7 (int8), 2.25 (float64)], "e": {} }`
    static let sample: [UInt8] =
        ascii("{") + key("a") + ascii("[$d#L") + bigEndian(2, 8)
        + bigEndian(UInt64(Float(1.5).bitPattern), 4) + bigEndian(UInt64(Float(-2).bitPattern), 4)
        + key("b") + ascii("[$l#i") + [2] + bigEndian(3, 4) + bigEndian(4, 4)
        + key("c") + ascii("SU") + [2] + ascii("hi")
        + key("d") + ascii("[TZi") + [7] + ascii("D") + bigEndian(Double(2.25).bitPattern, 8)
        + ascii("]")
        + key("e") + ascii("{}")
        + ascii("}")

    @Test func readsTypedArraysAndKeysWithoutMarkers() throws {
        let value = try UBJSONDocument.read(Self.sample)
        #expect(value["a"] == .array([.double(1.5), .double(-2)]))
        #expect(value["b"] == .array([.integer(3), .integer(4)]))
        #expect(value["c"] == .string("hi"))
        #expect(value["d"] == .array([.bool(true), .null, .integer(7), .double(2.25)]))
        #expect(value["e"] == .object([]))
        #expect(value.members?.map(\.key) == ["a", "b", "c", "d", "e"])
    }

    @Test func readsSignedAndUnsignedWidths() throws {
        let bytes =
            Self.ascii("[i") + [0xFF] + Self.ascii("U") + [0xFF] + Self.ascii("I")
            + [0xFF, 0xFE] + Self.ascii("L") + Self.bigEndian(UInt64(bitPattern: -5), 8)
            + Self.ascii("]")
        #expect(
            try UBJSONDocument.read(bytes)
                == .array([.integer(-1), .integer(255), .integer(-2), .integer(-5)])
        )
    }

    @Test func aTruncatedDocumentIsAnErrorAtEveryLength() {
        for length in 0..<Self.sample.count {
            #expect(throws: DocumentError.self, "length \(length)") {
                try UBJSONDocument.read(Array(Self.sample.prefix(length)))
            }
        }
    }

    @Test func countsBeyondTheDocumentAreRefusedBeforeAllocating() {
        let huge = Self.ascii("[$d#L") + Self.bigEndian(1 << 60, 8)
        #expect(throws: DocumentError.self) { try UBJSONDocument.read(huge) }
        let negative = Self.ascii("[#i") + [0xFF]
        #expect(throws: DocumentError.self) { try UBJSONDocument.read(negative) }
        let objectCount = Self.ascii("{#L") + Self.bigEndian(1 << 40, 8)
        #expect(throws: DocumentError.self) { try UBJSONDocument.read(objectCount) }
    }

    @Test func deepNestingIsRefused() throws {
        let depth = UBJSONDocument.maxDepth
        let deep =
            [UInt8](repeating: UInt8(ascii: "["), count: depth + 1)
            + [UInt8](repeating: UInt8(ascii: "]"), count: depth + 1)
        #expect(throws: DocumentError.self) { try UBJSONDocument.read(deep) }
        let allowed =
            [UInt8](repeating: UInt8(ascii: "["), count: depth)
            + [UInt8](repeating: UInt8(ascii: "]"), count: depth)
        #expect(try UBJSONDocument.read(allowed).array?.count == 1)
    }

    @Test(arguments: [
        "", "x", "[", "{", "{i", "[$", "[$d", "[$d#", "SU", "[]]", "{U\u{01}a}",
    ])
    func refusesMalformedBytes(_ text: String) {
        #expect(throws: DocumentError.self) { try UBJSONDocument.read(Self.ascii(text)) }
    }

    @Test func everyByteFlippedFailsCleanlyOrReads() {
        // No input may trap: flip each byte of the sample to every other marker value.
        for index in Self.sample.indices {
            for replacement: UInt8 in [0x00, 0x23, 0x24, 0x4C, 0x5B, 0x7B, 0xFF] {
                var bytes = Self.sample
                bytes[index] = replacement
                _ = try? UBJSONDocument.read(bytes)
            }
        }
    }
}
