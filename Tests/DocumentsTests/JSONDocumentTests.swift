import Documents
import Testing

@Suite struct JSONDocumentTests {
    static func read(_ text: String) throws(DocumentError) -> DocumentValue {
        try JSONDocument.read(Array(text.utf8))
    }

    @Test func readsEveryKindOfValue() throws {
        let value = try Self.read(
            #" {"a": [1, -2, 3.5, 1e3, true, false, null], "b": {"c": "d"}, "e": []} "#
        )
        #expect(
            value["a"]
                == .array([
                    .integer(1), .integer(-2), .double(3.5), .double(1000), .bool(true),
                    .bool(false), .null,
                ])
        )
        #expect(value["b"]?["c"]?.string == "d")
        #expect(value["e"] == .array([]))
        #expect(value["missing"] == nil)
        #expect(value.members?.map(\.key) == ["a", "b", "e"])
    }

    @Test func numbersRoundCorrectly() throws {
        #expect(try Self.read("0.1") == .double(0.1))
        #expect(try Self.read("2.2250738585072014e-308") == .double(2.2250738585072014e-308))
        #expect(try Self.read("9223372036854775807") == .integer(.max))
        // Past Int64: a double, as Python's json would give a float only for such text.
        #expect(try Self.read("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try Self.read("-0") == .integer(0))
        #expect(try Self.read("5E-1").double == 0.5)
        #expect(try Self.read("3.0").integer == 3)
    }

    @Test func readsPythonsNonFiniteLiterals() throws {
        #expect(try Self.read("[NaN, Infinity, -Infinity]").array?.count == 3)
        #expect(try Self.read("-Infinity") == .double(-.infinity))
        #expect(try Self.read("NaN").double?.isNaN == true)
    }

    @Test func decodesEscapes() throws {
        #expect(try Self.read(#""a\"b\\c\/\n\t""#).string == "a\"b\\c/\n\t")
        #expect(try Self.read(#""\u00e9\u4e2d""#).string == "é中")
        #expect(try Self.read(#""\ud83d\ude00""#).string == "😀")
        #expect(try Self.read(#""\ud83d""#).string == "\u{FFFD}")
        #expect(try Self.read("\"é\"").string == "é")
    }

    @Test(arguments: [
        "", "[", "[1,]", "{\"a\" 1}", "{1: 2}", "01", "1.", "1e", "tru", "\"a", "[1] x",
        "\"\u{01}\"", #""\x""#, #""\u12""#, "-", "{\"a\":1,}",
    ])
    func refusesMalformedText(_ text: String) {
        #expect(throws: DocumentError.self) { try Self.read(text) }
    }

    @Test func refusesDeepNesting() throws {
        let deep =
            String(repeating: "[", count: JSONDocument.maxDepth + 1)
            + String(repeating: "]", count: JSONDocument.maxDepth + 1)
        #expect(throws: DocumentError.self) { try Self.read(deep) }
        let allowed =
            String(repeating: "[", count: JSONDocument.maxDepth)
            + String(repeating: "]", count: JSONDocument.maxDepth)
        #expect(try Self.read(allowed).array?.count == 1)
    }

    @Test func errorsSayWhere() {
        #expect {
            try Self.read("[1, 2, x]")
        } throws: { error in
            (error as? DocumentError)?.offset == 7
        }
    }
}
