/// Lets a layer above take over right after a BUILD opcode.
///
/// joblib writes a numpy array as a `NumpyArrayWrapper` object followed by the array's raw
/// bytes outside any opcode; only code that knows the wrapper can step over those bytes.
/// The machine stays ignorant of numpy and asks the interpreter instead.
public protocol PickleBuildInterpreter {
    /// Called after BUILD has given `object` its state. May read bytes that follow the
    /// BUILD opcode in `input`, and returns the value that replaces the object on the
    /// stack, or nil to keep the object.
    func valueAfterBuild(
        of object: PickleObject,
        input: inout PickleInput,
        machine: PickleMachine
    ) throws(PickleError) -> PickleValue?
}

/// The pickle opcode machine for protocols 0–5.
///
/// It executes opcodes over a stack and a memo and produces an inert ``PickleValue``
/// graph: no Python callable is ever looked up or called.
public struct PickleMachine {
    /// Bounds that keep a hostile stream from exhausting memory.
    public struct Limits: Sendable {
        /// Most values on the stack at once, marks included.
        public var maxStackDepth: Int
        /// Most memo entries.
        public var maxMemoEntries: Int
        /// Deepest nesting of containers and objects in the graph. Swift releases nested
        /// values recursively, so an unbounded depth would overflow the stack.
        public var maxNestingDepth: Int
        /// Most pickles nested inside one another (joblib writes object arrays as pickles
        /// within the pickle).
        public var maxNestedPickles: Int

        public init(
            maxStackDepth: Int = 1_000_000,
            maxMemoEntries: Int = 10_000_000,
            maxNestingDepth: Int = 400,
            maxNestedPickles: Int = 4
        ) {
            self.maxStackDepth = maxStackDepth
            self.maxMemoEntries = maxMemoEntries
            self.maxNestingDepth = maxNestingDepth
            self.maxNestedPickles = maxNestedPickles
        }
    }

    public var limits: Limits
    public var interpreter: (any PickleBuildInterpreter)?
    /// Records the protocol and the globals a load sees; nil (the default) records nothing.
    public var trace: PickleTrace?
    /// How many pickles enclose the one this machine reads.
    public private(set) var nestingLevel = 0

    public init(limits: Limits = Limits(), interpreter: (any PickleBuildInterpreter)? = nil) {
        self.limits = limits
        self.interpreter = interpreter
    }

    /// Reads one whole pickle from `bytes`; bytes after its STOP are an error.
    public func load(_ bytes: [UInt8]) throws(PickleError) -> PickleValue {
        var input = PickleInput(bytes: bytes)
        let value = try load(from: &input)
        guard input.isAtEnd else {
            throw PickleError(
                .malformed,
                offset: input.position,
                "\(input.remaining) bytes follow the end of the pickle"
            )
        }
        return value
    }

    /// Reads one pickle starting at `input.position` and leaves the position after STOP.
    public func load(from input: inout PickleInput) throws(PickleError) -> PickleValue {
        var run = Run(machine: self)
        do {
            let root = try run.execute(&input)
            try GraphDepth.check(
                root,
                made: run.madeValues,
                limit: limits.maxNestingDepth,
                offset: input.position
            )
            return PythonBuiltins.interpret(root)
        } catch {
            run.dismantle()
            throw error
        }
    }

    /// The machine for a pickle embedded in the one this machine reads.
    public func nested(at offset: Int) throws(PickleError) -> PickleMachine {
        guard nestingLevel < limits.maxNestedPickles else {
            throw PickleError(
                .limitExceeded,
                offset: offset,
                "more than \(limits.maxNestedPickles) pickles nested in one another"
            )
        }
        var machine = self
        machine.nestingLevel += 1
        return machine
    }
}

/// The state of one execution: stack, marks and memo.
private struct Run {
    /// A stack or memo slot: the value and, for tuples, how deeply tuples nest in it
    /// (tuples are values, so their depth must be known before they are built).
    struct Entry {
        var value: PickleValue
        var tupleDepth: Int32 = 0
    }

