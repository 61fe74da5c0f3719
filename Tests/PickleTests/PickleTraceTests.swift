import Pickle
import Testing

/// The opt-in record of a load's protocol and globals (`augur inspect` uses it).
@Suite struct PickleTraceTests {
    static func load(_ bytes: [UInt8]) -> (PickleTrace, PickleError?) {
        let trace = PickleTrace()
        var machine = PickleMachine()
        machine.trace = trace
        do {
            _ = try machine.load(bytes)
            return (trace, nil)
        } catch {
            return (trace, error)
        }
    }

    @Test func recordsTheProtocolAndEachGlobalOnceInOrder() {
        // PROTO 2; GLOBAL numpy.core.multiarray scalar; GLOBAL numpy dtype twice; tuple; STOP
        let text = "cnumpy.core.multiarray\nscalar\ncnumpy\ndtype\ncnumpy\ndtype\n"
        let (trace, error) = Self.load([0x80, 0x02] + Array(text.utf8) + [0x87, 0x2E])
        #expect(error == nil)
        #expect(trace.protocolVersion == 2)
        #expect(trace.globals == ["numpy.core.multiarray.scalar", "numpy.dtype"])
        #expect(trace.modules == ["numpy.core.multiarray", "numpy"])
    }

    @Test func recordsStackGlobalsAndOnlyTheFirstProtocol() {
        // PROTO 4; SHORT_BINUNICODE "numpy._core.multiarray", "scalar"; STACK_GLOBAL; PROTO 5
        let module = Array("numpy._core.multiarray".utf8)
        let name = Array("scalar".utf8)
        let bytes: [UInt8] =
            [0x80, 0x04, 0x8C, UInt8(module.count)] + module + [0x8C, UInt8(name.count)] + name
            + [0x93, 0x80, 0x05, 0x2E]
        let (trace, error) = Self.load(bytes)
        #expect(error == nil)
        #expect(trace.protocolVersion == 4)
        #expect(trace.globals == ["numpy._core.multiarray.scalar"])
    }

    @Test func aStreamWithoutProtoHasNoProtocol() {
        let (trace, error) = Self.load(Array("(dp0\n.".utf8))
        #expect(error == nil)
        #expect(trace.protocolVersion == nil)
        #expect(trace.globals.isEmpty)
    }

    @Test func aRefusedGlobalIsRecordedBeforeTheLoadFails() {
        let (trace, error) = Self.load([0x80, 0x02] + Array("cposix\nsystem\n.".utf8))
        #expect(error?.code == .forbiddenGlobal)
        #expect(trace.globals == ["posix.system"])
    }

    @Test func aMachineWithoutATraceLoadsAsBefore() throws {
        let machine = PickleMachine()
        #expect(machine.trace == nil)
        let value = try machine.load([0x80, 0x02] + Array("cnumpy\ndtype\n.".utf8))
        guard case .global(let module, let name) = value else {
            Issue.record("expected a global, got \(value.kindName)")
            return
        }
        #expect(module == "numpy" && name == "dtype")
    }
}
