/// Turns the objects that stand for plain Python values back into those values, once a
/// load has finished: the few reconstructors of the standard library that real model files
/// use. Everything else stays a recorded object; nothing is called.
///
/// - `_codecs.encode(text, "latin1")`, `bytes(...)`, `bytearray(...)` → bytes (protocol 2
///   writes bytes this way);
/// - `set(items)`, `frozenset(items)` → a set;
/// - `collections.OrderedDict`, `collections.defaultdict` with their items → a dict (the
///   default factory is dropped: nothing here ever looks up a missing key);
/// - `slice(start, stop, step)` with scalar bounds → ``PickleValue/slice(start:stop:step:)``;
/// - `complex(real, imag)` with numbers → ``PickleValue/complex(real:imaginary:)``;
/// - `object()` → ``PickleValue/plainObject``;
/// - `copyreg._reconstructor(cls, base, state)` and `copyreg.__newobj__(cls, ...)` → an
///   object of `cls`, as NEWOBJ would have made it (or one of the values above, when `cls`
///   is one of those types).
///
/// Builtins are matched under `builtins` and Python 2's `__builtin__` alike.
enum PythonBuiltins {
    /// Rewrites every such object reachable from `root`, in place inside containers.
    /// The graph's depth is already bounded, so the recursion is too.
    static func interpret(_ root: PickleValue) -> PickleValue {
        var visited = Visited()
        return interpret(root, &visited)
    }

    /// What has been rewritten already: containers and objects by identity, tuples by
    /// their element storage (DUP and the memo share it), so shared parts are rewritten
    /// once and the walk stays linear. An object shared through the memo stands for the
    /// same value at every reference. The original tuples and objects are kept so that no
    /// address is freed and reused while the walk goes on.
    private struct Visited {
        var nodes: Set<ObjectIdentifier> = []
        var tuples: [Int: (original: [PickleValue], rewritten: PickleValue)] = [:]
        var objects: [ObjectIdentifier: (original: PickleObject, rewritten: PickleValue)] = [:]

        mutating func insert(_ identity: ObjectIdentifier) -> (inserted: Bool, ObjectIdentifier) {
            nodes.insert(identity)
        }
    }

    private static func interpret(_ value: PickleValue, _ visited: inout Visited)
        -> PickleValue
    {
        switch value {
        case .tuple(let items):
            guard !items.isEmpty else { return value }
            let storage = items.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
            if let done = visited.tuples[storage] { return done.rewritten }
            let rewritten = PickleValue.tuple(items.map { interpret($0, &visited) })
            visited.tuples[storage] = (items, rewritten)
            return rewritten
        case .list(let list), .set(let list):
            if visited.insert(ObjectIdentifier(list)).inserted {
                list.items = list.items.map { interpret($0, &visited) }
            }
            return value
        case .dict(let dict):
            if visited.insert(ObjectIdentifier(dict)).inserted {
                dict.entries = dict.entries.map {
                    (interpret($0.key, &visited), interpret($0.value, &visited))
                }
            }
            return value
        case .object(let object):
            // The graph has no cycles (GraphDepth refused them), so an object seen before
            // is finished.
            if let done = visited.objects[ObjectIdentifier(object)] { return done.rewritten }
            object.arguments = object.arguments.map { interpret($0, &visited) }
            object.state = object.state.map { interpret($0, &visited) }
            object.listItems = object.listItems.map { interpret($0, &visited) }
            object.dictItems = object.dictItems.map {
                (interpret($0.key, &visited), interpret($0.value, &visited))
            }
            let rewritten = plainValue(of: object) ?? value
            visited.objects[ObjectIdentifier(object)] = (object, rewritten)
            return rewritten
        default:
            return value
        }
    }

    /// The plain value an object of a known standard-library reconstructor stands for.
    private static func plainValue(of object: PickleObject) -> PickleValue? {
        guard case .global(let module, let name) = object.callable else { return nil }
        let arguments = object.arguments
        switch (module, name) {
        case ("copyreg", "_reconstructor"), ("copy_reg", "_reconstructor"):
            // _reconstructor(cls, base, base_state): cls.__new__ then BUILD as usual. With
            // `object` as the base Python ignores base_state, and protocols 0 and 1 write
            // `object()` itself this way.
            guard arguments.count == 3, case .global = arguments[0] else { return nil }
            let isObject =
                isBuiltin(arguments[0], named: "object") && isBuiltin(arguments[1], named: "object")
            object.callable = arguments[0]
            object.construction = .newObject
            object.arguments = []
            return isObject ? builtinValue(of: object) : nil
        case ("copyreg", "__newobj__"), ("copy_reg", "__newobj__"):
            // Exactly what NEWOBJ records, so it stands for what NEWOBJ would.
            guard let type = arguments.first, case .global = type else { return nil }
            object.callable = type
            object.construction = .newObject
            object.arguments = Array(arguments.dropFirst())
            return builtinValue(of: object)
        default:
            return builtinValue(of: object)
        }
    }

