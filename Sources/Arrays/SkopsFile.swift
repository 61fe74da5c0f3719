import Documents
import Pickle

/// A skops file (`skops.io.dump`): a zip archive whose `schema.json` describes the object
/// tree node by node, with numpy arrays and bytes in members of their own.
///
/// It is read into the same value graph the pickle machine builds for a pickle of the same
/// model (objects with their class and state, arrays as ``NDArray``, Python containers), so
/// everything above reads both alike. As with pickles nothing is run, every class and
/// function the schema names passes ``GlobalPolicy``, and the archive, its members and the
/// schema are checked before anything is built from them.
public enum SkopsFile {
    /// The newest schema protocol this reader knows: skops 0.16's.
    public static let newestProtocol = 2

    /// Reads a skops file's bytes.
    ///
    /// - Parameter maxDecompressedBytes: the most bytes the members read may decompress to
    ///   together (``ModelFile/defaultMaxDecompressedBytes(compressedSize:)`` when nil).
    public static func load(_ bytes: [UInt8], maxDecompressedBytes: Int? = nil)
        throws(ArrayError) -> PickleValue
    {
        let limit = max(
            0,
            maxDecompressedBytes
                ?? ModelFile.defaultMaxDecompressedBytes(compressedSize: bytes.count)
        )
        var archive = try SkopsArchive(bytes, limit: limit)
        let text = try archive.read("schema.json")
        let schema: DocumentValue
        do {
            schema = try JSONDocument.read(text)
        } catch {
            throw ArrayError.malformed("skops file: schema.json is not JSON: \(error)")
        }
        let version: Int
        switch schema["protocol"] {
        case .integer(let number)? where (0...Int64(newestProtocol)).contains(number):
            version = Int(number)
        case .integer(let number)?:
            throw ArrayError.unsupported(
                "skops file: schema.json has protocol \(number); this reader knows protocols "
                    + "0 to \(newestProtocol) (skops 0.16 and before)"
            )
        default:
            throw ArrayError.malformed("skops file: schema.json has no integer protocol")
        }
        var reader = SkopsSchemaReader(archive: archive, protocolVersion: version)
        return try reader.node(schema, at: "root").value
    }
}

/// Turns the nodes of `schema.json` into values, mirroring skops 0.16's loaders
/// (`skops/io/_general.py`, `_numpy.py`, `_scipy.py`, `_sklearn.py`) without their
/// `_construct`: each node becomes what a pickle of the same object records.
struct SkopsSchemaReader {
    /// A value and how deeply containers and objects nest in it (0 for scalars).
    struct Built {
        var value: PickleValue
        var depth: Int
    }

    var archive: SkopsArchive
    let protocolVersion: Int
    /// The pickle machine's bound, for the same reason: Swift releases nested values
    /// recursively, and sharing through `__id__` can stack subtrees deeper than the JSON.
    let maxDepth = PickleMachine.Limits().maxNestingDepth
    /// Nodes by `__id__`, as skops' `LoadContext.memo`: a repeated id is the same object.
    private var memo: [Int64: Built] = [:]
    /// Ids of the nodes being read; meeting one again is a reference cycle.
    private var open: Set<Int64> = []
    /// Arrays by member name, so a member named by many nodes is decoded once.
    private var arrays: [String: NDArray] = [:]

    init(archive: SkopsArchive, protocolVersion: Int) {
        self.archive = archive
        self.protocolVersion = protocolVersion
    }

    /// Reads one node (skops' `get_tree`): the memoized value for a known `__id__`, else
    /// the node's own value.
    /// Builds each item of a list node's content, at `path[index]`; with the deepest item's
    /// depth.
    mutating func nodes(_ content: [DocumentValue], at path: String) throws(ArrayError)
        -> (values: [PickleValue], depth: Int)
    {
        var values: [PickleValue] = []
        var depth = 0
        for (index, item) in content.enumerated() {
            let built = try node(item, at: "\(path)[\(index)]")
            values.append(built.value)
            depth = max(depth, built.depth)
        }
        return (values, depth)
    }

