/// Measures how deeply a value graph nests, and finds cycles, without recursion.
///
/// Swift releases nested values recursively, and code that reads the graph often recurses
/// too; a graph deeper than the limit is refused at load. Each container or object counts
/// once however often it is shared (tuples too, by their storage, since DUP and the memo
/// share it), so the walk is linear in the size of the graph.
///
/// A graph with a cycle (a list that holds itself, an object whose state refers back to it)
/// is refused as well: reference counting never frees a cycle, so every load of one would
/// leak it, and code that follows references (a pipeline whose step is the pipeline) would
/// recurse forever. scikit-learn's fitted estimators never form one.
enum GraphDepth {
    /// Checks `root` and every container or object the load made (`made`), reachable from
    /// the root or not: what the memo or a popped value still holds is released too.
    static func check(
        _ root: PickleValue,
        made: [PickleValue] = [],
        limit: Int,
        offset: Int
    ) throws(PickleError) {
        guard let depth = measure([root] + made, stoppingAbove: limit) else {
            throw PickleError(
                .unsupported,
                offset: offset,
                "a container or object contains itself (a reference cycle)"
            )
        }
        guard depth <= limit else {
            throw PickleError(
                .limitExceeded,
                offset: offset,
                "containers and objects nest deeper than \(limit) levels"
            )
        }
    }

    /// One node being walked: its children and the deepest child seen so far.
    private struct Frame {
        var identity: Int?
        var children: [PickleValue]
        var next = 0
        var deepestChild = 0
    }

    /// The deepest nesting below any of `roots` (0 for scalars), or a value above `limit` as
    /// soon as one is found; nil when the graph has a cycle. Nodes shared between roots are
    /// walked once.
    static func measure(_ roots: [PickleValue], stoppingAbove limit: Int) -> Int? {
        var known: [Int: Int] = [:]
        var open: Set<Int> = []
        var frames: [Frame] = []
        var cyclic = false

        /// Starts walking `value`, or returns its depth when that is already known.
        func enter(_ value: PickleValue) -> Int? {
            guard let (identity, children) = parts(of: value) else { return 0 }
            if let identity {
                if let depth = known[identity] { return depth }
                if open.contains(identity) {  // a node that encloses this one
                    cyclic = true
                    return 0
                }
                open.insert(identity)
            }
            frames.append(Frame(identity: identity, children: children))
            return nil
        }

        /// The depth of one root, as ``measure(_:stoppingAbove:)`` reports it.
        func walk(_ root: PickleValue) -> Int? {
            if let depth = enter(root) { return depth }
            while !frames.isEmpty {
                let top = frames.count - 1
                if frames[top].next < frames[top].children.count {
                    let child = frames[top].children[frames[top].next]
                    frames[top].next += 1
                    if let depth = enter(child) {
                        if cyclic { return nil }
                        frames[top].deepestChild = max(frames[top].deepestChild, depth)
                    }
                    if frames.count > limit { return frames.count }
                    continue
                }
                let finished = frames.removeLast()
                let depth = finished.deepestChild + 1
                if depth > limit { return depth }
                if let identity = finished.identity {
                    known[identity] = depth
                    open.remove(identity)
                }
                guard !frames.isEmpty else { return depth }
                frames[frames.count - 1].deepestChild = max(
                    frames[frames.count - 1].deepestChild,
                    depth
                )
            }
            return 0
        }

        var deepest = 0
        for root in roots {
            guard let depth = walk(root) else { return nil }
            if depth > limit { return depth }
            deepest = max(deepest, depth)
        }
        return deepest
    }

    /// The identity and the children of a container or object; nil for scalars. The
    /// identity is the address of the object, or of a tuple's element storage; both stay
    /// allocated while the graph is walked, so no two nodes share one.
    private static func parts(of value: PickleValue) -> (Int?, [PickleValue])? {
        switch value {
        case .tuple(let items):
            let storage = items.withUnsafeBufferPointer {
                $0.baseAddress.map { Int(bitPattern: $0) }
            }
            return (items.isEmpty ? nil : storage, items)
        case .list(let list), .set(let list):
            return (address(list), list.items)
        case .dict(let dict):
            return (address(dict), dict.entries.flatMap { [$0.key, $0.value] })
        case .object(let object):
            var children = [object.callable] + object.arguments + object.listItems
            if let keywords = object.keywordArguments { children.append(.dict(keywords)) }
            if let state = object.state { children.append(state) }
            for item in object.dictItems { children += [item.key, item.value] }
            return (address(object), children)
        default:
            return nil
        }
    }

    private static func address(_ object: AnyObject) -> Int {
        Int(bitPattern: Unmanaged.passUnretained(object).toOpaque())
    }
}