    /// The plain value a call of one of the few standard-library types and functions stands
    /// for; nil for any other callable, and for arguments Python would not accept or that
    /// this reader does not take.
    private static func builtinValue(of object: PickleObject) -> PickleValue? {
        guard case .global(let module, let name) = object.callable else { return nil }
        let arguments = object.arguments
        // Python 2 named the module `__builtin__`, and protocols 0 to 2 still write that.
        switch (module == "__builtin__" ? "builtins" : module, name) {
        case ("_codecs", "encode"):
            guard arguments.count == 2, case .string(let text) = arguments[0],
                case .string(let encoding) = arguments[1],
                ["latin1", "latin-1", "iso-8859-1"].contains(encoding.lowercased())
            else { return nil }
            return latin1(text).map(PickleValue.bytes)
        case ("builtins", "bytes"), ("builtins", "bytearray"):
            switch arguments.first {
            case nil: return .bytes([])
            case .bytes(let bytes)?: return .bytes(bytes)
            default: return nil
            }
        case ("builtins", "set"), ("builtins", "frozenset"):
            switch arguments.first {
            case nil: return .set(PickleList())
            case .list(let list)?: return .set(PickleList(list.items))
            case .tuple(let items)?: return .set(PickleList(items))
            default: return nil
            }
        case ("collections", "OrderedDict"), ("collections", "defaultdict"):
            let dict = PickleDict(object.dictItems)
            if name == "OrderedDict", case .list(let pairs)? = arguments.first {
                for case .tuple(let pair) in pairs.items where pair.count == 2 {
                    dict.set(pair[0], pair[1])
                }
            }
            return .dict(dict)
        case ("builtins", "slice"):
            // slice(stop) or slice(start, stop[, step]); pickle writes all three.
            guard isBare(object), (1...3).contains(arguments.count),
                arguments.allSatisfy(isScalar)
            else { return nil }
            let bounds = arguments.count == 1 ? [.none] + arguments : arguments
            return .slice(
                start: bounds[0],
                stop: bounds[1],
                step: bounds.count == 3 ? bounds[2] : .none
            )
        case ("builtins", "complex"):
            // complex(), complex(real) or complex(real, imag) with numbers; pickle writes two
            // floats. A string to parse ("1+2j") stays a recorded call.
            guard isBare(object), arguments.count <= 2 else { return nil }
            var parts: [Double] = []
            for argument in arguments {
                switch argument {
                case .float(let number): parts.append(number)
                case .int(let number): parts.append(Double(number))
                default: return nil
                }
            }
            return .complex(real: parts.first ?? 0, imaginary: parts.count == 2 ? parts[1] : 0)
        case ("builtins", "object"):
            // object() takes no arguments and no state: anything more is not Python's.
            guard isBare(object), arguments.isEmpty else { return nil }
            return .plainObject
        default:
            return nil
        }
    }

    /// Whether the call was all there is to the object: no keywords, no BUILD state and no
    /// items added afterwards (Python refuses each of those for a slice, complex or object).
    private static func isBare(_ object: PickleObject) -> Bool {
        object.keywordArguments == nil && object.state == nil && object.listItems.isEmpty
            && object.dictItems.isEmpty
    }

    /// Values without parts, which a slice may hold without hiding a container.
    private static func isScalar(_ value: PickleValue) -> Bool {
        switch value {
        case .none, .bool, .int, .bigInt, .float, .string, .bytes: true
        default: false
        }
    }

    private static func isBuiltin(_ value: PickleValue, named expected: String) -> Bool {
        guard case .global(let module, let name) = value else { return false }
        return (module == "builtins" || module == "__builtin__") && name == expected
    }

    /// Protocol 2 stores bytes as a str of code points 0–255.
    private static func latin1(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard scalar.value <= 0xFF else { return nil }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }
}