    mutating func node(_ state: DocumentValue, at path: String) throws(ArrayError) -> Built {
        guard let members = state.members else {
            throw fail(path, "is \(state.kindName), not a node")
        }
        try requireUniqueKeys(members, path)
        let id = try identity(state, path)
        if let id {
            if open.contains(id) {
                throw fail(path, "refers back to an enclosing node (__id__ \(id)): a cycle")
            }
            if let done = memo[id] { return done }
        }
        guard let loader = state["__loader__"]?.string else {
            throw fail(path, "has no __loader__")
        }
        if loader == "CachedNode" {
            // Never memoized itself; it names an object read earlier.
            guard let id, let done = memo[id] else {
                throw fail(path, "is a CachedNode for an __id__ that no earlier node has")
            }
            return done
        }
        guard let module = state["__module__"]?.string, let name = state["__class__"]?.string
        else {
            throw fail(path, "has no __module__ and __class__")
        }
        if let id { open.insert(id) }
        let built = try read(loader, module: module, name: name, state, path)
        guard built.depth <= maxDepth else {
            throw ArrayError(
                code: .tooLarge,
                message: "skops file: schema.json nests objects deeper than \(maxDepth) levels "
                    + "at \(path)"
            )
        }
        if let id {
            open.remove(id)
            memo[id] = built
        }
        return built
    }

    // MARK: - Node types

    private mutating func read(
        _ loader: String,
        module: String,
        name: String,
        _ state: DocumentValue,
        _ path: String
    ) throws(ArrayError) -> Built {
        switch loader {
        case "JsonNode":
            guard let text = state["content"]?.string else {
                throw fail(path, "is a JsonNode without JSON text")
            }
            return try json(text, path)
        case "DictNode":
            return try dict(module: module, name: name, state, path)
        case "DefaultDictNode":
            // A pickle's defaultdict becomes a plain dict too: nothing here looks up a
            // missing key. The factory is still read, so the policy sees it.
            let content = try field("content", of: state, path)
            let main = try node(try field("main", of: content, path), at: path)
            let factory = try node(try field("default_factory", of: content, path), at: path)
            guard case .dict = main.value else {
                throw fail(path, "is a defaultdict whose items are not a dict")
            }
            _ = try global(module, name, path)
            return Built(value: main.value, depth: max(main.depth, factory.depth))
        case "ListNode", "TupleNode", "SetNode":
            return try sequence(loader, module: module, name: name, state, path)
        case "BytesNode", "BytearrayNode":
            _ = try global(module, name, path)
            return Built(value: .bytes(try archive.read(try fileName(state, path))), depth: 0)
        case "SliceNode":
            return try slice(state, path)
        case "FunctionNode":
            if protocolVersion == 0 {
                // Protocol 0 kept the function's module and name in its content.
                let content = try field("content", of: state, path)
                guard let module = content["module_path"]?.string,
                    let function = content["function"]?.string
                else {
                    throw fail(path, "is a FunctionNode without module_path and function")
                }
                return Built(value: try global(module, function, path), depth: 0)
            }
            return Built(value: try global(module, name, path), depth: 0)
        case "TypeNode":
            return Built(value: try global(module, name, path), depth: 0)
        case "PartialNode":
            return try partial(module: module, name: name, state, path)
        case "ConstructorFromReduceNode":
            let callable = try global(module, name, path)
            let content = try node(try field("content", of: state, path), at: path)
            let object = PickleObject(
                callable: callable,
                construction: .reduce,
                arguments: try items(of: content)
            )
            return Built(value: .object(object), depth: content.depth + 1)
        case "ObjectNode":
            let callable = try global(module, name, path)
            var attributes: Built?
            if let content = state["content"], content != .null {
                attributes = try node(content, at: path)
            }
            let stateValue: PickleValue? =
                if case .none? = attributes?.value { nil } else { attributes?.value }
            return Built(
                value: .object(
                    PickleObject(
                        callable: callable,
                        construction: .newObject,
                        arguments: [],
                        state: stateValue
                    )
                ),
                depth: (attributes?.depth ?? 0) + 1
            )
        case "TreeNode", "LossNode":
            return try reduced(loader, module: module, name: name, state, path)
        case "NdArrayNode":
            return try ndarray(module: module, name: name, state, path)
        case "DTypeNode":
            let content = try node(try field("content", of: state, path), at: path)
            guard case .native(let native) = content.value, let array = native as? NDArray else {
                throw fail(path, "is a DTypeNode whose content is no array")
            }
            return Built(value: Self.pickledDType(array.dtype), depth: 2)
        case "MaskedArrayNode":
            let callable = try global(module, name, path)
            let content = try field("content", of: state, path)
            let data = try node(try field("data", of: content, path), at: path + ".data")
            let mask = try node(try field("mask", of: content, path), at: path + ".mask")
            return object(callable, .reduce, arguments: [data, mask], state: nil)
        case "RandomStateNode":
            let callable = try global(module, name, path)
            let content = try node(try field("content", of: state, path), at: path)
            return object(callable, .reduce, arguments: [], state: content)
        case "RandomGeneratorNode":
            return try generator(module: module, name: name, state, path)
        case "SparseMatrixNode":
            return try sparse(module: module, name: name, state, path)
        case "MethodNode":
            throw ArrayError.unsupported(
                "skops file: schema.json at \(path) holds a bound method of \(module).\(name), "
                    + "which a pickle reaches through getattr; this reader refuses it"
            )
        case "OperatorFuncNode":
            _ = try global(module, name, path)
            throw ArrayError.unsupported(
                "skops file: schema.json at \(path) holds an operator function, which this "
                    + "reader refuses"
            )
        default:
            throw ArrayError.unsupported(
                "skops file: schema.json at \(path) has a node of unknown type '\(loader)' "
                    + "(for \(module).\(name))"
            )
        }
    }

