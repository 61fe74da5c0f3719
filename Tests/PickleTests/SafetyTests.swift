import Arrays
import Pickle
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hostile files written by Python (Tests/Fixtures/malicious/generate.py, which checked that
/// Python's own loader runs each one) are refused at load, and nothing runs.
@Suite struct SafetyTests {
    static let folder = Fixtures.root + "/malicious"
    static let files = Fixtures.listDirectory(folder).filter { !$0.hasSuffix(".py") }

    @Test(arguments: files)
    func hostileFilesAreRefusedAndNothingRuns(_ file: String) {
        let stem = String(file.prefix { $0 != "." })
        let marker = "/tmp/augur-marker-\(stem)"
        unlink(marker)
        #expect {
            _ = try ModelFile.load(path: "\(Self.folder)/\(file)")
        } throws: { error in
            guard let failure = error as? PickleError else { return false }
            // Either the global is refused by name, or BUILD on a global is.
            return (failure.code == .forbiddenGlobal && failure.message.contains("refused global"))
                || (failure.code == .malformed && failure.opcode == "BUILD")
        }
        #expect(access(marker, F_OK) != 0, "\(file) created its marker")
    }

    @Test func everyKindOfAttackIsCovered() {
        #expect(Self.files.count >= 9)
        #expect(Self.files.contains("joblib_appended.joblib"))
        #expect(Self.files.contains("build_on_global.pkl"))
    }

    @Test func theRefusalNamesTheGlobalAndItsOffset() throws {
        let error = try #require(throws: PickleError.self) {
            _ = try ModelFile.load(path: "\(Self.folder)/joblib_appended.joblib")
        }
        #expect(error.message.contains("posix.system"))
        #expect(error.offset > 400)
        #expect(error.opcode == "STACK_GLOBAL")
    }

    @Test func aBenignModelStillLoadsAfterTheAttacks() throws {
        for file in Self.files {
            _ = try? ModelFile.load(path: "\(Self.folder)/\(file)")
        }
        let fixture = try #require(ModelFixture.all.first)
        _ = try ModelFile.load(path: fixture.modelPath)
    }

    @Test(arguments: [
        ("os", "system"), ("posix", "system"), ("nt", "system"), ("subprocess", "Popen"),
        ("subprocess", "check_output"), ("builtins", "eval"), ("builtins", "exec"),
        ("builtins", "getattr"), ("builtins", "__import__"), ("builtins", "open"),
        ("__builtin__", "eval"), ("importlib", "import_module"), ("pickle", "loads"),
        ("_pickle", "loads"), ("runpy", "run_path"), ("webbrowser", "open"),
        ("numpy", "__builtins__"), ("numpy.testing._private.utils.os", "system"),
        ("numpy", "load"), ("sys", "modules"), ("ctypes", "CDLL"), ("operator", "attrgetter"),
        ("numpy.f2py", "compile"), ("shutil", "rmtree"), ("socket", "socket"),
        ("numpy", "ctypeslib.os.system"), ("sklearn", "__class__"), ("numpy", ""),
    ])
    func codeRunningGlobalsAreRefused(module: String, name: String) {
        #expect(GlobalPolicy.refusal(module: module, name: name) != nil, "\(module).\(name)")
    }

    /// Names that real scikit-learn files contain (../shared/pickle-notes.md, section 3).
    @Test(arguments: [
        ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"), ("numpy", "dtype"), ("numpy._core.numeric", "_frombuffer"),
        ("numpy.core.multiarray", "scalar"), ("numpy", "log1p"),
        ("numpy.core._multiarray_umath", "expm1"), ("numpy.random._pickle", "__randomstate_ctor"),
        ("numpy.random._pickle", "__bit_generator_ctor"), ("numpy.random._pcg64", "PCG64"),
        ("numpy.random.bit_generator", "__pyx_unpickle_SeedSequence"),
        ("numpy.ma.core", "_mareconstruct"),
        ("joblib.numpy_pickle", "NumpyArrayWrapper"), ("_codecs", "encode"), ("builtins", "slice"),
        ("__builtin__", "set"), ("builtins", "bytearray"), ("collections", "OrderedDict"),
        ("collections", "defaultdict"), ("functools", "partial"), ("copyreg", "_reconstructor"),
        ("sklearn.tree._tree", "Tree"), ("_loss", "__pyx_unpickle_CyHalfBinomialLoss"),
        ("sklearn.utils.validation", "check_array"), ("scipy.sparse._csr", "csr_matrix"),
        ("sklearn.linear_model._logistic", "LogisticRegression"),
        ("xgboost.sklearn", "XGBClassifier"),
    ])
    func namesInRealModelFilesAreAllowed(module: String, name: String) {
        #expect(GlobalPolicy.refusal(module: module, name: name) == nil, "\(module).\(name)")
    }
}

