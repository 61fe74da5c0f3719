import Arrays
import Pickle
import TestSupport
import Testing

/// The schema layer of skops files: each node type becomes what a pickle of the same object
/// records, and each hostile schema gets a clear error.
@Suite struct SkopsFileTests {
    // MARK: - Same graph as the pickle

    /// Models whose skops file and joblib file give the very same value graph. The others
    /// differ only where the formats record the same object differently (loss objects,
    /// RandomState and Generator, which no predictor reads).
    static let sameGraph = [
        "skops-logistic-string-labels", "skops-ridge", "skops-decision-tree",
        "skops-random-forest-nan", "skops-extra-trees", "skops-kmeans", "skops-standard-scaler",
        "skops-minmax-scaler", "skops-dummy-prior", "skops-pipeline-columns",
        "skops-target-log1p", "skops-isolation-forest", "skops-logistic-cv-string-labels",
        "skops-logistic-cv-binary",
    ]

    @Test(arguments: sameGraph)
    func skopsFileGivesThePickleGraph(_ name: String) throws {
        let folder = "\(ConformanceFixture.root)/sklearn-1.9.1"
        let pickled = try ModelFile.load(path: "\(folder)/\(name).joblib")
        let skops = try ModelFile.load(path: "\(folder)/\(name).skops")
        var differences: [String] = []
        try Self.compare(pickled, skops, "root", &differences)
        #expect(differences.isEmpty, "\(differences.prefix(5))")
    }