    let machine: PickleMachine
    var stack: [Entry] = []
    var marks: [Int] = []
    var memo: [Int: Entry] = [:]
    /// Every container and object made, so a failed load can empty them all before they
    /// are released, and no deep or cyclic structure is ever released recursively.
    var nodes: [AnyObject] = []
    var opcodeOffset = 0
    var opcode = Opcode.stop

    init(machine: PickleMachine) {
        self.machine = machine
    }

    func fail(_ code: PickleError.Code, _ message: String) -> PickleError {
        PickleError(code, offset: opcodeOffset, opcode: opcode.name, message)
    }

    mutating func execute(_ input: inout PickleInput) throws(PickleError) -> PickleValue {
        if input.isAtEnd {
            throw PickleError(.notAPickle, offset: input.position, "the data is empty")
        }
        while true {
            opcodeOffset = input.position
            let byte = try input.readByte()
            guard let next = Opcode(rawValue: byte) else {
                throw PickleError(
                    .unknownOpcode,
                    offset: opcodeOffset,
                    "byte 0x\(String(byte, radix: 16)) is not a pickle opcode"
                )
            }
            opcode = next
            if opcode == .stop {
                guard let result = stack.popLast()?.value, marks.isEmpty else {
                    throw fail(.malformed, "STOP with an empty stack or an open MARK")
                }
                return result
            }
            do {
                try step(&input)
            } catch {
                // Reads inside an argument fail in PickleInput, which knows no opcodes.
                var named = error
                if named.opcode == nil { named.opcode = opcode.name }
                throw named
            }
            if stack.count + marks.count > machine.limits.maxStackDepth {
                throw fail(.limitExceeded, "more than \(machine.limits.maxStackDepth) values")
            }
        }
    }

    // MARK: - Stack helpers

    mutating func popEntry() throws(PickleError) -> Entry {
        guard stack.count > (marks.last ?? 0), let entry = stack.popLast() else {
            throw fail(.malformed, "the stack is empty")
        }
        return entry
    }

    mutating func pop() throws(PickleError) -> PickleValue {
        try popEntry().value
    }

    func topEntry() throws(PickleError) -> Entry {
        guard stack.count > (marks.last ?? 0), let entry = stack.last else {
            throw fail(.malformed, "the stack is empty")
        }
        return entry
    }

    func top() throws(PickleError) -> PickleValue {
        try topEntry().value
    }

    mutating func popMarkEntries() throws(PickleError) -> [Entry] {
        guard let mark = marks.popLast() else {
            throw fail(.malformed, "no MARK to pop to")
        }
        // Copied out before the removal: a slice would share the stack's storage and make
        // the removal copy the whole stack, which a list of 100 trees keeps deep.
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    mutating func popMark() throws(PickleError) -> [PickleValue] {
        try popMarkEntries().map(\.value)
    }

    mutating func push(_ value: PickleValue) {
        switch value {
        case .list(let node), .set(let node): nodes.append(node)
        case .dict(let node): nodes.append(node)
        case .object(let node): nodes.append(node)
        default: break
        }
        stack.append(Entry(value: value))
    }

    /// Pushes a tuple of `entries`, refusing one nested deeper than the limit.
    mutating func pushTuple(_ entries: [Entry]) throws(PickleError) {
        let depth = (entries.map(\.tupleDepth).max() ?? 0) + 1
        guard depth <= machine.limits.maxNestingDepth else {
            throw fail(.limitExceeded, "tuples nest deeper than \(machine.limits.maxNestingDepth)")
        }
        stack.append(Entry(value: .tuple(entries.map(\.value)), tupleDepth: depth))
    }

    /// Every container and object made, as values.
    var madeValues: [PickleValue] {
        nodes.compactMap { node in
            switch node {
            case let list as PickleList: .list(list)
            case let dict as PickleDict: .dict(dict)
            case let object as PickleObject: .object(object)
            default: nil
            }
        }
    }

    /// Empties every container and object made, while `nodes` still holds them, so that
    /// releasing them afterwards never recurses.
    mutating func dismantle() {
        stack = []
        memo = [:]
        for node in nodes {
            switch node {
            case let list as PickleList: list.items = []
            case let dict as PickleDict: dict.entries = []
            case let object as PickleObject: object.dismantle()
            default: break
            }
        }
        nodes = []
    }

    mutating func remember(_ index: Int) throws(PickleError) {
        guard index >= 0 else { throw fail(.malformed, "negative memo index \(index)") }
        guard memo.count < machine.limits.maxMemoEntries || memo[index] != nil else {
            throw fail(.limitExceeded, "more than \(machine.limits.maxMemoEntries) memo entries")
        }
        memo[index] = try topEntry()
    }

    mutating func recall(_ index: Int) throws(PickleError) {
        guard let entry = memo[index] else {
            throw fail(.missingMemo, "nothing is stored under memo index \(index)")
        }
        stack.append(entry)
    }

    func string(_ bytes: ArraySlice<UInt8>) throws(PickleError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw fail(.malformed, "a string is not valid UTF-8")
        }
        return text
    }