    /// `json.loads` of a JsonNode's text: str, int, float, bool, None (and, in a file not
    /// written by skops, lists and dicts of them).
    private func json(_ text: String, _ path: String) throws(ArrayError) -> Built {
        let document: DocumentValue
        do {
            document = try JSONDocument.read(Array(text.utf8))
        } catch {
            throw fail(path, "is a JsonNode whose text is not JSON: \(error)")
        }
        if case .double = document, let big = try Self.bigInteger(text, path) {
            return Built(value: big, depth: 0)
        }
        return Self.plain(document)
    }

    private mutating func dict(
        module: String,
        name: String,
        _ state: DocumentValue,
        _ path: String
    ) throws(ArrayError) -> Built {
        let callable = try global(module, name, path)
        let keyTypes = try node(try field("key_types", of: state, path), at: path + " key types")
        guard let members = try field("content", of: state, path).members else {
            throw fail(path, "is a DictNode whose content is not an object")
        }
        try requireUniqueKeys(members, path)
        let types = try items(of: keyTypes)
        var entries: [(key: PickleValue, value: PickleValue)] = []
        var depth = keyTypes.depth
        for member in members {
            let value = try node(member.value, at: path + "." + member.key)
            depth = max(depth, value.depth)
            entries.append((.string(member.key), value.value))
        }
        // skops pairs keys with their types with zip(), so extra keys are dropped.
        var converted: [(key: PickleValue, value: PickleValue)] = []
        for (entry, type) in zip(entries, types) {
            guard case .string(let key) = entry.key else { continue }
            converted.append((try Self.dictKey(key, type: type, path), entry.value))
        }
        if case .global("builtins", "dict") = callable {
            return Built(value: .dict(PickleDict(converted)), depth: depth + 1)
        }
        if case .global("collections", "OrderedDict") = callable {
            return Built(value: .dict(PickleDict(converted)), depth: depth + 1)
        }
        // A dict subclass (scikit-learn's Bunch) is made empty, then filled: SETITEMS.
        let object = PickleObject(
            callable: callable,
            construction: .newObject,
            arguments: [],
            state: nil,
            dictItems: converted
        )
        return Built(value: .object(object), depth: depth + 1)
    }

