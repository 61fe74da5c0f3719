import Pickle

/// A numpy dtype as a pickle describes it: `numpy.dtype(typestr, False, True)` followed by
/// BUILD with `(3, byteorder, subarray, names, fields, elsize, alignment, flags)`.
public struct DType: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Character, Sendable {
        case float = "f"
        /// Pairs of floats (real, imaginary): `c8` and `c16`.
        case complex = "c"
        case signedInteger = "i"
        case unsignedInteger = "u"
        case boolean = "b"
        case object = "O"
        case unicode = "U"
        case bytes = "S"
        /// Structured records (`V`), such as the node arrays of scikit-learn trees.
        case void = "V"
    }

    /// One named field of a structured dtype.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var dtype: DType
        public var offset: Int
    }

    public var kind: Kind
    /// Bytes per element.
    public var itemSize: Int
    public var isBigEndian: Bool
    /// Fields of a structured dtype, in declaration order; empty otherwise.
    public var fields: [Field]

    public init(kind: Kind, itemSize: Int, isBigEndian: Bool = false, fields: [Field] = []) {
        self.kind = kind
        self.itemSize = itemSize
        self.isBigEndian = isBigEndian
        self.fields = fields
    }

    public static let float64 = DType(kind: .float, itemSize: 8)
    public static let int64 = DType(kind: .signedInteger, itemSize: 8)

    public var description: String {
        if kind == .void, !fields.isEmpty {
            return "{"
                + fields.map { "\($0.name): \($0.dtype)@\($0.offset)" }.joined(separator: ", ")
                + "}"
        }
        let order =
            itemSize == 1 || kind == .object || kind == .void ? "|" : isBigEndian ? ">" : "<"
        let size = kind == .unicode ? itemSize / 4 : itemSize
        return "\(order)\(kind.rawValue)\(size)"
    }

    public func field(named name: String) -> Field? {
        fields.first { $0.name == name }
    }
}

extension DType {
    /// Rebuilds a dtype from its pickled form.
    init(pickled value: PickleValue) throws(ArrayError) {
        guard case .object(let object) = value, NumpyNames.isDType(object.qualifiedName),
            case .string(let typeString)? = object.arguments.first
        else {
            throw ArrayError.malformed("expected a numpy.dtype, found \(value.kindName)")
        }
        guard let kindCharacter = typeString.first, let kind = Kind(rawValue: kindCharacter),
            let count = Int(typeString.dropFirst())
        else {
            throw ArrayError.unsupported("numpy dtype '\(typeString)' is not supported")
        }
        var itemSize = kind == .unicode ? count * 4 : count
        if kind == .boolean { itemSize = 1 }
        var bigEndian = false
        var fields: [Field] = []
        if case .tuple(let state)? = object.state, state.count >= 8 {
            if case .string(let order) = state[1] { bigEndian = order == ">" }
            if case .int(let elementSize) = state[5], elementSize > 0 {
                itemSize = Int(elementSize)
            }
            if case .tuple(let names) = state[3], case .dict(let fieldDict) = state[4] {
                fields = try Self.fields(names: names, in: fieldDict)
            }
        }
        self.init(kind: kind, itemSize: itemSize, isBigEndian: bigEndian, fields: fields)
        try validate()
    }

    private static func fields(names: [PickleValue], in dict: PickleDict) throws(ArrayError)
        -> [Field]
    {
        var fields: [Field] = []
        for case .string(let name) in names {
            guard case .tuple(let entry)? = dict[name], entry.count >= 2,
                case .int(let offset) = entry[1]
            else {
                throw ArrayError.malformed("structured dtype field '\(name)' has no offset")
            }
            fields.append(
                Field(name: name, dtype: try DType(pickled: entry[0]), offset: Int(offset))
            )
        }
        return fields
    }

    private func validate() throws(ArrayError) {
        guard itemSize >= 0 else {
            throw ArrayError.malformed("dtype \(kind.rawValue) of negative size \(itemSize)")
        }
        switch kind {
        case .float where [2, 4, 8].contains(itemSize): break
        case .complex:
            guard [8, 16].contains(itemSize) else {
                throw ArrayError.unsupported("complex dtype of \(itemSize) bytes")
            }
        case .signedInteger, .unsignedInteger:
            guard [1, 2, 4, 8].contains(itemSize) else {
                throw ArrayError.unsupported("integer dtype of \(itemSize) bytes")
            }
        case .float:
            throw ArrayError.unsupported("float dtype of \(itemSize) bytes")
        case .unicode:
            // UCS-4: a whole number of 4-byte code points per element.
            guard itemSize % 4 == 0 else {
                throw ArrayError.malformed(
                    "unicode dtype of \(itemSize) bytes, not 4 per character"
                )
            }
        case .boolean, .object, .bytes: break
        case .void:
            for field in fields
            where field.offset < 0 || field.offset + field.dtype.itemSize > itemSize {
                throw ArrayError.malformed(
                    "field '\(field.name)' at offset \(field.offset) runs past the record size"
                )
            }
        }
    }
}
