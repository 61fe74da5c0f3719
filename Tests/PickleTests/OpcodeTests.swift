import Pickle
import Testing

/// A hand-made pickle and the Python-like repr of what it loads to.
struct OpcodeCase: Sendable, CustomTestStringConvertible {
    let pickle: String
    let expected: String
    var testDescription: String { pickle }

    init(_ pickle: String, _ expected: String) {
        self.pickle = pickle
        self.expected = expected
    }
}

/// The text opcodes of protocol 0 (and what protocol 1 keeps of them).
@Suite struct ProtocolZeroOpcodeTests {
    static let cases: [OpcodeCase] = [
        // INT, with Python 2's "01"/"00" spelling of booleans.
        OpcodeCase("I42\n.", "42"),
        OpcodeCase("I-7\n.", "-7"),
        OpcodeCase("I01\n.", "True"),
        OpcodeCase("I00\n.", "False"),
        OpcodeCase("I1\n.", "1"),
        OpcodeCase("I0\n.", "0"),
        OpcodeCase("I123456789012345678901\n.", "123456789012345678901"),
        // LONG, with and without the trailing L.
        OpcodeCase("L12345678901234567890L\n.", "12345678901234567890"),
        OpcodeCase("L-5L\n.", "-5"),
        OpcodeCase("L-5\n.", "-5"),
        OpcodeCase("L-98765432109876543210L\n.", "-98765432109876543210"),
        OpcodeCase("L0L\n.", "0"),
        // FLOAT is repr(float).
        OpcodeCase("F2.5\n.", "2.5"),
        OpcodeCase("F-0.0\n.", "-0.0"),
        OpcodeCase("F1e+300\n.", "1e+300"),
        OpcodeCase("Finf\n.", "inf"),
        OpcodeCase("F-inf\n.", "-inf"),
        // STRING is the repr of a Python 2 str, with its escapes.
        OpcodeCase("S'plain'\n.", "b'plain'"),
        OpcodeCase(#"S"it's"\#n."#, #"b'it\'s'"#),
        OpcodeCase(#"S'a\nb\tc\\d\'e\r'\#n."#, #"b'a\nb\tc\\d\'e\r'"#),
        OpcodeCase(#"S'\x41\101\0\x7f'\#n."#, #"b'AA\x00\x7f'"#),
        OpcodeCase(#"S'\a\b\f\v'\#n."#, #"b'\x07\x08\x0c\x0b'"#),
        OpcodeCase(#"S'\q\%'\#n."#, #"b'\\q\\%'"#),
        // UNICODE is raw-unicode-escape: Latin-1 bytes and \u/\U escapes.
        OpcodeCase("Vcaf<e9>\n.", "'café'"),
        OpcodeCase(#"V\u65e5\U0001f600\#n."#, "'日😀'"),
        OpcodeCase(#"Va\u005cb\#n."#, #"'a\\b'"#),
        OpcodeCase(#"V\\u0041\#n."#, #"'\\\\u0041'"#),
        OpcodeCase(#"V\\\u0041\#n."#, #"'\\\\A'"#),
        OpcodeCase(#"V\x41\#n."#, #"'\\x41'"#),
        OpcodeCase(#"V\u0041\u0042\\\u0043\#n."#, #"'AB\\\\C'"#),
        OpcodeCase("V\n.", "''"),
        // NONE, GLOBAL, TUPLE, LIST, DICT and the memo.
        OpcodeCase("N.", "None"),
        OpcodeCase("cnumpy\ndtype\n.", "<global numpy.dtype>"),
        OpcodeCase("(I1\nI2\nt.", "(1, 2)"),
        OpcodeCase("(t.", "()"),
        OpcodeCase("(lp0\nI1\naI2\na.", "[1, 2]"),
        OpcodeCase("(l.", "[]"),
        OpcodeCase("(dp0\nVa\np1\nI1\nsVb\nI2\ns.", "{'a': 1, 'b': 2}"),
        OpcodeCase("(Va\nI1\nVb\nNd.", "{'a': 1, 'b': None}"),
        OpcodeCase("(lp0\n(lp1\nI7\naag1\na.", "[[7], [7]]"),
        // POP, POP_MARK and DUP.
        OpcodeCase("I1\nI2\n0.", "1"),
        OpcodeCase("I1\n(I2\nI3\n1.", "1"),
        OpcodeCase("I1\n((0t.", "()"),
        OpcodeCase("(I5\n2t.", "(5, 5)"),
        // INST, OBJ, REDUCE and BUILD record the call and never make it.
        OpcodeCase("(I1\nVx\nimymod\nKlass\n.", "mymod.Klass(1, 'x')"),
        OpcodeCase("(cmymod\nKlass\nI1\no.", "mymod.Klass(1)"),
        OpcodeCase("cmymod\nf\n(I1\ntR.", "mymod.f(1)"),
        OpcodeCase("cmymod\nf\n(tR(dVk\nI1\nsb.", "mymod.f().__setstate__({'k': 1})"),
    ]

    @Test(arguments: cases)
    func loadsTextOpcodes(_ testCase: OpcodeCase) throws {
        #expect(repr(try load(testCase.pickle)) == testCase.expected)
    }

    @Test func recordsHowInstAndObjAskedForTheObject() throws {
        for notation in ["(imymod\nKlass\n.", "(cmymod\nKlass\no."] {
            guard case .object(let object) = try load(notation) else {
                Issue.record("\(notation) did not load an object")
                continue
            }
            #expect(object.construction == .instantiate)
            #expect(object.qualifiedName == "mymod.Klass")
        }
    }
}

/// The binary opcodes of protocols 1 to 5.
@Suite struct BinaryOpcodeTests {
    static let cases: [OpcodeCase] = [
        // Protocol 1: BININT*, BINFLOAT, BINSTRING, BINUNICODE, memo and containers.
        OpcodeCase("J<ff><ff><ff><ff>.", "-1"),
        OpcodeCase("J<00><00><00><80>.", "-2147483648"),
        OpcodeCase("J<ff><ff><ff><7f>.", "2147483647"),
        OpcodeCase("K<ff>.", "255"),
        OpcodeCase("M<ff><ff>.", "65535"),
        OpcodeCase("M<00><01>.", "256"),
        OpcodeCase("G@<04><00><00><00><00><00><00>.", "2.5"),
        OpcodeCase("G<c0><00><00><00><00><00><00><00>.", "-2.0"),
        OpcodeCase("G<7f><f0><00><00><00><00><00><00>.", "inf"),
        OpcodeCase("G<ff><f0><00><00><00><00><00><00>.", "-inf"),
        OpcodeCase("G<00><00><00><00><00><00><00><01>.", "5e-324"),
        OpcodeCase("T<03><00><00><00>abc.", "b'abc'"),
        OpcodeCase("U<02>hi.", "b'hi'"),
        OpcodeCase("U<00>.", "b''"),
        OpcodeCase("X<05><00><00><00>caf<c3><a9>.", "'café'"),
        OpcodeCase(").", "()"),
        OpcodeCase("]q<00>(K<01>K<02>e.", "[1, 2]"),
        OpcodeCase("]K<01>a.", "[1]"),
        OpcodeCase("}q<00>(U<01>aK<01>U<01>bK<02>u.", "{b'a': 1, b'b': 2}"),
        OpcodeCase("}X<01><00><00><00>kNs.", "{'k': None}"),
        OpcodeCase("]r<00><01><00><00>j<00><01><00><00><86>.", "([], [])"),
        OpcodeCase("]q<07>h<07><86>.", "([], [])"),
        OpcodeCase("(K<01>K<02>K<03>t.", "(1, 2, 3)"),
        // Protocol 2: PROTO, LONG1/LONG4, TUPLE1-3, NEWTRUE/NEWFALSE, NEWOBJ.
        OpcodeCase("<80><02><8a><00>.", "0"),
        OpcodeCase("<80><02><8a><01><ff>.", "-1"),
        OpcodeCase("<80><02><8a><01><80>.", "-128"),
        OpcodeCase("<80><02><8a><02><00><80>.", "-32768"),
        OpcodeCase("<80><02><8a><02><ff><00>.", "255"),
        OpcodeCase(
            "<80><02><8a><08><ff><ff><ff><ff><ff><ff><ff><7f>.",
            "9223372036854775807"
        ),
        OpcodeCase(
            "<80><02><8a><08><00><00><00><00><00><00><00><80>.",
            "-9223372036854775808"
        ),
        OpcodeCase(
            "<80><02><8a><09><00><00><00><00><00><00><00><00><01>.",
            "18446744073709551616"
        ),
        OpcodeCase(
            "<80><02><8a><09><00><00><00><00><00><00><00><00><ff>.",
            "-18446744073709551616"
        ),
        OpcodeCase(
            "<80><02><8a><09><ff><ff><ff><ff><ff><ff><ff><7f><ff>.",
            "-9223372036854775809"
        ),
        OpcodeCase(
            "<80><02><8b><09><00><00><00><00><00><00><00><00><00><00><00><01>.",
            "18446744073709551616"
        ),
        OpcodeCase("<80><02><8b><00><00><00><00>.", "0"),
        OpcodeCase("<80><02>K<01><85>.", "(1,)"),
        OpcodeCase("<80><02>K<01>K<02><86>.", "(1, 2)"),
        OpcodeCase("<80><02>K<01>K<02>K<03><87>.", "(1, 2, 3)"),
        OpcodeCase("<80><02><88><89><86>.", "(True, False)"),
        OpcodeCase("<80><02>cmymod\nKlass\nK<01><85><81>.", "mymod.Klass(1)"),
        OpcodeCase("<80><02>cmymod\nKlass\n)<81>}b.", "mymod.Klass().__setstate__({})"),
        // Protocol 3: BINBYTES and SHORT_BINBYTES.
        OpcodeCase("<80><03>C<02>hi.", "b'hi'"),
        OpcodeCase("<80><03>B<03><00><00><00>a<00>c.", "b'a\\x00c'"),
        // Protocol 4: FRAME, MEMOIZE, STACK_GLOBAL, SHORT_BINUNICODE, BINUNICODE8,
        // BINBYTES8, EMPTY_SET, ADDITEMS, FROZENSET, NEWOBJ_EX.
        OpcodeCase("<80><04><95><04><00><00><00><00><00><00><00>K<01><94>.", "1"),
        OpcodeCase("<80><04>]<94>h<00><86>.", "([], [])"),
        OpcodeCase("<80><04><8c><02>hi<94>.", "'hi'"),
        OpcodeCase("<80><04><8d><02><00><00><00><00><00><00><00>hi.", "'hi'"),
        OpcodeCase("<80><04><8e><02><00><00><00><00><00><00><00>hi.", "b'hi'"),
        OpcodeCase("<80><04><8c><05>mymod<8c><05>Klass<93>.", "<global mymod.Klass>"),
        OpcodeCase("<80><04><8c><05>mymod<8c><05>Klass<93>)<81>.", "mymod.Klass()"),
        OpcodeCase("<80><04><8f>(K<01>K<02><90>.", "{1, 2}"),
        OpcodeCase("<80><04><8f><94>(K<01><90>(K<02><90>.", "{1, 2}"),
        OpcodeCase("<80><04>(K<01><91>.", "{1}"),
        OpcodeCase("<80><04>(<91>.", "{}"),
        OpcodeCase(
            "<80><04><8c><05>mymod<8c><05>Klass<93>K<01><85>}(<8c><01>kK<02>u<92>.",
            "mymod.Klass(1)"
        ),
        // Protocol 5: BYTEARRAY8 (in-band buffers).
        OpcodeCase("<80><05><96><02><00><00><00><00><00><00><00>hi.", "b'hi'"),
    ]

    @Test(arguments: cases)
    func loadsBinaryOpcodes(_ testCase: OpcodeCase) throws {
        #expect(repr(try load(testCase.pickle)) == testCase.expected)
    }

    /// CPython reads a whole frame before its opcodes: a frame longer than the rest of the
    /// stream is truncated, not skipped over.
    @Test func aFrameLongerThanTheRestIsTruncated() {
        #expect {
            _ = try load("<80><04><95><ff><ff><ff><ff><ff><ff><ff><ff>N.")
        } throws: { error in
            (error as? PickleError)?.code == .truncated
        }
    }

    @Test func keepsIntegersBeyondSixtyFourBitsAsBigIntegers() throws {
        let value = try load("<80><02><8a><09><00><00><00><00><00><00><00><00><01>.")
        guard case .bigInt(let bytes) = value else {
            Issue.record("2**64 loaded as \(repr(value))")
            return
        }
        #expect(bytes == [0, 0, 0, 0, 0, 0, 0, 0, 1])
    }

    @Test func loadsNotANumber() throws {
        guard case .float(let value) = try load("G<7f><f8><00><00><00><00><00><00>.") else {
            Issue.record("BINFLOAT did not load a float")
            return
        }
        #expect(value.isNaN)
    }

    @Test func keepsTheKeywordsOfNewObjEx() throws {
        let value = try load(
            "<80><04><8c><05>mymod<8c><05>Klass<93>K<01><85>}(<8c><01>kK<02>u<92>."
        )
        guard case .object(let object) = value else {
            Issue.record("NEWOBJ_EX did not load an object")
            return
        }
        #expect(object.construction == .newObject)
        #expect(object.keywordArguments.map { repr(.dict($0)) } == "{'k': 2}")
    }

    @Test func recordsNewObjWithoutCallingIt() throws {
        guard case .object(let object) = try load("<80><02>cmymod\nKlass\nV1\n<85><81>.")
        else {
            Issue.record("NEWOBJ did not load an object")
            return
        }
        #expect(object.construction == .newObject)
        #expect(object.qualifiedName == "mymod.Klass")
        #expect(object.arguments.map(repr) == ["'1'"])
        #expect(object.state == nil)
    }

    @Test func makesDictSubclassItemsAndListSubclassItemsPartOfTheObject() throws {
        let value = try load("<80><02>cmymod\nD\n)<81>X<01><00><00><00>kK<01>s]K<02>a<86>.")
        guard case .tuple(let items) = value, case .object(let object) = items[0] else {
            Issue.record("loaded \(repr(value))")
            return
        }
        #expect(object.dictItems.map { "\(repr($0.key))=\(repr($0.value))" } == ["'k'=1"])
        let listValue = try load("<80><02>cmymod\nL\n)<81>(K<01>K<02>e.")
        guard case .object(let listObject) = listValue else {
            Issue.record("loaded \(repr(listValue))")
            return
        }
        #expect(listObject.listItems.map(repr) == ["1", "2"])
    }
}

/// Lists, dicts and sets are shared by reference, as in Python.
@Suite struct MutationSemanticsTests {
    @Test func appendsAfterAGetAreSeenThroughEveryReference() throws {
        // The list is memoized, fetched again, and only then filled by APPENDS.
        let value = try load("<80><02>]q<00>h<00>(K<01>K<02>e<86>.")
        guard case .tuple(let items) = value, items.count == 2,
            case .list(let first) = items[0], case .list(let second) = items[1]
        else {
            Issue.record("loaded \(repr(value))")
            return
        }
        #expect(first === second)
        #expect(first.items.map(repr) == ["1", "2"])
        #expect(repr(value) == "([1, 2], [1, 2])")
    }

    @Test func setItemsAfterAGetAreSeenThroughEveryReference() throws {
        let value = try load("<80><04>}<94>]h<00>ah<00>(<8c><01>kK<07>u0<86>.")
        #expect(repr(value) == "({'k': 7}, [{'k': 7}])")
    }

    @Test func addItemsAfterAGetAreSeenThroughEveryReference() throws {
        let value = try load("<80><04><8f><94>h<00>(K<03><90><86>.")
        #expect(repr(value) == "({3}, {3})")
    }

    /// A reconstructor read as a plain value (a set, bytes) is that value at every
    /// reference the memo gives it, not only at the first.
    @Test func aReconstructorFetchedAgainIsTheSameValue() throws {
        // set([1]), stored with BINPUT 0 and fetched again with BINGET 0.
        let value = try load("<80><02>c__builtin__\nset\n]K<01>a<85>Rq<00>h<00><86>.")
        #expect(repr(value) == "({1}, {1})")
        guard case .tuple(let items) = value, items.count == 2,
            case .set(let first) = items[0], case .set(let second) = items[1]
        else {
            Issue.record("loaded \(repr(value))")
            return
        }
        #expect(first === second)
        // b'a' as protocol 2 writes it, _codecs.encode('a', 'latin1'), fetched again.
        let text = "X<01><00><00><00>aX<06><00><00><00>latin1<86>"
        let bytesValue = try load("<80><02>c_codecs\nencode\n\(text)Rq<00>h<00><86>.")
        #expect(repr(bytesValue) == "(b'a', b'a')")
    }

    @Test func buildAfterAGetGivesStateToEveryReference() throws {
        let value = try load("<80><04>cmymod\nK\n)<81><94>h<00>}b<86>.")
        #expect(repr(value) == "(mymod.K().__setstate__({}), mymod.K().__setstate__({}))")
    }
}
