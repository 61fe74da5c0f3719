/// Reads Universal Binary JSON (UBJSON draft 12, as XGBoost's `save_model(".ubj")` and its
/// pickled boosters write it) into a ``DocumentValue``.
///
/// Numbers are big-endian. Containers may be written with markers and an end byte, or
/// "optimized" with a count (`#`) and optionally one element type (`$`) for every element;
/// XGBoost writes its tree arrays as typed arrays (`[$d#L…` float32, `[$l#L…` int32,
/// `[$U#L…` uint8) and object keys as a length with no `S` marker, as the draft says.
/// A truncated or hostile file throws a ``DocumentError``: every count is checked against
/// the bytes left before anything is allocated, and nesting is bounded.
public enum UBJSONDocument {
    /// Arrays and objects nested deeper than this are refused, as in ``JSONDocument``.
    public static let maxDepth = JSONDocument.maxDepth

    public static func read(_ bytes: [UInt8]) throws(DocumentError) -> DocumentValue {
        try bytes.withUnsafeBufferPointer { buffer throws(DocumentError) in
            var reader = UBJSONReader(bytes: buffer)
            let value = try reader.value(depth: 0)
            // XGBoost pads nothing after the document; a no-op marker is harmless.
            while reader.position < buffer.count, buffer[reader.position] == UInt8(ascii: "N") {
                reader.position += 1
            }
            guard reader.position == buffer.count else {
                throw reader.error("unexpected bytes after the document")
            }
            return value
        }
    }

    /// Whether `bytes` open as an XGBoost UBJSON model does: an object whose first key is
    /// written with an integer length marker.
    public static func looksLikeDocument(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 3, bytes[0] == UInt8(ascii: "{") else { return false }
        return [
            UInt8(ascii: "i"), UInt8(ascii: "U"), UInt8(ascii: "I"), UInt8(ascii: "l"),
            UInt8(ascii: "L"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "}"),
        ]
        .contains(bytes[1])
    }
}