    private mutating func sequence(
        _ loader: String,
        module: String,
        name: String,
        _ state: DocumentValue,
        _ path: String
    ) throws(ArrayError) -> Built {
        let callable = try global(module, name, path)
        guard let content = try field("content", of: state, path).array else {
            throw fail(path, "is a \(loader) whose content is not an array")
        }
        let (values, depth) = try nodes(content, at: path)
        let builtin: String? =
            if case .global("builtins", let type) = callable { type } else { nil }
        let value: PickleValue
        switch (loader, builtin) {
        case ("ListNode", "list"): value = .list(PickleList(values))
        case ("TupleNode", "tuple"): value = .tuple(values)
        case ("SetNode", "set"), ("SetNode", "frozenset"): value = .set(PickleList(values))
        case ("ListNode", _):
            // A list subclass is made empty, then filled: APPENDS.
            value = .object(
                PickleObject(
                    callable: callable,
                    construction: .newObject,
                    arguments: [],
                    state: nil,
                    listItems: values
                )
            )
        case ("TupleNode", _):
            // A named tuple, as copyreg.__newobj__ pickles it.
            value = .object(
                PickleObject(callable: callable, construction: .newObject, arguments: values)
            )
        default:
            value = .object(
                PickleObject(
                    callable: callable,
                    construction: .reduce,
                    arguments: [.list(PickleList(values))]
                )
            )
        }
        return Built(value: value, depth: depth + 1)
    }

    private func slice(_ state: DocumentValue, _ path: String) throws(ArrayError) -> Built {
        let content = try field("content", of: state, path)
        var bounds: [PickleValue] = []
        for key in ["start", "stop", "step"] {
            let bound = Self.plain(content[key] ?? .null).value
            switch bound {
            case .none, .bool, .int, .float, .string: bounds.append(bound)
            default: throw fail(path, "is a slice whose \(key) is a \(bound.kindName)")
            }
        }
        return Built(value: .slice(start: bounds[0], stop: bounds[1], step: bounds[2]), depth: 0)
    }

    /// `functools.partial(func, *args, **kwds)`, recorded as a pickle does: REDUCE with
    /// `(func,)`, then BUILD with `(func, args, kwds, namespace)`.
    private mutating func partial(
        module: String,
        name: String,
        _ state: DocumentValue,
        _ path: String
    ) throws(ArrayError) -> Built {
        _ = try global(module, name, path)
        let content = try field("content", of: state, path)
        var parts: [Built] = []
        for key in ["func", "args", "kwds", "namespace"] {
            parts.append(try node(try field(key, of: content, path), at: "\(path).\(key)"))
        }
        guard case .tuple = parts[1].value, case .dict = parts[2].value else {
            throw fail(path, "is a partial whose args are not a tuple and kwds not a dict")
        }
        let object = PickleObject(
            callable: .global(module: "functools", name: "partial"),
            construction: .reduce,
            arguments: [parts[0].value],
            state: .tuple(parts.map(\.value))
        )
        return Built(value: .object(object), depth: (parts.map(\.depth).max() ?? 0) + 2)
    }

