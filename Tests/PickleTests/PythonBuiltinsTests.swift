import Pickle
import TestSupport
import Testing

/// One file of `Tests/Fixtures/pickles/builtins/`: a builtin value pickled with one protocol.
struct BuiltinFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let protocolVersion: Int
    var testDescription: String { "\(name).p\(protocolVersion)" }

    static let folder = "pickles/builtins"
    static let expected: TestJSON? = try? TestJSON.read(
        path: "\(Fixtures.root)/\(folder)/expected.json"
    )

    /// Every case generate.py wrote, with every protocol it wrote it with.
    static let all: [BuiltinFixture] = {
        guard case .object(let cases)? = expected?["cases"],
            let protocols = expected?["protocols"]?.array?.compactMap(\.double)
        else { return [] }
        return cases.keys.sorted().flatMap { name in
            protocols.map { BuiltinFixture(name: name, protocolVersion: Int($0)) }
        }
    }()
}

/// `slice`, `complex` and `object()` become values when a load ends, whichever protocol
/// wrote them; anything Python would not accept stays a recorded call.
@Suite struct PythonBuiltinsTests {
    /// `pickle.dumps(value, protocol=N)` by Tests/Fixtures/pickles/generate.py, compared with
    /// what Python read off the value itself.
    @Test(arguments: BuiltinFixture.all)
    func loadsWhatPythonPickled(_ fixture: BuiltinFixture) throws {
        let expected = try #require(BuiltinFixture.expected?["cases"]?[fixture.name])
        let data = try fixtureBytes("\(BuiltinFixture.folder)/\(fixture.testDescription).pkl")
        if fixture.protocolVersion < 4 {
            // These protocols write Python 2's module name, `__builtin__`.
            #expect(String(decoding: data, as: UTF8.self).contains("__builtin__"))
        }
        let value = try PickleMachine().load(data)
        switch (expected["type"]?.string, value) {
        case ("slice", .slice(let start, let stop, let step)):
            #expect(Self.matches(start, expected["start"]), "start \(repr(start))")
            #expect(Self.matches(stop, expected["stop"]), "stop \(repr(stop))")
            #expect(Self.matches(step, expected["step"]), "step \(repr(step))")
        case ("complex", .complex(let real, let imaginary)):
            #expect(real == expected["real"]?.double)
            #expect(imaginary == expected["imag"]?.double)
        case ("object", .plainObject):
            break
        default:
            Issue.record("expected \(expected), loaded \(repr(value))")
        }
    }

    /// Hand-made calls Python would make differently or refuse, and the forms pickle never
    /// writes but Python accepts.
    @Test(arguments: [
        // slice(stop) and slice(start, stop), as Python reads them.
        ("<80><02>c__builtin__\nslice\nK<05><85>R.", "slice(None, 5, None)"),
        ("<80><02>cbuiltins\nslice\nK<01>K<05><86>R.", "slice(1, 5, None)"),
        // No bounds or four: Python refuses them; a container is not taken as a bound.
        ("<80><02>cbuiltins\nslice\n)R.", "builtins.slice()"),
        ("<80><02>cbuiltins\nslice\n(K<01>K<02>K<03>K<04>tR.", "builtins.slice(1, 2, 3, 4)"),
        ("<80><02>cbuiltins\nslice\n]<85>R.", "builtins.slice([])"),
        // State or keywords on a slice are not Python's either.
        ("<80><02>cbuiltins\nslice\nK<01><85>R}b.", "builtins.slice(1).__setstate__({})"),
        ("<80><04>cbuiltins\nslice\nK<01><85>}(<8c><01>kK<02>u<92>.", "builtins.slice(1)"),
        // complex(), complex(real) with an int, and what stays a call.
        ("<80><02>cbuiltins\ncomplex\n)R.", "0j"),
        ("<80><02>cbuiltins\ncomplex\nK<03><85>R.", "(3+0j)"),
        ("<80><02>cbuiltins\ncomplex\nK<00>K<02><86>R.", "2j"),
        ("<80><02>cbuiltins\ncomplex\n<8c><04>1+2j<85>R.", "builtins.complex('1+2j')"),
        ("<80><02>cbuiltins\ncomplex\n(K<01>K<02>K<03>tR.", "builtins.complex(1, 2, 3)"),
        ("<80><02>cbuiltins\ncomplex\n<88><85>R.", "builtins.complex(True)"),
        // object() takes no arguments and no state.
        ("<80><02>cbuiltins\nobject\n)R.", "<object object>"),
        ("<80><02>cbuiltins\nobject\nK<01><85>R.", "builtins.object(1)"),
        ("<80><02>cbuiltins\nobject\n)<81>}b.", "builtins.object().__setstate__({})"),
        // One object() the memo gives twice.
        ("<80><02>cbuiltins\nobject\n)<81>q<00>h<00><86>.", "(<object object>, <object object>)"),
        // copyreg: object() the protocol-0 way, another class with object as its base, and
        // a base Python would refuse for object.
        ("ccopy_reg\n_reconstructor\n(c__builtin__\nobject\np0\ng0\nNtR.", "<object object>"),
        ("ccopy_reg\n_reconstructor\n(cmymod\nK\nc__builtin__\nobject\nNtR.", "mymod.K()"),
        (
            "ccopy_reg\n_reconstructor\n(c__builtin__\nobject\nc__builtin__\nint\nI1\ntR.",
            "__builtin__.object()"
        ),
    ])
    func interpretsOnlyWhatPythonWouldAccept(notation: String, expected: String) throws {
        #expect(repr(try load(notation)) == expected)
    }

    @Test func keepsAClassWithObjectAsItsBaseAnObjectOfThatClass() throws {
        let value = try load("ccopy_reg\n_reconstructor\n(cmymod\nK\nc__builtin__\nobject\nNtR}b.")
        guard case .object(let object) = value else {
            Issue.record("loaded \(repr(value))")
            return
        }
        #expect(object.qualifiedName == "mymod.K")
        #expect(object.construction == .newObject)
        #expect(object.arguments.isEmpty)
        #expect(object.stateDict != nil)
    }

    @Test func namesTheNewKinds() throws {
        #expect(try load("<80><02>cbuiltins\nslice\nK<05><85>R.").kindName == "slice")
        #expect(try load("<80><02>cbuiltins\ncomplex\n)R.").kindName == "complex")
        #expect(try load("<80><02>cbuiltins\nobject\n)R.").kindName == "plain object")
    }

    /// A JSON bound from generate.py: null, an integer or a string.
    static func matches(_ value: PickleValue, _ json: TestJSON?) -> Bool {
        switch (value, json) {
        case (.none, .null?): true
        case (.int(let number), .number(let expected, _)?): Double(number) == expected
        case (.string(let text), .string(let expected)?): text == expected
        default: false
        }
    }
}