private struct UBJSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    func error(_ message: String) -> DocumentError {
        DocumentError(offset: position, message)
    }

    var remaining: Int { bytes.count - position }

    mutating func byte() throws(DocumentError) -> UInt8 {
        guard position < bytes.count else { throw error("the document ends early") }
        defer { position += 1 }
        return bytes[position]
    }

    /// A big-endian unsigned integer of `width` bytes.
    mutating func bigEndian(_ width: Int) throws(DocumentError) -> UInt64 {
        guard remaining >= width else { throw error("the document ends inside a number") }
        var value: UInt64 = 0
        for index in 0..<width {
            value = value << 8 | UInt64(bytes[position + index])
        }
        position += width
        return value
    }

    mutating func value(depth: Int) throws(DocumentError) -> DocumentValue {
        var marker = try byte()
        while marker == UInt8(ascii: "N") { marker = try byte() }
        return try value(of: marker, depth: depth)
    }

    mutating func value(of marker: UInt8, depth: Int) throws(DocumentError) -> DocumentValue {
        switch marker {
        case UInt8(ascii: "Z"): return .null
        case UInt8(ascii: "T"): return .bool(true)
        case UInt8(ascii: "F"): return .bool(false)
        case UInt8(ascii: "S"): return .string(try string())
        case UInt8(ascii: "C"): return .string(String(decoding: [try byte()], as: UTF8.self))
        case UInt8(ascii: "H"):
            // A high-precision number is written as its decimal text.
            let text = try string()
            if let integer = Int64(text) { return .integer(integer) }
            guard let double = Double(text) else { throw error("unreadable high-precision number") }
            return .double(double)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        default: return try number(of: marker)
        }
    }

    mutating func number(of marker: UInt8) throws(DocumentError) -> DocumentValue {
        switch marker {
        case UInt8(ascii: "i"): return .integer(Int64(Int8(bitPattern: UInt8(try bigEndian(1)))))
        case UInt8(ascii: "U"): return .integer(Int64(try bigEndian(1)))
        case UInt8(ascii: "I"):
            return .integer(Int64(Int16(bitPattern: UInt16(try bigEndian(2)))))
        case UInt8(ascii: "l"):
            return .integer(Int64(Int32(bitPattern: UInt32(try bigEndian(4)))))
        case UInt8(ascii: "L"): return .integer(Int64(bitPattern: try bigEndian(8)))
        case UInt8(ascii: "d"):
            return .double(Double(Float(bitPattern: UInt32(try bigEndian(4)))))
        case UInt8(ascii: "D"): return .double(Double(bitPattern: try bigEndian(8)))
        default:
            position -= 1
            throw error("unknown type marker \(marker)")
        }
    }

    /// A length or count: any integer type, never negative.
    mutating func length() throws(DocumentError) -> Int {
        let start = position
        guard let count = try number(of: try byte()).integer, count >= 0 else {
            position = start
            throw error("a length must be a non-negative integer")
        }
        return Int(count)
    }

    mutating func string() throws(DocumentError) -> String {
        let count = try length()
        guard count <= remaining else { throw error("the document ends inside a string") }
        defer { position += count }
        return String(
            decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + count]),
            as: UTF8.self
        )
    }

    /// The `$type` and `#count` of an optimized container, if it has them.
    mutating func containerHeader() throws(DocumentError) -> (type: UInt8?, count: Int?) {
        var type: UInt8?
        if position < bytes.count, bytes[position] == UInt8(ascii: "$") {
            position += 1
            type = try byte()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "#") else {
                throw error("a typed container needs a count")
            }
        }
        guard position < bytes.count, bytes[position] == UInt8(ascii: "#") else {
            return (type, nil)
        }
        position += 1
        let count = try length()
        // Every element takes at least one byte, except typed null and booleans (no bytes
        // at all), which no model writes; refuse counts the remaining bytes cannot hold.
        let elementSize = type.map(Self.payloadSize) ?? 1
        guard elementSize > 0 else { throw error("a typed container of null or booleans") }
        guard count <= remaining / elementSize else {
            throw error("a container counts \(count) elements, more than the document holds")
        }
        return (type, count)
    }

    /// Bytes of one element of a typed container; 1 at least for variable-size types.
    static func payloadSize(_ type: UInt8) -> Int {
        switch type {
        case UInt8(ascii: "i"), UInt8(ascii: "U"), UInt8(ascii: "C"): 1
        case UInt8(ascii: "I"): 2
        case UInt8(ascii: "l"), UInt8(ascii: "d"): 4
        case UInt8(ascii: "L"), UInt8(ascii: "D"): 8
        case UInt8(ascii: "Z"), UInt8(ascii: "T"), UInt8(ascii: "F"): 0
        default: 1
        }
    }

    /// One element of a container: of the container's type when it has one, else marked.
    mutating func element(_ type: UInt8?, depth: Int) throws(DocumentError) -> DocumentValue {
        if let type { try value(of: type, depth: depth) } else { try value(depth: depth) }
    }

    mutating func array(depth: Int) throws(DocumentError) -> DocumentValue {
        guard depth <= UBJSONDocument.maxDepth else {
            throw error("nested more than \(UBJSONDocument.maxDepth) deep")
        }
        let (type, count) = try containerHeader()
        var items: [DocumentValue] = []
        if let count {
            items.reserveCapacity(count)
            for _ in 0..<count {
                items.append(try element(type, depth: depth))
            }
            return .array(items)
        }
        while true {
            guard position < bytes.count else { throw error("the document ends inside an array") }
            if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(items)
            }
            items.append(try value(depth: depth))
        }
    }

    mutating func object(depth: Int) throws(DocumentError) -> DocumentValue {
        guard depth <= UBJSONDocument.maxDepth else {
            throw error("nested more than \(UBJSONDocument.maxDepth) deep")
        }
        let (type, count) = try containerHeader()
        var members: [DocumentMember] = []
        if let count {
            // Each member has at least a key length and a value: two bytes.
            guard count <= remaining / 2 else {
                throw error("an object counts \(count) members, more than the document holds")
            }
            members.reserveCapacity(count)
            for _ in 0..<count {
                let key = try string()
                members.append(DocumentMember(key: key, value: try element(type, depth: depth)))
            }
            return .object(members)
        }
        while true {
            guard position < bytes.count else { throw error("the document ends inside an object") }
            if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            let key = try string()
            members.append(DocumentMember(key: key, value: try value(depth: depth)))
        }
    }
}