    /// TreeNode and LossNode: `constructor(*args)`, then `__setstate__(attrs)` when the
    /// attributes are not empty. skops builds a Tree with its own constructor, whatever the
    /// node says.
    private mutating func reduced(
        _ loader: String,
        module: String,
        name: String,
        _ state: DocumentValue,
        _ path: String
    ) throws(ArrayError) -> Built {
        var callable = try global(module, name, path)
        if loader == "TreeNode" { callable = .global(module: "sklearn.tree._tree", name: "Tree") }
        let attributes = try node(try field("content", of: state, path), at: path)
        let reduce = try field("__reduce__", of: state, path)
        let arguments = try node(try field("args", of: reduce, path), at: path + " arguments")
        let values = try items(of: arguments)
        var stateValue: PickleValue? = attributes.value
        switch attributes.value {
        case .none, .bool(false), .int(0): stateValue = nil
        case .dict(let dict) where dict.entries.isEmpty: stateValue = nil
        case .tuple(let items) where items.isEmpty: stateValue = nil
        default: break
        }
        let object = PickleObject(
            callable: callable,
            construction: .reduce,
            arguments: values,
            state: stateValue
        )
        return Built(value: .object(object), depth: max(attributes.depth, arguments.depth) + 1)
    }

    private mutating func ndarray(
        module: String,
        name: String,
        _ state: DocumentValue,
        _ path: String
    ) throws(ArrayError) -> Built {
        _ = try global(module, name, path)
        switch state["type"]?.string {
        case "numpy":
            let file = try fileName(state, path)
            if let array = arrays[file] { return Built(value: .native(array), depth: 0) }
            let array = try SkopsNumpyFile.array(try archive.read(file), member: file)
            arrays[file] = array
            return Built(value: .native(array), depth: 0)
        case "json":
            // Object arrays are stored as the list of their items (`tolist()`) and a shape.
            guard let content = try field("content", of: state, path).array else {
                throw fail(path, "is an object array whose content is not an array")
            }
            let (items, depth) = try nodes(content, at: path)
            let shapeNode = try node(try field("shape", of: state, path), at: path + " shape")
            let shape = try Self.shape(shapeNode.value, path)
            let array: NDArray
            if shape.count == 1 {
                // skops makes a 1-d array of as many items as the list holds.
                array = try NDArray(objects: items, shape: [items.count])
            } else {
                var flat: [PickleValue] = []
                try Self.flatten(.list(PickleList(items)), shape: shape[...], into: &flat, path)
                array = try NDArray(objects: flat, shape: shape)
            }
            return Built(value: .native(array), depth: depth + 1)
        default:
            throw fail(path, "is an NdArrayNode of unknown type")
        }
    }

    private mutating func generator(
        module: String,
        name: String,
        _ state: DocumentValue,
        _ path: String
    ) throws(ArrayError) -> Built {
        let callable = try global(module, name, path)
        let content = try field("content", of: state, path)
        let bitGeneratorState = try field("bit_generator", of: content, path)
        // skops reads the bit generator's class name from the raw state and refuses a file
        // without one; it names a numpy.random class, which the policy must see too.
        guard let nameText = bitGeneratorState["content"]?["bit_generator"]?["content"]?.string,
            case .string(let bitGenerator)? = try? JSONDocument.read(Array(nameText.utf8))
        else {
            throw fail(path, "is a random Generator without the name of its bit generator")
        }
        _ = try global("numpy.random", bitGenerator, path)
        let bits = try node(bitGeneratorState, at: path + ".bit_generator")
        var entries: [(key: PickleValue, value: PickleValue)] = [
            (.string("bit_generator"), bits.value)
        ]
        var depth = bits.depth
        if let seed = content["seed_seq"] {
            let seeds = try node(seed, at: path + ".seed_seq")
            entries.append((.string("seed_seq"), seeds.value))
            depth = max(depth, seeds.depth)
        } else if protocolVersion >= 2 {
            throw fail(path, "is a random Generator without its seed sequence")
        }
        let object = PickleObject(
            callable: callable,
            construction: .reduce,
            arguments: [],
            state: .dict(PickleDict(entries))
        )
        return Built(value: .object(object), depth: depth + 2)
    }