    /// Reports where two graphs differ, reading arrays in all their pickled forms.
    static func compare(
        _ left: PickleValue,
        _ right: PickleValue,
        _ path: String,
        _ differences: inout [String]
    ) throws {
        if let first = try ArrayDecoder.array(left), let second = try ArrayDecoder.array(right) {
            guard first.dtype == second.dtype, first.shape == second.shape else {
                differences.append(
                    "\(path): \(first.dtype)\(first.shape) vs \(second.dtype)\(second.shape)"
                )
                return
            }
            switch (first.storage, second.storage) {
            case (.raw(let a), .raw(let b)) where a == b: return
            case (.objects(let a), .objects(let b)):
                for (index, (x, y)) in zip(a, b).enumerated() {
                    try compare(x, y, "\(path)[\(index)]", &differences)
                }
            default: differences.append("\(path): array elements differ")
            }
            return
        }
        switch (left, right) {
        case (.none, .none): return
        case (.bool(let a), .bool(let b)) where a == b: return
        case (.int(let a), .int(let b)) where a == b: return
        case (.bigInt(let a), .bigInt(let b)) where a == b: return
        case (.float(let a), .float(let b))
        where a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN):
            return
        case (.string(let a), .string(let b)) where a == b: return
        case (.bytes(let a), .bytes(let b)) where a == b: return
        case (.global(let m1, let n1), .global(let m2, let n2)) where m1 == m2 && n1 == n2: return
        case (.slice(let a1, let b1, let c1), .slice(let a2, let b2, let c2)):
            try compare(a1, a2, path + ".start", &differences)
            try compare(b1, b2, path + ".stop", &differences)
            try compare(c1, c2, path + ".step", &differences)
        case (.tuple(let a), .tuple(let b)):
            try compareItems(a, b, path, &differences)
        case (.list(let a), .list(let b)), (.set(let a), .set(let b)):
            try compareItems(a.items, b.items, path, &differences)
        case (.dict(let a), .dict(let b)):
            try compareEntries(a.entries, b.entries, path, &differences)
        case (.object(let a), .object(let b)):
            guard a.qualifiedName == b.qualifiedName else {
                differences.append(
                    "\(path): \(a.qualifiedName ?? "?") vs \(b.qualifiedName ?? "?")"
                )
                return
            }
            try compareItems(a.arguments, b.arguments, path + " arguments", &differences)
            try compare(a.state ?? .none, b.state ?? .none, path, &differences)
            try compareItems(a.listItems, b.listItems, path + " items", &differences)
            try compareEntries(a.dictItems, b.dictItems, path + " items", &differences)
        default:
            differences.append("\(path): \(left.kindName) vs \(right.kindName)")
        }
    }

    static func compareItems(
        _ a: [PickleValue],
        _ b: [PickleValue],
        _ path: String,
        _ differences: inout [String]
    ) throws {
        guard a.count == b.count else {
            differences.append("\(path): \(a.count) vs \(b.count) items")
            return
        }
        for (index, (x, y)) in zip(a, b).enumerated() {
            try compare(x, y, "\(path)[\(index)]", &differences)
        }
    }

    static func compareEntries(
        _ a: [(key: PickleValue, value: PickleValue)],
        _ b: [(key: PickleValue, value: PickleValue)],
        _ path: String,
        _ differences: inout [String]
    ) throws {
        guard a.count == b.count else {
            differences.append("\(path): \(a.count) vs \(b.count) entries")
            return
        }
        for (x, y) in zip(a, b) {
            try compare(x.key, y.key, path + " key", &differences)
            let name = if case .string(let key) = x.key { key } else { "?" }
            try compare(x.value, y.value, path + "." + name, &differences)
        }
    }

    // MARK: - Node types

    @Test func readsJSONScalarsAsPythonWould() throws {
        let root = listNode([
            jsonNode("\"text\""), jsonNode("12"), jsonNode("-0.5"), jsonNode("true"),
            jsonNode("null"), jsonNode("NaN"), jsonNode("123456789012345678901234567890"),
            jsonNode("-340282366920938463463374607431768211456"),
        ])
        guard case .list(let list) = try SkopsFile.load(skopsFile(root)) else {
            Issue.record("not a list")
            return
        }
        let items = list.items
        #expect(items.count == 8)
        guard items.count == 8 else { return }
        #expect(items[0].kindName == "str")
        if case .int(let number) = items[1] { #expect(number == 12) } else { Issue.record("int") }
        if case .float(let number) = items[2] {
            #expect(number == -0.5)
        } else {
            Issue.record("float")
        }
        if case .bool(let flag) = items[3] { #expect(flag) } else { Issue.record("bool") }
        if case .none = items[4] {} else { Issue.record("None") }
        if case .float(let number) = items[5] { #expect(number.isNaN) } else { Issue.record("NaN") }
        // 123456789012345678901234567890 = 0x18EE90FF6C373E0EE4E3F0AD2, little-endian.
        let expected: [UInt8] = [
            0xD2, 0x0A, 0x3F, 0x4E, 0xEE, 0xE0, 0x73, 0xC3, 0xF6, 0x0F, 0xE9, 0x8E, 0x01,
        ]
        if case .bigInt(let bytes) = items[6] {
            #expect(bytes == expected)
        } else {
            Issue.record("big")
        }
        // −2¹²⁸: sixteen zero bytes and 0xFF.
        if case .bigInt(let bytes) = items[7] {
            #expect(bytes == Array(repeating: 0, count: 16) + [0xFF])
        } else {
            Issue.record("negative big")
        }
    }

    @Test func dictKeysGetTheirTypesBack() throws {
        let keyTypes = listNode(
            ["int", "float", "bool", "str"].map {
                skopsNode("TypeNode", "builtins", $0)
            }
        )
        let root = skopsNode(
            "DictNode",
            "builtins",
            "dict",
            "\"content\": {\"3\": \(jsonNode("1")), \"0.5\": \(jsonNode("2")), "
                + "\"True\": \(jsonNode("3")), \"x\": \(jsonNode("4"))}, \"key_types\": \(keyTypes)"
        )
        guard case .dict(let dict) = try SkopsFile.load(skopsFile(root)) else {
            Issue.record("not a dict")
            return
        }
        let keys = dict.entries.map(\.key)
        guard keys.count == 4 else {
            Issue.record("\(keys.count) keys")
            return
        }
        if case .int(3) = keys[0] {} else { Issue.record("int key \(keys[0].kindName)") }
        if case .float(0.5) = keys[1] {} else { Issue.record("float key") }
        if case .bool(true) = keys[2] {} else { Issue.record("bool key") }
        if case .string("x") = keys[3] {} else { Issue.record("str key") }
    }

    @Test func aRepeatedIdIsTheSameObject() throws {
        let inner = skopsNode(
            "ObjectNode",
            "sklearn.preprocessing._data",
            "StandardScaler",
            id: 7,
            "\"content\": \(dictNode([("with_mean", jsonNode("true"))]))"
        )
        let cached = skopsNode("CachedNode", "x", "y", id: 7)
        guard case .list(let list) = try SkopsFile.load(skopsFile(listNode([inner, cached]))),
            case .object(let first) = list.items[0], case .object(let second) = list.items[1]
        else {
            Issue.record("not two objects")
            return
        }
        #expect(first === second)
        #expect(first.qualifiedName == "sklearn.preprocessing._data.StandardScaler")
        #expect(first.stateDict?["with_mean"] != nil)
    }

    @Test func readsNpyHeadersOfEveryVersionAndOrder() throws {
        let values: [Double] = [1, 2, 3, 4, 5, 6]
        let bigEndian = values.flatMap { value in
            (0..<8).reversed().map { UInt8((value.bitPattern >> (8 * UInt64($0))) & 0xFF) }
        }
        let files: [(String, [UInt8])] = [
            (
                "v1.npy",
                npy(
                    "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
                    float64Bytes(values)
                )
            ),
            (
                "v2.npy",
                npy(
                    "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
                    float64Bytes(values),
                    version: 2
                )
            ),
            (
                "v3.npy",
                npy(
                    "{'descr': '>f8', 'fortran_order': False, 'shape': (2, 3), }",
                    bigEndian,
                    version: 3
                )
            ),
            // Column-major: the same matrix stored column by column.
            (
                "f.npy",
                npy(
                    "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                    float64Bytes([1, 4, 2, 5, 3, 6])
                )
            ),
        ]
        let root = listNode(
            files.map {
                skopsNode(
                    "NdArrayNode",
                    "numpy",
                    "ndarray",
                    "\"type\": \"numpy\", \"file\": \"\($0.0)\""
                )
            }
        )
        guard case .list(let list) = try SkopsFile.load(skopsFile(root, members: files)) else {
            Issue.record("not a list")
            return
        }
        for (item, file) in zip(list.items, files) {
            let array = try #require(try ArrayDecoder.array(item), "\(file.0)")
            #expect(array.shape == [2, 3], "\(file.0)")
            #expect(try array.doubles() == values, "\(file.0)")
        }
    }

    @Test func readsTreeNodeRecordsWithTheirPadding() throws {
        let header =
            "{'descr': [('left', '<i8'), ('flag', '|u1'), ('', '|V7')], "
            + "'fortran_order': False, 'shape': (2,), }"
        var data: [UInt8] = []
        for (left, flag) in [(5, 1), (-1, 0)] as [(Int64, UInt8)] {
            data += (0..<8).map { UInt8((UInt64(bitPattern: left) >> (8 * UInt64($0))) & 0xFF) }
            data += [flag] + Array(repeating: 0, count: 7)
        }
        let root = skopsNode(
            "NdArrayNode",
            "numpy",
            "ndarray",
            "\"type\": \"numpy\", \"file\": \"n.npy\""
        )
        let value = try SkopsFile.load(skopsFile(root, members: [("n.npy", npy(header, data))]))
        let array = try #require(try ArrayDecoder.array(value))
        #expect(array.dtype.itemSize == 16)
        #expect(try array.fieldIntegers("left") == [5, -1])
        #expect(try array.fieldIntegers("flag") == [1, 0])
    }

    @Test func readsObjectArraysOfOneAndTwoDimensions() throws {
        let shape1 = skopsNode("TupleNode", "builtins", "tuple", "\"content\": [\(jsonNode("2"))]")
        let shape2 = skopsNode(
            "TupleNode",
            "builtins",
            "tuple",
            "\"content\": [\(jsonNode("2")), \(jsonNode("1"))]"
        )
        let one = skopsNode(
            "NdArrayNode",
            "numpy",
            "ndarray",
            "\"type\": \"json\", \"content\": [\(jsonNode("\"a\"")), \(jsonNode("\"b\""))], \"shape\": \(shape1)"
        )
        let rowA = listNode([jsonNode("\"a\"")])
        let rowB = listNode([jsonNode("\"b\"")])
        let two = skopsNode(
            "NdArrayNode",
            "numpy",
            "ndarray",
            "\"type\": \"json\", \"content\": [\(rowA), \(rowB)], \"shape\": \(shape2)"
        )
        guard case .list(let list) = try SkopsFile.load(skopsFile(listNode([one, two]))) else {
            Issue.record("not a list")
            return
        }
        let first = try #require(try ArrayDecoder.array(list.items[0]))
        let second = try #require(try ArrayDecoder.array(list.items[1]))
        #expect(try first.strings() == ["a", "b"])
        #expect(second.shape == [2, 1])
        #expect(try second.strings() == ["a", "b"])
    }

    @Test func partialIsRecordedAsAPickleRecordsIt() throws {
        let content =
            "\"content\": {\"func\": \(skopsNode("FunctionNode", "numpy", "log1p")), "
            + "\"args\": \(skopsNode("TupleNode", "builtins", "tuple", "\"content\": []")), "
            + "\"kwds\": \(dictNode([("dtype", jsonNode("\"float64\""))])), "
            + "\"namespace\": \(jsonNode("null"))}"
        let root = skopsNode("PartialNode", "functools", "partial", content)
        guard case .object(let object) = try SkopsFile.load(skopsFile(root)),
            case .tuple(let state)? = object.state
        else {
            Issue.record("not a partial object")
            return
        }
        #expect(object.qualifiedName == "functools.partial")
        #expect(state.count == 4)
        if case .global("numpy", "log1p")? = object.arguments.first {
        } else {
            Issue.record("function")
        }
    }

    @Test func otherNodeTypesBecomeWhatAPickleRecords() throws {
        func int64Bytes(_ values: [Int64]) -> [UInt8] {
            values.flatMap { value in (0..<8).map { UInt8((value >> (8 * Int64($0))) & 0xFF) } }
        }
        var npz = SkopsTestZip()
        npz.add(
            "data.npy",
            npy(
                "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                float64Bytes([1.5, -2])
            )
        )
        npz.add(
            "indices.npy",
            npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", int64Bytes([0, 2]))
        )
        npz.add(
            "indptr.npy",
            npy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", int64Bytes([0, 1, 2]))
        )
        npz.add(
            "format.npy",
            npy("{'descr': '|S3', 'fortran_order': False, 'shape': (), }", Array("csr".utf8))
        )
        npz.add(
            "shape.npy",
            npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", int64Bytes([2, 3]))
        )
        let empty = npy("{'descr': '<u4', 'fortran_order': False, 'shape': (0,), }", [])
        let nodes = [
            skopsNode(
                "SparseMatrixNode",
                "scipy.sparse._csr",
                "csr_matrix",
                "\"type\": \"scipy\", \"file\": \"m.npz\""
            ),
            skopsNode("SetNode", "builtins", "set", "\"content\": [\(jsonNode("1"))]"),
            skopsNode(
                "DefaultDictNode",
                "collections",
                "defaultdict",
                "\"content\": {\"main\": \(dictNode([("a", jsonNode("1"))])), "
                    + "\"default_factory\": \(skopsNode("TypeNode", "builtins", "list"))}"
            ),
            skopsNode("BytesNode", "builtins", "bytes", "\"file\": \"b.bin\""),
            skopsNode("BytearrayNode", "builtins", "bytearray", "\"file\": \"b.bin\""),
            skopsNode(
                "ConstructorFromReduceNode",
                "datetime",
                "timezone",
                "\"content\": \(skopsNode("TupleNode", "builtins", "tuple", "\"content\": []"))"
            ),
            skopsNode(
                "SliceNode",
                "builtins",
                "slice",
                "\"content\": {\"start\": 1, \"stop\": null, \"step\": 2}"
            ),
            skopsNode(
                "DTypeNode",
                "numpy",
                "dtype",
                "\"content\": "
                    + skopsNode(
                        "NdArrayNode",
                        "numpy",
                        "ndarray",
                        "\"type\": \"numpy\", \"file\": \"e.npy\""
                    )
            ),
            skopsNode(
                "RandomStateNode",
                "numpy.random.mtrand",
                "RandomState",
                "\"content\": \(dictNode([("bit_generator", jsonNode("\"MT19937\""))]))"
            ),
            skopsNode(
                "ListNode",
                "sklearn.utils",
                "ListSubclass",
                "\"content\": [\(jsonNode("1"))]"
            ),
            skopsNode(
                "DictNode",
                "sklearn.utils._bunch",
                "Bunch",
                "\"content\": {\"a\": \(jsonNode("1"))}, \"key_types\": "
                    + listNode([skopsNode("TypeNode", "builtins", "str")])
            ),
        ]
        let file = skopsFile(
            listNode(nodes),
            members: [("m.npz", npz.bytes), ("b.bin", [0, 255]), ("e.npy", empty)]
        )
        guard case .list(let list) = try SkopsFile.load(file), list.items.count == nodes.count
        else {
            Issue.record("not a list of \(nodes.count)")
            return
        }
        let items = list.items
        if case .object(let matrix) = items[0], let state = matrix.stateDict {
            #expect(matrix.qualifiedName == "scipy.sparse._csr.csr_matrix")
            #expect(try ArrayDecoder.array(state["data"] ?? .none)?.doubles() == [1.5, -2])
            if case .tuple(let shape)? = state["_shape"] {
                #expect(shape.count == 2)
            } else {
                Issue.record("sparse shape")
            }
        } else {
            Issue.record("sparse matrix")
        }
        if case .set(let set) = items[1] {
            #expect(set.items.count == 1)
        } else {
            Issue.record("set")
        }
        if case .dict(let dict) = items[2] {
            #expect(dict["a"] != nil)
        } else {
            Issue.record("defaultdict")
        }
        if case .bytes([0, 255]) = items[3] {} else { Issue.record("bytes") }
        if case .bytes([0, 255]) = items[4] {} else { Issue.record("bytearray") }
        if case .object(let zone) = items[5] {
            #expect(zone.qualifiedName == "datetime.timezone")
            #expect(zone.construction == .reduce)
        } else {
            Issue.record("constructor")
        }
        if case .slice(.int(1), .none, .int(2)) = items[6] {} else { Issue.record("slice") }
        if case .object(let dtype) = items[7] {
            #expect(dtype.qualifiedName == "numpy.dtype")
            if case .string("u4")? = dtype.arguments.first {} else { Issue.record("dtype string") }
        } else {
            Issue.record("dtype")
        }
        if case .object(let random) = items[8] {
            #expect(random.qualifiedName == "numpy.random.mtrand.RandomState")
            #expect(random.stateDict?["bit_generator"] != nil)
        } else {
            Issue.record("random state")
        }
        if case .object(let subclass) = items[9] {
            #expect(subclass.listItems.count == 1)
        } else {
            Issue.record("list subclass")
        }
        if case .object(let bunch) = items[10] {
            #expect(bunch.dictItems.count == 1)
        } else {
            Issue.record("Bunch")
        }
    }

    @Test func aSparseMatrixOfAnotherFormatIsRefused() {
        var npz = SkopsTestZip()
        npz.add(
            "format.npy",
            npy("{'descr': '|S3', 'fortran_order': False, 'shape': (), }", Array("coo".utf8))
        )
        let root = skopsNode(
            "SparseMatrixNode",
            "scipy.sparse._csr",
            "csr_matrix",
            "\"type\": \"scipy\", \"file\": \"m.npz\""
        )
        let error = skopsError(skopsFile(root, members: [("m.npz", npz.bytes)]))
        #expect(error?.message.contains("another format") == true)
    }

    // MARK: - Hostile schemas

    @Test(arguments: [
        ("ObjectNode", "os", "system"), ("FunctionNode", "builtins", "eval"),
        ("TypeNode", "subprocess", "Popen"), ("FunctionNode", "numpy", "load"),
        ("OperatorFuncNode", "operator", "attrgetter"),
    ])
    func refusesGlobalsThePolicyRefuses(_ loader: String, _ module: String, _ name: String) {
        let error = skopsError(skopsFile(skopsNode(loader, module, name, "\"attrs\": null")))
        #expect(error?.code == .unsupported)
        #expect(
            error?.message.contains("names \(module).\(name)") == true,
            "\(error?.message ?? "")"
        )
    }

    @Test func refusesAProtocol0FunctionThatNamesEval() {
        let root = skopsNode(
            "FunctionNode",
            "builtins",
            "function",
            "\"content\": {\"module_path\": \"builtins\", \"function\": \"eval\"}"
        )
        #expect(skopsError(skopsFile(root, protocol: 0))?.message.contains("builtins.eval") == true)
    }

    @Test func refusesARandomGeneratorThatNamesSomethingElse() {
        let state = dictNode([("bit_generator", jsonNode("\"os\""))])
        let root = skopsNode(
            "RandomGeneratorNode",
            "numpy.random._generator",
            "Generator",
            "\"content\": {\"bit_generator\": \(state), \"seed_seq\": \(dictNode([]))}"
        )
        #expect(skopsError(skopsFile(root))?.message.contains("numpy.random.os") == true)
    }

    @Test func refusesBoundMethods() {
        let root = skopsNode(
            "MethodNode",
            "sklearn.preprocessing._data",
            "StandardScaler",
            "\"content\": {\"func\": \"fit\", \"obj\": \(jsonNode("1"))}"
        )
        #expect(skopsError(skopsFile(root))?.message.contains("bound method") == true)
    }

    @Test func namesAnUnknownNodeType() {
        let error = skopsError(skopsFile(skopsNode("PickleNode", "builtins", "object")))
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("unknown type 'PickleNode'") == true)
    }

    @Test func refusesACycleThroughAnId() {
        let inner = skopsNode("CachedNode", "x", "y", id: 5)
        let root = skopsNode(
            "ObjectNode",
            "sklearn.dummy",
            "DummyClassifier",
            id: 5,
            "\"content\": \(dictNode([("self", inner)]))"
        )
        #expect(skopsError(skopsFile(root))?.message.contains("a cycle") == true)
        let repeated = skopsNode(
            "ObjectNode",
            "sklearn.dummy",
            "DummyClassifier",
            id: 5,
            "\"content\": \(dictNode([("self", skopsNode("TypeNode", "builtins", "int", id: 5))]))"
        )
        #expect(skopsError(skopsFile(repeated))?.message.contains("a cycle") == true)
    }

    @Test func refusesACachedNodeForAnUnknownId() {
        let error = skopsError(skopsFile(skopsNode("CachedNode", "x", "y", id: 99)))
        #expect(error?.message.contains("no earlier node has") == true)
    }

    /// Sharing through ids can stack subtrees deeper than the JSON nests; past the pickle
    /// machine's depth the file is refused.
    @Test func refusesNestingDeeperThanThePickleMachineAllows() {
        func nested(_ levels: Int, around inner: String) -> String {
            (0..<levels).reduce(inner) { text, _ in listNode([text]) }
        }
        var parts: [String] = []
        var inner = jsonNode("0")
        for step in 1...6 {
            parts.append(listNode([nested(80, around: inner)], id: 1_000 + step))
            inner = skopsNode("CachedNode", "x", "y", id: 1_000 + step)
        }
        let error = skopsError(skopsFile(listNode(parts)))
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("deeper than 400") == true)
    }

    @Test func refusesHugeShapesWithoutAllocatingThem() {
        let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776, 1024), }"
        let root = skopsNode(
            "NdArrayNode",
            "numpy",
            "ndarray",
            "\"type\": \"numpy\", \"file\": \"h.npy\""
        )
        let error = skopsError(skopsFile(root, members: [("h.npy", npy(header, [0]))]))
        #expect(error?.message.contains("too large") == true, "\(error?.message ?? "")")
        let fits = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000,), }"
        let short = skopsError(skopsFile(root, members: [("h.npy", npy(fits, [0]))]))
        #expect(short?.message.contains("needs 8000000 bytes") == true)
    }

    @Test(arguments: [
        "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
        "{'descr': '<M8[ns]', 'fortran_order': False, 'shape': (1,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}",
        "{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1), }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }",
        "__import__('os')",
    ])
    func refusesNpyHeadersNumpyWouldRefuse(_ header: String) {
        let root = skopsNode(
            "NdArrayNode",
            "numpy",
            "ndarray",
            "\"type\": \"numpy\", \"file\": \"x.npy\""
        )
        #expect(
            skopsError(skopsFile(root, members: [("x.npy", npy(header, float64Bytes([1])))])) != nil
        )
    }

    @Test func refusesProtocolsItDoesNotKnow() {
        let root = skopsNode("TypeNode", "builtins", "int")
        #expect(skopsError(skopsFile(root, protocol: 3))?.code == .unsupported)
        var schema = String(root.dropLast()) + ", \"protocol\": true}"
        var zip = SkopsTestZip()
        zip.add("schema.json", text: schema)
        #expect(skopsError(zip.bytes)?.message.contains("no integer protocol") == true)
        schema = "[1, 2]"
        zip = SkopsTestZip()
        zip.add("schema.json", text: schema)
        #expect(skopsError(zip.bytes) != nil)
    }

    @Test func refusesARepeatedKeyInANode() {
        let root =
            "{\"__loader__\": \"TypeNode\", \"__module__\": \"builtins\", "
            + "\"__class__\": \"int\", \"__class__\": \"eval\"}"
        #expect(skopsError(skopsFile(root))?.message.contains("repeats the key") == true)
    }
}
