import Pickle
import TestSupport
import Testing

/// A hand-made pickle that must fail, and how.
struct FailureCase: Sendable, CustomTestStringConvertible {
    let pickle: String
    let code: PickleError.Code
    let opcode: String?
    let offset: Int
    var testDescription: String { "\(pickle) → \(code.rawValue)" }

    init(_ pickle: String, _ code: PickleError.Code, _ opcode: String?, at offset: Int) {
        self.pickle = pickle
        self.code = code
        self.opcode = opcode
        self.offset = offset
    }
}

@Suite struct PickleErrorTests {
    static let failures: [FailureCase] = [
        FailureCase("", .notAPickle, nil, at: 0),
        FailureCase("<80><02><ff>.", .unknownOpcode, nil, at: 2),
        FailureCase("<80><02>K<01><00>.", .unknownOpcode, nil, at: 4),
        FailureCase("<80><06>.", .unsupported, "PROTO", at: 0),
        // STOP needs a value and no open MARK.
        FailureCase("<80><02>.", .malformed, "STOP", at: 2),
        FailureCase("<80><02>(K<01>.", .malformed, "STOP", at: 5),
        FailureCase("<80><02>K<01>(.", .malformed, "STOP", at: 5),
        // Bytes after STOP.
        FailureCase("<80><02>K<01>.K", .malformed, nil, at: 5),
        FailureCase("N..", .malformed, nil, at: 2),
        // The input ends before STOP or inside an argument.
        FailureCase("<80><02>K<01>", .truncated, nil, at: 4),
        FailureCase("<80><02>K", .truncated, "BININT1", at: 3),
        FailureCase("<80><02>J<01><02>", .truncated, "BININT", at: 3),
        FailureCase("<80><02>G<00>.", .truncated, "BINFLOAT", at: 3),
        FailureCase("I12", .truncated, "INT", at: 1),
        FailureCase("cos\nsystem", .truncated, "GLOBAL", at: 4),
        // Memo lookups of indices never stored.
        FailureCase("<80><02>h<03>.", .missingMemo, "BINGET", at: 2),
        FailureCase("<80><02>K<01>q<00>h<01>.", .missingMemo, "BINGET", at: 6),
        FailureCase("g7\n.", .missingMemo, "GET", at: 0),
        FailureCase("<80><02>j<07><00><00><00>.", .missingMemo, "LONG_BINGET", at: 2),
        FailureCase("<80><04>h<00>.", .missingMemo, "BINGET", at: 2),
        // Length fields larger than what is left fail before anything is allocated.
        FailureCase(
            "<80><04><8e><00><00><00><00><00><00><00>@.",
            .truncated,
            "BINBYTES8",
            at: 3
        ),
        FailureCase(
            "<80><04><8d><ff><ff><ff><ff><ff><ff><ff><ff>.",
            .truncated,
            "BINUNICODE8",
            at: 3
        ),
        FailureCase(
            "<80><05><96><00><00><00><00><00><00><00><01>.",
            .truncated,
            "BYTEARRAY8",
            at: 3
        ),
        FailureCase("<80><02>X<ff><ff><ff><ff>.", .truncated, "BINUNICODE", at: 3),
        FailureCase("<80><03>B<05><00><00><00>abc.", .truncated, "BINBYTES", at: 3),
        FailureCase("<80><02>T<05><00><00><00>abc.", .truncated, "BINSTRING", at: 3),
        FailureCase("<80><03>C<05>ab.", .truncated, "SHORT_BINBYTES", at: 3),
        FailureCase("<80><02>U<05>ab.", .truncated, "SHORT_BINSTRING", at: 3),
        FailureCase("<80><04><8c><09>ab.", .truncated, "SHORT_BINUNICODE", at: 3),
        FailureCase("<80><02><8a><09><00>.", .truncated, "LONG1", at: 3),
        FailureCase("<80><02><8b><ff><ff><ff><7f><00>.", .truncated, "LONG4", at: 2),
        FailureCase("<80><02><8b><ff><ff><ff><ff><00>.", .malformed, "LONG4", at: 2),
        // Opcodes that find the stack not as they need it.
        FailureCase("<80><02>0.", .malformed, "POP", at: 2),
        FailureCase("<80><02>1.", .malformed, "POP_MARK", at: 2),
        FailureCase("<80><02>2.", .malformed, "DUP", at: 2),
        FailureCase("<80><02>t.", .malformed, "TUPLE", at: 2),
        FailureCase("<80><02>K<01><86>.", .malformed, "TUPLE2", at: 4),
        FailureCase("<80><02>(<85>.", .malformed, "TUPLE1", at: 3),
        FailureCase("<80><02>]e.", .malformed, "APPENDS", at: 3),
        FailureCase("<80><02>K<01>K<02>a.", .malformed, "APPEND", at: 6),
        FailureCase("<80><02>)K<02>a.", .malformed, "APPEND", at: 5),
        FailureCase("<80><02>}(K<01>u.", .malformed, "SETITEMS", at: 6),
        FailureCase("<80><02>]K<01>K<02>s.", .malformed, "SETITEM", at: 7),
        FailureCase("<80><02>(K<01>d.", .malformed, "DICT", at: 5),
        FailureCase("<80><04>](K<01><90>.", .malformed, "ADDITEMS", at: 6),
        FailureCase("<80><02>cmymod\nf\nK<01>R.", .malformed, "REDUCE", at: 13),
        FailureCase("<80><02>cmymod\nf\n]<81>.", .malformed, "NEWOBJ", at: 12),
        FailureCase("<80><04>cmymod\nf\n)]<92>.", .malformed, "NEWOBJ_EX", at: 13),
        FailureCase("<80><04>K<01>K<02><93>.", .malformed, "STACK_GLOBAL", at: 6),
        FailureCase("<80><02>(o.", .malformed, "OBJ", at: 3),
        FailureCase("<80><02>o.", .malformed, "OBJ", at: 2),
        FailureCase("<80><02>K<01>p-1\n.", .malformed, "PUT", at: 4),
        FailureCase("<80><02>K<01>px\n.", .malformed, "PUT", at: 4),
        FailureCase("gx\n.", .malformed, "GET", at: 0),
        FailureCase("<80><02>b.", .malformed, "BUILD", at: 2),
        // Text arguments that do not parse.
        FailureCase("I12x\n.", .malformed, "INT", at: 0),
        FailureCase("L\n.", .malformed, "LONG", at: 0),
        FailureCase("Fabc\n.", .malformed, "FLOAT", at: 0),
        FailureCase("S'abc\n.", .malformed, "STRING", at: 0),
        FailureCase("Sabc\n.", .malformed, "STRING", at: 0),
        FailureCase(#"S'\x4'\#n."#, .malformed, "STRING", at: 0),
        FailureCase("<80><02>X<01><00><00><00><ff>.", .malformed, "BINUNICODE", at: 2),
        FailureCase("<80><04><8c><02><c3>(.", .malformed, "SHORT_BINUNICODE", at: 2),
        FailureCase("c<ff>\nx\n.", .malformed, "GLOBAL", at: 0),
        // Constructs deliberately not supported.
        FailureCase("Pabc\n.", .unsupported, "PERSID", at: 0),
        FailureCase("<80><02>K<01>Q.", .unsupported, "BINPERSID", at: 4),
        FailureCase("<80><02><82><01>.", .unsupported, "EXT1", at: 2),
        FailureCase("<80><02><83><01><00>.", .unsupported, "EXT2", at: 2),
        FailureCase("<80><02><84><01><00><00><00>.", .unsupported, "EXT4", at: 2),
        FailureCase("<80><05><97>.", .unsupported, "NEXT_BUFFER", at: 2),
        FailureCase("<80><05><97><98>.", .unsupported, "NEXT_BUFFER", at: 2),
        FailureCase("<80><05>C<01>x<98>.", .unsupported, "READONLY_BUFFER", at: 5),
    ]

    @Test(arguments: failures)
    func reportsWhatFailedAndWhere(_ failure: FailureCase) {
        let error = loadError(bytes(failure.pickle))
        #expect(error?.code == failure.code, "\(String(describing: error))")
        #expect(error?.opcode == failure.opcode, "\(String(describing: error))")
        #expect(error?.offset == failure.offset, "\(String(describing: error))")
        #expect(error?.message.isEmpty == false)
    }

    @Test func describesTheOpcodeAndOffsetInTheMessage() throws {
        let error = try #require(loadError(bytes("<80><02>h<03>.")))
        #expect(error.description.hasSuffix("(BINGET at byte 2)"))
        #expect(error.description.contains("3"))
        let unknown = try #require(loadError(bytes("<80><02><ff>.")))
        #expect(unknown.description.contains("0xff"))
        #expect(unknown.description.hasSuffix("(at byte 2)"))
    }

    @Test func namesTheUnsupportedConstruct() throws {
        let buffer = try #require(loadError(bytes("<80><05><97>.")))
        #expect(buffer.message.contains("buffer"))
        let persistent = try #require(loadError(bytes("<80><02>K<01>Q.")))
        #expect(persistent.message.contains("persistent"))
        let extensions = try #require(loadError(bytes("<80><02><82><01>.")))
        #expect(extensions.message.contains("extension"))
    }

    @Test func limitsTheStackDepth() throws {
        let machine = PickleMachine(limits: .init(maxStackDepth: 3, maxMemoEntries: 10))
        #expect(loadError(bytes("<80><02>K<01>K<02>K<03><87>."), machine: machine) == nil)
        let error = try #require(
            loadError(bytes("<80><02>(K<01>K<02>K<03>t."), machine: machine)
        )
        #expect(error.code == .limitExceeded)
        #expect(error.opcode == "BININT1")
        #expect(error.offset == 7)
    }