    /// A scipy sparse matrix or array, stored with `save_npz` (a zip of `.npy` members).
    /// It becomes the object a pickle records: the class with its arrays and `_shape`.
    private mutating func sparse(
        module: String,
        name: String,
        _ state: DocumentValue,
        _ path: String
    ) throws(ArrayError) -> Built {
        let callable = try global(module, name, path)
        guard state["type"]?.string == "scipy" else {
            throw fail(path, "is a sparse matrix not stored by scipy")
        }
        let file = try fileName(state, path)
        var inner = try SkopsArchive(try archive.read(file), limit: archive.remaining)
        var entries: [(key: PickleValue, value: PickleValue)] = []
        var format: String?
        for member in inner.members.keys.sorted() {
            guard member.hasSuffix(".npy") else {
                throw fail(path, "is a sparse matrix whose archive holds '\(member)'")
            }
            let array = try SkopsNumpyFile.array(try inner.read(member), member: member)
            let key = String(member.dropLast(4))
            switch key {
            case "format": format = try array.strings().first
            case "shape":
                let shape = try array.integers().map { PickleValue.int($0) }
                entries.append((.string("_shape"), .tuple(shape)))
            default: entries.append((.string(key), .native(array)))
            }
        }
        try archive.charge(inner.decompressed)
        guard let format, ["csr", "csc", "bsr", "dia", "coo"].contains(format),
            name.hasPrefix(format + "_")
        else {
            throw fail(path, "is a sparse \(name) whose archive gives another format")
        }
        entries.append((.string("maxprint"), .int(50)))
        let object = PickleObject(
            callable: callable,
            construction: .newObject,
            arguments: [],
            state: .dict(PickleDict(entries))
        )
        return Built(value: .object(object), depth: 2)
    }
}

// MARK: - Helpers

extension SkopsSchemaReader {
    fileprivate func fail(_ path: String, _ message: String) -> ArrayError {
        ArrayError.malformed("skops file: schema.json at \(path) \(message)")
    }

    /// A class or function the schema names, as the inert global a pickle would hold,
    /// unless ``GlobalPolicy`` refuses it.
    fileprivate func global(_ module: String, _ name: String, _ path: String)
        throws(ArrayError) -> PickleValue
    {
        if let reason = GlobalPolicy.refusal(module: module, name: name) {
            throw ArrayError.unsupported(
                "skops file: refused for safety, nothing in it was run: schema.json at \(path) "
                    + "names \(module).\(name): \(reason)"
            )
        }
        return .global(module: module, name: name)
    }

    fileprivate func field(_ key: String, of state: DocumentValue, _ path: String)
        throws(ArrayError) -> DocumentValue
    {
        guard let value = state[key] else { throw fail(path, "has no '\(key)'") }
        return value
    }

    fileprivate func fileName(_ state: DocumentValue, _ path: String) throws(ArrayError)
        -> String
    {
        guard let file = state["file"]?.string else { throw fail(path, "names no member file") }
        return file
    }

    /// The `__id__` of a node; skops memoizes only a non-zero one.
    fileprivate func identity(_ state: DocumentValue, _ path: String) throws(ArrayError)
        -> Int64?
    {
        switch state["__id__"] {
        case nil, .null?: return nil
        case .integer(let id)?: return id == 0 ? nil : id
        default: throw fail(path, "has an __id__ that is not an integer")
        }
    }

    fileprivate func requireUniqueKeys(_ members: [DocumentMember], _ path: String)
        throws(ArrayError)
    {
        var seen: Set<String> = []
        for member in members where !seen.insert(member.key).inserted {
            throw fail(path, "repeats the key '\(member.key)'")
        }
    }

    /// The items of a tuple or list node, as skops' `*args` takes them.
    fileprivate func items(of built: Built) throws(ArrayError) -> [PickleValue] {
        switch built.value {
        case .tuple(let items): return items
        case .list(let list): return list.items
        default: throw ArrayError.malformed("skops file: expected a tuple or list node")
        }
    }

    fileprivate func object(
        _ callable: PickleValue,
        _ construction: PickleObject.Construction,
        arguments: [Built],
        state: Built?
    ) -> Built {
        let object = PickleObject(
            callable: callable,
            construction: construction,
            arguments: arguments.map(\.value),
            state: state?.value
        )
        let depth = (arguments + [state].compactMap { $0 }).map(\.depth).max() ?? 0
        return Built(value: .object(object), depth: depth + 1)
    }