    // MARK: - Opcodes

    mutating func step(_ input: inout PickleInput) throws(PickleError) {
        switch opcode {
        case .stop:
            break
        case .proto:
            let version = try input.readByte()
            machine.trace?.recordProtocol(version)
            guard version <= 5 else {
                throw fail(.unsupported, "pickle protocol \(version) is newer than 5")
            }
        case .frame:
            // Frames only group opcodes for buffered reading; the stream is continuous. As
            // CPython reads a whole frame first, a frame longer than the rest is truncated.
            _ = try input.readLength(8)
        case .mark:
            marks.append(stack.count)
        case .pop:
            if stack.count > (marks.last ?? 0) {
                stack.removeLast()
            } else {
                _ = try popMark()
            }
        case .popMark:
            _ = try popMark()
        case .dup:
            stack.append(try topEntry())

        case .none:
            push(.none)
        case .newTrue:
            push(.bool(true))
        case .newFalse:
            push(.bool(false))
        case .binInt:
            push(.int(Int64(Int32(truncatingIfNeeded: try input.readLittleEndian(4)))))
        case .binInt1:
            push(.int(Int64(try input.readLittleEndian(1))))
        case .binInt2:
            push(.int(Int64(try input.readLittleEndian(2))))
        case .long1:
            let count = try input.readLength(1)
            push(Self.integer(littleEndian: try input.read(count)))
        case .long4:
            let raw = Int32(truncatingIfNeeded: try input.readLittleEndian(4))
            guard raw >= 0 else { throw fail(.malformed, "negative LONG4 length") }
            guard Int(raw) <= input.remaining else {
                throw fail(.truncated, "a length of \(raw) bytes runs past the end of the data")
            }
            push(Self.integer(littleEndian: try input.read(Int(raw))))
        case .binFloat:
            push(.float(Double(bitPattern: UInt64(bigEndian: try input.readLittleEndian(8)))))
        case .int, .long:
            push(try textInteger(try input.readLine()))
        case .float:
            let text = try string(try input.readLine())
            guard let value = Double(text) else {
                throw fail(.malformed, "'\(text.prefix(40))' is not a float")
            }
            push(.float(value))

        case .binUnicode:
            push(.string(try string(try input.read(try input.readLength(4)))))
        case .shortBinUnicode:
            push(.string(try string(try input.read(try input.readLength(1)))))
        case .binUnicode8:
            push(.string(try string(try input.read(try input.readLength(8)))))
        case .unicode:
            push(.string(TextEscapes.rawUnicodeEscape(try input.readLine())))
        case .binBytes:
            push(.bytes(Array(try input.read(try input.readLength(4)))))
        case .shortBinBytes:
            push(.bytes(Array(try input.read(try input.readLength(1)))))
        case .binBytes8, .byteArray8:
            push(.bytes(Array(try input.read(try input.readLength(8)))))
        case .binString:
            push(.bytes(Array(try input.read(try input.readLength(4)))))
        case .shortBinString:
            push(.bytes(Array(try input.read(try input.readLength(1)))))
        case .string:
            guard let bytes = TextEscapes.quotedString(try input.readLine()) else {
                throw fail(.malformed, "a STRING argument is not a quoted string")
            }
            push(.bytes(bytes))

        case .emptyTuple:
            try pushTuple([])
        case .tuple:
            try pushTuple(try popMarkEntries())
        case .tuple1:
            let a = try popEntry()
            try pushTuple([a])
        case .tuple2:
            let b = try popEntry()
            let a = try popEntry()
            try pushTuple([a, b])
        case .tuple3:
            let c = try popEntry()
            let b = try popEntry()
            let a = try popEntry()
            try pushTuple([a, b, c])
        case .emptyList:
            push(.list(PickleList()))
        case .list:
            push(.list(PickleList(try popMark())))
        case .append:
            let item = try pop()
            try append([item], to: try top())
        case .appends:
            let items = try popMark()
            try append(items, to: try top())
        case .emptyDict:
            push(.dict(PickleDict()))
        case .dict:
            let items = try popMark()
            let dict = PickleDict()
            try setItems(items, on: .dict(dict))
            push(.dict(dict))
        case .setItem:
            let value = try pop()
            let key = try pop()
            try setItems([key, value], on: try top())
        case .setItems:
            let items = try popMark()
            try setItems(items, on: try top())
        case .emptySet:
            push(.set(PickleList()))
        case .addItems:
            let items = try popMark()
            guard case .set(let set) = try top() else {
                throw fail(.malformed, "ADDITEMS onto \(try top().kindName), not a set")
            }
            set.items.append(contentsOf: items)
        case .frozenSet:
            push(.set(PickleList(try popMark())))

        case .get:
            let text = try string(try input.readLine())
            guard let index = Int(text) else { throw fail(.malformed, "bad memo index") }
            try recall(index)
        case .binGet:
            try recall(Int(try input.readLittleEndian(1)))
        case .longBinGet:
            try recall(Int(try input.readLittleEndian(4)))
        case .put:
            let text = try string(try input.readLine())
            guard let index = Int(text) else { throw fail(.malformed, "bad memo index") }
            try remember(index)
        case .binPut:
            try remember(Int(try input.readLittleEndian(1)))
        case .longBinPut:
            try remember(Int(try input.readLittleEndian(4)))
        case .memoize:
            try remember(memo.count)

        case .global:
            let module = try string(try input.readLine())
            let name = try string(try input.readLine())
            push(try global(module, name))
        case .stackGlobal:
            let name = try pop()
            let module = try pop()
            guard case .string(let moduleName) = module, case .string(let globalName) = name
            else {
                throw fail(.malformed, "STACK_GLOBAL needs two strings")
            }
            push(try global(moduleName, globalName))
        case .reduce:
            let arguments = try pop()
            let callable = try pop()
            guard case .tuple(let items) = arguments else {
                throw fail(.malformed, "REDUCE arguments are a \(arguments.kindName), not a tuple")
            }
            push(.object(PickleObject(callable: callable, construction: .reduce, arguments: items)))
        case .newObj:
            let arguments = try pop()
            let type = try pop()
            guard case .tuple(let items) = arguments else {
                throw fail(.malformed, "NEWOBJ arguments are a \(arguments.kindName), not a tuple")
            }
            push(.object(PickleObject(callable: type, construction: .newObject, arguments: items)))
        case .newObjEx:
            let keywords = try pop()
            let arguments = try pop()
            let type = try pop()
            guard case .tuple(let items) = arguments, case .dict(let keywordDict) = keywords else {
                throw fail(.malformed, "NEWOBJ_EX needs a tuple and a dict")
            }
            push(
                .object(
                    PickleObject(
                        callable: type,
                        construction: .newObject,
                        arguments: items,
                        keywordArguments: keywordDict
                    )
                )
            )
        case .inst:
            let module = try string(try input.readLine())
            let name = try string(try input.readLine())
            let callable = try global(module, name)
            let arguments = try popMark()
            push(
                .object(
                    PickleObject(
                        callable: callable,
                        construction: .instantiate,
                        arguments: arguments
                    )
                )
            )
        case .obj:
            var items = try popMark()
            guard !items.isEmpty else { throw fail(.malformed, "OBJ without a class") }
            let type = items.removeFirst()
            push(
                .object(PickleObject(callable: type, construction: .instantiate, arguments: items))
            )
        case .build:
            try build(&input)

        case .persistentID, .binPersistentID:
            throw fail(.unsupported, "persistent ids refer to objects outside the file")
        case .ext1, .ext2, .ext4:
            throw fail(.unsupported, "the copyreg extension registry is not supported")
        case .nextBuffer, .readonlyBuffer:
            throw fail(
                .unsupported,
                "out-of-band buffers are not supported; save without a buffer_callback"
            )
        }
    }