    @Test func limitsTheMemo() throws {
        let machine = PickleMachine(limits: .init(maxStackDepth: 100, maxMemoEntries: 2))
        #expect(loadError(bytes("<80><04>]<94>]<94>q<01><86>."), machine: machine) == nil)
        let error = try #require(
            loadError(bytes("<80><04>]<94>]<94>]<94><87>."), machine: machine)
        )
        #expect(error.code == .limitExceeded)
        #expect(error.opcode == "MEMOIZE")
        #expect(error.offset == 7)
    }

    @Test func stopsAtTheEndOfOnePickleWhenReadingFromAnInput() throws {
        var input = PickleInput(bytes: bytes("K<01>.K<02>.rest"))
        let machine = PickleMachine()
        #expect(repr(try machine.load(from: &input)) == "1")
        #expect(input.position == 3)
        #expect(repr(try machine.load(from: &input)) == "2")
        #expect(input.remaining == 4)
    }
}

@Suite struct PickleInputTests {
    @Test func readsLittleEndianIntegersOfEveryWidth() throws {
        var input = PickleInput(bytes: [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0xFF])
        #expect(try input.readLittleEndian(2) == 0x0201)
        #expect(try input.readLittleEndian(4) == 0x0605_0403)
        #expect(try input.readByte() == 0x07)
        #expect(input.remaining == 2)
        #expect(try input.readLittleEndian(2) == 0xFF08)
        #expect(input.isAtEnd)
    }

    @Test(arguments: [-1, 4, Int.max])
    func refusesToReadPastTheEnd(count: Int) {
        var input = PickleInput(bytes: [1, 2, 3], position: 0)
        #expect(throws: PickleError.self) { try input.read(count) }
        #expect(input.position == 0)
        do {
            _ = try input.read(count)
        } catch {
            #expect(error.code == .truncated)
        }
    }

    @Test func readsNothingAtTheEnd() throws {
        var input = PickleInput(bytes: [1], position: 1)
        #expect(try input.read(0).isEmpty)
        #expect(throws: PickleError.self) { try input.readByte() }
        #expect(throws: PickleError.self) { try input.skip(1) }
    }
}