    /// A dict key back in its type (skops writes every key as a JSON string).
    fileprivate static func dictKey(_ key: String, type: PickleValue, _ path: String)
        throws(ArrayError) -> PickleValue
    {
        switch type {
        case .global("builtins", "str"): return .string(key)
        case .global("builtins", "int"):
            guard let number = Int64(key) else {
                throw ArrayError.malformed(
                    "skops file: schema.json at \(path) has int key '\(key)'"
                )
            }
            return .int(number)
        case .global("builtins", "float"):
            guard let number = Double(key) else {
                throw ArrayError.malformed(
                    "skops file: schema.json at \(path) has float key '\(key)'"
                )
            }
            return .float(number)
        case .global("builtins", "bool"): return .bool(!key.isEmpty)
        case .global("numpy", let scalar):
            // skops wrote the key's `.item()`; `numpy.int64("3")` makes the numpy scalar a
            // pickle holds, here a 0-d array.
            if let array = try numpyScalar(scalar, key) { return .native(array) }
            throw ArrayError.unsupported(
                "skops file: schema.json at \(path) has a dict key of type numpy.\(scalar)"
            )
        default:
            throw ArrayError.unsupported(
                "skops file: schema.json at \(path) has a dict key of type \(type.kindName)"
            )
        }
    }

    /// A numpy scalar of type `numpy.<name>` made from a key's text, or nil for a type
    /// this reader does not make.
    fileprivate static func numpyScalar(_ name: String, _ text: String) throws(ArrayError)
        -> NDArray?
    {
        func bytes<Number: FixedWidthInteger>(_ value: Number) -> [UInt8] {
            withUnsafeBytes(of: value.littleEndian) { Array($0) }
        }
        let widths = ["8": 1, "16": 2, "32": 4, "64": 8]
        var dtype: DType
        var data: [UInt8]
        if name.hasPrefix("int"), let width = widths[String(name.dropFirst(3))],
            let value = Int64(text)
        {
            let half = Int64(1) << (width * 8 - 1)
            guard width == 8 || (-half..<half).contains(value) else { return nil }
            dtype = DType(kind: .signedInteger, itemSize: width)
            data = Array(bytes(value).prefix(width))
        } else if name.hasPrefix("uint"), let width = widths[String(name.dropFirst(4))],
            let value = UInt64(text)
        {
            guard width == 8 || value >> UInt64(width * 8) == 0 else { return nil }
            dtype = DType(kind: .unsignedInteger, itemSize: width)
            data = Array(bytes(value).prefix(width))
        } else if name == "float64", let value = Double(text) {
            dtype = .float64
            data = bytes(value.bitPattern)
        } else if name == "float32", let value = Float(text) {
            dtype = DType(kind: .float, itemSize: 4)
            data = bytes(value.bitPattern)
        } else if name == "bool_" {
            dtype = DType(kind: .boolean, itemSize: 1)
            data = [text.isEmpty ? 0 : 1]
        } else if name == "str_" {
            // numpy keeps at least one character of room, even for an empty string.
            let scalars = text.unicodeScalars.map(\.value)
            dtype = DType(kind: .unicode, itemSize: 4 * max(1, scalars.count))
            data = scalars.flatMap { bytes($0) }
            if scalars.isEmpty { data = [0, 0, 0, 0] }
        } else {
            return nil
        }
        return try NDArray(dtype: dtype, shape: [], bytes: data)
    }

    fileprivate static func shape(_ value: PickleValue, _ path: String) throws(ArrayError) -> [Int]
    {
        guard case .tuple(let items) = value else {
            throw ArrayError.malformed("skops file: schema.json at \(path) has no shape tuple")
        }
        var shape: [Int] = []
        for item in items {
            guard case .int(let size) = item, size >= 0 else {
                throw ArrayError.malformed("skops file: schema.json at \(path) has a bad shape")
            }
            shape.append(Int(size))
        }
        return shape
    }

