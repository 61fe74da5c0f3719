import Pickle
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Nothing a pickle names is ever called, and state cannot be smuggled onto globals.
@Suite struct PickleSafetyTests {
    /// The C10 trick: give a global attributes with BUILD, hoping a later lookup trusts them.
    @Test func rejectsBuildOnAGlobal() throws {
        let error = try #require(
            loadError(bytes("<80><02>cnumpy\nprod\n}X<01><00><00><00>kK<01>sb."))
        )
        #expect(error.code == .malformed)
        #expect(error.opcode == "BUILD")
        #expect(error.offset == 24)
        #expect(error.message.contains("numpy.prod"))
        #expect(error.description.contains("BUILD"))
    }

    @Test func rejectsBuildOnAGlobalFromStackGlobal() throws {
        let error = try #require(loadError(bytes("<80><04><8c><05>numpy<8c><04>prod<93>}b.")))
        #expect(error.opcode == "BUILD")
        #expect(error.message.contains("numpy.prod"))
    }

    @Test(arguments: [
        "]", "}", ")", "K<01>", "N", "<88>", "<8c><01>s", "C<01>s",
        "G<00><00><00><00><00><00><00><00>",
        "<8f>", "<8a><09><00><00><00><00><00><00><00><00><01>",
    ])
    func rejectsBuildOnAnythingButAnObject(target: String) throws {
        let error = try #require(loadError(bytes("<80><04>" + target + "}b.")))
        #expect(error.code == .malformed)
        #expect(error.opcode == "BUILD")
    }

    @Test func givesStateToConstructedObjects() throws {
        let value = try load("<80><02>cmymod\nK\n)<81>}X<01><00><00><00>kK<01>sb.")
        guard case .object(let object) = value else {
            Issue.record("loaded \(repr(value))")
            return
        }
        #expect(object.stateDict?.stringKeys == ["k"])
        #expect(object.stateDict?["k"].map(repr) == "1")
    }

    /// 100 kB of TUPLE1 nest a tuple 100 000 deep; released recursively, that would
    /// overflow the thread's stack, so the machine refuses the depth.
    @Test func refusesDeeplyNestedValues() {
        let depth = 100_000
        let data: [UInt8] = [0x80, 0x02, 0x29] + [UInt8](repeating: 0x85, count: depth) + [0x2E]
        #expect(loadError(data)?.code == .limitExceeded)
    }

    static let systemExpected: TestJSON? = try? TestJSON.read(
        path: "\(Fixtures.root)/pickles/plain/expected.json"
    )

    /// `pickle.dumps(System(), protocol=N)` where `System.__reduce__` returns
    /// `(os.system, ("touch " + MARKER,))`; see Tests/Fixtures/pickles/generate.py.
    @Test(arguments: [0, 2, 5])
    func refusesACallToOsSystemAndRunsNothing(protocol version: Int) throws {
        let expected = try #require(Self.systemExpected?["system"])
        let marker = try #require(expected["marker"]?.string)
        unlink(marker)
        let error = loadError(try fixtureBytes("pickles/plain/system.p\(version).pkl"))
        #expect(error?.code == .forbiddenGlobal)
        let name = try #require(expected["qualified_name"]?.string)
        #expect(error?.message.contains(name) == true, "\(String(describing: error))")
        #expect(access(marker, F_OK) != 0, "loading the pickle created \(marker)")
    }
}

/// The same Python object pickled with every protocol loads to what Python printed for it.
@Suite struct PythonParityTests {
    static let expected: TestJSON? = try? TestJSON.read(
        path: "\(Fixtures.root)/pickles/plain/expected.json"
    )

    /// `pickle.dumps({"a": [1, 2.5, None, True, b"x", (1,)]}, protocol=N)`, written by
    /// Tests/Fixtures/pickles/generate.py.
    @Test(arguments: 0...5)
    func loadsWhatPythonPickled(protocol version: Int) throws {
        let pythonRepr = try #require(Self.expected?["dict"]?["repr"]?.string)
        let data = try fixtureBytes("pickles/plain/dict.p\(version).pkl")
        let value = try PickleMachine().load(data)
        #expect(repr(withBytesDecoded(value)) == pythonRepr)
        if version >= 2 {
            #expect(data.starts(with: [0x80, UInt8(version)]))
        }
    }

    /// Protocols 0–2 write bytes as `_codecs.encode(str, 'latin1')`, a call Python makes on
    /// load; the test makes it too, so the graph can be compared with Python's repr.
    func withBytesDecoded(_ value: PickleValue) -> PickleValue {
        switch value {
        case .object(let object)
        where object.qualifiedName == "_codecs.encode" && object.arguments.count == 2:
            if case .string(let text) = object.arguments[0] {
                return .bytes(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
            }
            return value
        case .list(let list): return .list(PickleList(list.items.map(withBytesDecoded)))
        case .tuple(let items): return .tuple(items.map(withBytesDecoded))
        case .dict(let dict):
            return .dict(
                PickleDict(
                    dict.entries.map { (withBytesDecoded($0.key), withBytesDecoded($0.value)) }
                )
            )
        default: return value
        }
    }
}
