/// One node of the inert value graph that the pickle machine builds.
///
/// Nothing in a pickle is ever called: a global is a ``PickleValue/global(module:name:)``
/// symbol, and REDUCE, NEWOBJ, INST, OBJ and BUILD on it make a ``PickleObject`` that only
/// records the callable, its arguments and its state. Once a load ends, the few
/// standard-library reconstructors that stand for plain values (bytes, sets, slices…)
/// become those values; layers above interpret the reconstructors they know (numpy arrays,
/// estimators) by reading the record.
///
/// Lists, dicts, sets and objects are reference types because a pickle may mutate them
/// after memoizing them (APPENDS onto a list fetched from the memo), and every reference
/// must see the change.
public enum PickleValue {
    case none
    case bool(Bool)
    case int(Int64)
    /// An integer wider than 64 bits: little-endian two's complement bytes (LONG1/LONG4).
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    /// A `set` or `frozenset`.
    case set(PickleList)
    /// `slice(start, stop, step)`, as ColumnTransformer's column specs pickle. Each bound is
    /// a scalar (`None`, an int, a column name); a slice of anything else stays a recorded
    /// object, so no container hides in it.
    indirect case slice(start: PickleValue, stop: PickleValue, step: PickleValue)
    /// `complex(real, imag)`.
    case complex(real: Double, imaginary: Double)
    /// `object()`: a plain object, with no attributes and no state.
    case plainObject
    /// A reference to `module.name`, never resolved to anything that runs.
    case global(module: String, name: String)
    case object(PickleObject)
    /// A value that a ``PickleBuildInterpreter`` produced in place of an object, such as a
    /// numpy array read from a joblib container.
    case native(Any)
}

/// A mutable Python list (or set) in the value graph.
public final class PickleList {
    public internal(set) var items: [PickleValue]

    public init(_ items: [PickleValue] = []) {
        self.items = items
    }
}

/// A mutable Python dict in the value graph, keeping insertion order as Python does.
public final class PickleDict {
    public internal(set) var entries: [(key: PickleValue, value: PickleValue)]

    public init(_ entries: [(key: PickleValue, value: PickleValue)] = []) {
        self.entries = entries
    }

    /// The value stored under a string key (the last one, if the key repeats).
    public subscript(key: String) -> PickleValue? {
        for entry in entries.reversed() {
            if case .string(let name) = entry.key, name == key {
                return entry.value
            }
        }
        return nil
    }

    /// The string keys, in order; other keys are skipped.
    public var stringKeys: [String] {
        entries.compactMap { entry in
            if case .string(let name) = entry.key { name } else { nil }
        }
    }

    func set(_ key: PickleValue, _ value: PickleValue) {
        entries.append((key, value))
    }
}

/// An object the pickle asked to construct, recorded instead of constructed.
public final class PickleObject {
    /// How the pickle asked for the object.
    public enum Construction: Sendable {
        /// REDUCE: `callable(*arguments)`.
        case reduce
        /// NEWOBJ / NEWOBJ_EX: `cls.__new__(cls, *arguments, **keywordArguments)`.
        case newObject
        /// INST / OBJ (protocols 0 and 1): `cls(*arguments)`.
        case instantiate
    }

    /// The callable or class, usually a ``PickleValue/global(module:name:)``.
    public internal(set) var callable: PickleValue
    public internal(set) var construction: Construction
    public internal(set) var arguments: [PickleValue]
    public internal(set) var keywordArguments: PickleDict?
    /// The argument of BUILD (`__setstate__` or `__dict__` update), if any.
    public internal(set) var state: PickleValue?
    /// Items appended with APPEND/APPENDS (list subclasses).
    public internal(set) var listItems: [PickleValue] = []
    /// Items set with SETITEM/SETITEMS (dict subclasses such as `Bunch`).
    public internal(set) var dictItems: [(key: PickleValue, value: PickleValue)] = []

    public init(
        callable: PickleValue,
        construction: Construction,
        arguments: [PickleValue],
        keywordArguments: PickleDict? = nil,
        state: PickleValue? = nil
    ) {
        self.callable = callable
        self.construction = construction
        self.arguments = arguments
        self.keywordArguments = keywordArguments
        self.state = state
    }

    /// An object as a container format other than pickle describes it (skops' schema.json),
    /// given at once the state and items a pickle would give it through BUILD, APPENDS and
    /// SETITEMS.
    public convenience init(
        callable: PickleValue,
        construction: Construction,
        arguments: [PickleValue],
        state: PickleValue?,
        listItems: [PickleValue] = [],
        dictItems: [(key: PickleValue, value: PickleValue)] = []
    ) {
        self.init(callable: callable, construction: construction, arguments: arguments)
        self.state = state
        self.listItems = listItems
        self.dictItems = dictItems
    }

    /// Drops everything the object refers to (see `PickleMachine`'s failure path).
    func dismantle() {
        callable = .none
        arguments = []
        keywordArguments = nil
        state = nil
        listItems = []
        dictItems = []
    }

    /// `module.name` of the callable when it is a global, for matching and messages.
    public var qualifiedName: String? {
        if case .global(let module, let name) = callable { "\(module).\(name)" } else { nil }
    }

    /// The BUILD state when it is a dict (the usual `__dict__` of a Python object).
    public var stateDict: PickleDict? {
        if case .dict(let dict) = state { dict } else { nil }
    }
}

extension PickleValue {
    /// A short name of the value's kind, for error messages.
    public var kindName: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .int, .bigInt: "int"
        case .float: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .tuple: "tuple"
        case .list: "list"
        case .dict: "dict"
        case .set: "set"
        case .slice: "slice"
        case .complex: "complex"
        case .plainObject: "plain object"
        case .global(let module, let name): "global \(module).\(name)"
        case .object(let object): "object \(object.qualifiedName ?? "<computed callable>")"
        case .native(let value): "\(type(of: value))"
        }
    }
}