/// Inputs built to exhaust the stack or memory fail with a limit error, never a crash.
@Suite struct NestingLimitTests {
    static let limits = PickleMachine.Limits()

    @Test func aMillionNestedTuplesAreRefused() {
        // NONE, then TUPLE1 a million times: each wraps the one before.
        let bytes: [UInt8] =
            [0x80, 0x02, 0x4E] + [UInt8](repeating: 0x85, count: 1_000_000) + [0x2E]
        #expect {
            _ = try PickleMachine().load(bytes)
        } throws: { ($0 as? PickleError)?.code == .limitExceeded }
    }

    @Test func listsNestedAfterBeingStoredAreMeasuredAtTheEnd() {
        // Build a chain of lists outermost first: each new list is appended to the previous
        // one (kept in memo 0 → 1 → …) before it gets a child, so no depth is visible at the
        // time each list is stored. EMPTY_LIST MEMOIZE, then per level: BINGET last,
        // EMPTY_LIST, MEMOIZE, APPEND, POP.
        var bytes: [UInt8] = [0x80, 0x04, 0x5D, 0x94]
        let levels = 100_000
        for level in 0..<levels {
            // LONG_BINGET level
            bytes += [0x6A] + withUnsafeBytes(of: UInt32(level).littleEndian, Array.init)
            bytes += [0x5D, 0x94, 0x61, 0x30]  // EMPTY_LIST MEMOIZE APPEND POP
        }
        bytes += [0x6A] + withUnsafeBytes(of: UInt32(0).littleEndian, Array.init) + [0x2E]
        #expect {
            _ = try PickleMachine().load(bytes)
        } throws: { ($0 as? PickleError)?.code == .limitExceeded }
    }

    @Test func aListThatContainsItselfIsRefused() {
        // EMPTY_LIST MEMOIZE BINGET 0 APPEND STOP: l = []; l.append(l). Python pickles such a
        // list, but a cycle is never freed by reference counting (found by fuzzing: see
        // FuzzRegressionTests).
        #expect {
            _ = try PickleMachine().load([0x80, 0x04, 0x5D, 0x94, 0x68, 0x00, 0x61, 0x2E])
        } throws: { ($0 as? PickleError)?.code == .unsupported }
    }

    @Test func aDeepStructureBeforeAnErrorIsReleasedSafely() {
        // The same chain of lists as above, then a byte that is no opcode: the failed load
        // must release 100,000 nested lists without recursing.
        var bytes: [UInt8] = [0x80, 0x04, 0x5D, 0x94]
        for level in 0..<100_000 {
            bytes += [0x6A] + withUnsafeBytes(of: UInt32(level).littleEndian, Array.init)
            bytes += [0x5D, 0x94, 0x61, 0x30]
        }
        bytes += [0xFF]
        #expect {
            _ = try PickleMachine().load(bytes)
        } throws: { ($0 as? PickleError)?.code == .unknownOpcode }
    }

    @Test func sharedSubgraphsAreCountedOnce() throws {
        // t = (); then t = (t, t) 60 times: 2^60 paths, 60 levels, linear time.
        var bytes: [UInt8] = [0x80, 0x04, 0x29]
        for _ in 0..<60 { bytes += [0x32, 0x86] }  // DUP TUPLE2
        bytes += [0x2E]
        _ = try PickleMachine().load(bytes)
    }
}