    /// A global as an inert symbol, unless ``GlobalPolicy`` refuses it.
    func global(_ module: String, _ name: String) throws(PickleError) -> PickleValue {
        machine.trace?.recordGlobal(module: module, name: name)
        if let reason = GlobalPolicy.refusal(module: module, name: name) {
            let shown = (module + "." + name).prefix(120)
            throw fail(.forbiddenGlobal, "refused global \(shown): \(reason)")
        }
        return .global(module: module, name: name)
    }

    mutating func build(_ input: inout PickleInput) throws(PickleError) {
        let state = try pop()
        let target = try top()
        guard case .object(let object) = target else {
            // Setting attributes on a global or a container is how hostile pickles smuggle
            // names past allow-lists; no real model does it.
            throw fail(
                .malformed,
                "BUILD on a \(target.kindName); only constructed objects take state"
            )
        }
        object.state = state
        if let interpreter = machine.interpreter,
            let replacement = try interpreter.valueAfterBuild(
                of: object,
                input: &input,
                machine: machine
            )
        {
            stack[stack.count - 1] = Entry(value: replacement)
        }
    }

    func append(_ items: [PickleValue], to target: PickleValue) throws(PickleError) {
        switch target {
        case .list(let list): list.items.append(contentsOf: items)
        case .object(let object): object.listItems.append(contentsOf: items)
        default: throw fail(.malformed, "\(opcode.name) onto a \(target.kindName)")
        }
    }