    /// The leaves of nested lists, in C order, checking each level against `shape`.
    fileprivate static func flatten(
        _ value: PickleValue,
        shape: ArraySlice<Int>,
        into flat: inout [PickleValue],
        _ path: String
    ) throws(ArrayError) {
        guard let size = shape.first else {
            flat.append(value)
            return
        }
        guard case .list(let list) = value, list.items.count == size else {
            throw ArrayError.malformed(
                "skops file: schema.json at \(path) has object array items that do not fit its "
                    + "shape"
            )
        }
        for item in list.items {
            try flatten(item, shape: shape.dropFirst(), into: &flat, path)
        }
    }

    /// A JSON value as the Python value `json.loads` gives.
    fileprivate static func plain(_ document: DocumentValue) -> Built {
        switch document {
        case .null: return Built(value: .none, depth: 0)
        case .bool(let flag): return Built(value: .bool(flag), depth: 0)
        case .integer(let number): return Built(value: .int(number), depth: 0)
        case .double(let number): return Built(value: .float(number), depth: 0)
        case .string(let text): return Built(value: .string(text), depth: 0)
        case .array(let items):
            let built = items.map(plain)
            return Built(
                value: .list(PickleList(built.map(\.value))),
                depth: (built.map(\.depth).max() ?? 0) + 1
            )
        case .object(let members):
            let built = members.map { plain($0.value) }
            let entries = zip(members, built).map { (PickleValue.string($0.key), $1.value) }
            return Built(
                value: .dict(PickleDict(entries)),
                depth: (built.map(\.depth).max() ?? 0) + 1
            )
        }
    }

    /// An integer literal too wide for 64 bits, as the pickle machine's LONG1 value (little-
    /// endian two's complement); nil when `text` is no integer literal.
    fileprivate static func bigInteger(_ text: String, _ path: String) throws(ArrayError)
        -> PickleValue?
    {
        var digits = Substring(text)
        while digits.first == " " { digits = digits.dropFirst() }
        while digits.last == " " { digits = digits.dropLast() }
        let negative = digits.first == "-"
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return nil
        }
        // Python refuses to parse integers of more digits than this (sys.int_info).
        guard digits.count <= 4_300 else {
            throw ArrayError.malformed(
                "skops file: schema.json at \(path) has an integer of \(digits.count) digits"
            )
        }
        return PickleValue.bigInteger(decimal: (negative ? "-" : "") + digits)
    }

    /// The `numpy.dtype` object a pickle holds for `dtype`: `dtype(typestr, False, True)`
    /// with `__setstate__((3, order, None, names, fields, size, alignment, flags))`.
    fileprivate static func pickledDType(_ dtype: DType) -> PickleValue {
        let size = dtype.kind == .unicode ? dtype.itemSize / 4 : dtype.itemSize
        let order =
            dtype.itemSize == 1 || dtype.kind == .void || dtype.kind == .bytes
            ? "|" : dtype.isBigEndian ? ">" : "<"
        var names = PickleValue.none
        var fields = PickleValue.none
        if dtype.kind == .void, !dtype.fields.isEmpty {
            names = .tuple(dtype.fields.map { .string($0.name) })
            fields = .dict(
                PickleDict(
                    dtype.fields.map {
                        (
                            .string($0.name),
                            .tuple([pickledDType($0.dtype), .int(Int64($0.offset))])
                        )
                    }
                )
            )
        }
        let record = dtype.kind == .void
        let object = PickleObject(
            callable: .global(module: "numpy", name: "dtype"),
            construction: .reduce,
            arguments: [.string("\(dtype.kind.rawValue)\(size)"), .bool(false), .bool(true)],
            state: .tuple([
                .int(3), .string(order), .none, names, fields,
                .int(record ? Int64(dtype.itemSize) : -1), .int(record ? 1 : -1),
                .int(record ? 16 : 0),
            ])
        )
        return .object(object)
    }
}