    func setItems(_ items: [PickleValue], on target: PickleValue) throws(PickleError) {
        guard items.count % 2 == 0 else { throw fail(.malformed, "an odd number of dict items") }
        for pair in stride(from: 0, to: items.count, by: 2) {
            switch target {
            case .dict(let dict): dict.set(items[pair], items[pair + 1])
            case .object(let object): object.dictItems.append((items[pair], items[pair + 1]))
            default: throw fail(.malformed, "\(opcode.name) onto a \(target.kindName)")
            }
        }
    }

    func textInteger(_ line: ArraySlice<UInt8>) throws(PickleError) -> PickleValue {
        var text = try string(line)
        if text == "00" { return .bool(false) }
        if text == "01" { return .bool(true) }
        if text.hasSuffix("L") { text.removeLast() }
        if let value = Int64(text) { return .int(value) }
        guard let bytes = TextEscapes.decimalToLittleEndian(text) else {
            throw fail(.malformed, "'\(text.prefix(40))' is not an integer")
        }
        return .bigInt(bytes)
    }

    /// Decodes LONG1/LONG4 payloads: little-endian two's complement of any width.
    static func integer(littleEndian bytes: ArraySlice<UInt8>) -> PickleValue {
        if bytes.isEmpty { return .int(0) }
        if bytes.count > 8 { return .bigInt(Array(bytes)) }
        var value: UInt64 = 0
        for (shift, byte) in bytes.enumerated() {
            value |= UInt64(byte) << (8 * UInt64(shift))
        }
        let width = UInt64(bytes.count * 8)
        if width < 64, bytes.last! & 0x80 != 0 {
            value |= ~UInt64(0) << width  // sign-extend
        }
        return .int(Int64(bitPattern: value))
    }
}
