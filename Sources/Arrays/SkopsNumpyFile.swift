/// Reads the `.npy` members of a skops file (numpy's format versions 1.0, 2.0 and 3.0), as
/// `numpy.load(..., allow_pickle=False)` does: a magic string, a header that is a Python
/// dict literal giving `descr`, `fortran_order` and `shape`, then the raw elements.
enum SkopsNumpyFile {
    /// numpy's own default (`max_header_size`), past which it refuses to parse a header.
    static let maxHeaderSize = 10_000

    static func array(_ bytes: [UInt8], member: String) throws(ArrayError) -> NDArray {
        func fail(_ message: String) -> ArrayError {
            ArrayError.malformed("skops file: member '\(member)' is not a .npy array: \(message)")
        }
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, bytes.starts(with: magic) else { throw fail("no magic string") }
        let major = bytes[6]
        let headerStart: Int
        let headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("its header length is cut off") }
            headerStart = 12
            headerLength = (8..<12).reduce(0) { $0 | Int(bytes[$1]) << (8 * ($1 - 8)) }
        default:
            throw ArrayError.unsupported(
                "skops file: member '\(member)' is in .npy format version \(major), not 1, 2 or 3"
            )
        }
        guard headerLength <= maxHeaderSize else {
            throw fail("its header of \(headerLength) bytes passes numpy's limit")
        }
        guard headerLength <= bytes.count - headerStart else {
            throw fail("its header runs past the end")
        }
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        // Versions 1 and 2 write the header in latin-1, version 3 in UTF-8.
        let header =
            major == 3
            ? String(validating: headerBytes, as: UTF8.self)
            : String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))
        guard let header else { throw fail("its header is not UTF-8") }
        let literal: NumpyHeaderLiteral
        do {
            literal = try NumpyHeaderLiteral.parse(header)
        } catch {
            throw fail("its header is not a Python literal: \(error.message)")
        }
        guard case .dict(let entries) = literal,
            Set(entries.map(\.key)) == ["descr", "fortran_order", "shape"],
            entries.count == 3
        else {
            throw fail("its header is not a dict of exactly descr, fortran_order and shape")
        }
        let fields = Dictionary(entries, uniquingKeysWith: { first, _ in first })
        guard case .bool(let fortran)? = fields["fortran_order"] else {
            throw fail("fortran_order is not a bool")
        }
        guard case .tuple(let dimensions)? = fields["shape"] else {
            throw fail("shape is not a tuple")
        }
        var shape: [Int] = []
        for dimension in dimensions {
            guard case .int(let size) = dimension, size >= 0 else {
                throw fail("shape holds something other than sizes")
            }
            shape.append(size)
        }
        let dtype = try Self.dtype(fields["descr"] ?? .none, member: member)
        let count = try NDArray.elementCount(shape)
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
        let dataStart = headerStart + headerLength
        guard !overflow, byteCount == bytes.count - dataStart else {
            throw fail(
                "shape \(shape) of \(dtype) needs \(overflow ? "too many" : "\(byteCount)") "
                    + "bytes, the member holds \(bytes.count - dataStart)"
            )
        }
        return try NDArray(
            dtype: dtype,
            shape: shape,
            bytes: Array(bytes[dataStart...]),
            fortranOrder: fortran
        )
    }

    /// The dtype a `descr` gives: a type string (`'<f8'`) or, for records, a list of
    /// `(name, descr)` pairs laid out one after another, where a name of `''` is padding.
    static func dtype(_ descr: NumpyHeaderLiteral, member: String) throws(ArrayError) -> DType {
        switch descr {
        case .string(let typeString):
            return try dtype(typeString: typeString, member: member)
        case .list(let items):
            var fields: [DType.Field] = []
            var offset = 0
            for item in items {
                guard case .tuple(let pair) = item, pair.count == 2,
                    case .string(let name) = pair[0]
                else {
                    throw ArrayError.unsupported(
                        "skops file: member '\(member)' has a record field other than "
                            + "(name, type), such as a sub-array or a titled field"
                    )
                }
                let field = try dtype(pair[1], member: member)
                if !name.isEmpty {
                    guard !fields.contains(where: { $0.name == name }) else {
                        throw ArrayError.malformed(
                            "skops file: member '\(member)' names field '\(name)' twice"
                        )
                    }
                    fields.append(DType.Field(name: name, dtype: field, offset: offset))
                }
                offset += field.itemSize
            }
            return DType(kind: .void, itemSize: offset, fields: fields)
        default:
            throw ArrayError.malformed("skops file: member '\(member)' has a descr of no dtype")
        }
    }

    private static func dtype(typeString: String, member: String) throws(ArrayError) -> DType {
        var characters = Substring(typeString)
        var bigEndian = false
        if let order = characters.first, "<>|=".contains(order) {
            bigEndian = order == ">"
            characters = characters.dropFirst()
        }
        guard let kindCharacter = characters.first, let kind = DType.Kind(rawValue: kindCharacter),
            kind != .object, let count = Int(characters.dropFirst()), count >= 0
        else {
            throw ArrayError.unsupported(
                "skops file: member '\(member)' has numpy dtype '\(typeString)', which is not "
                    + "supported"
            )
        }
        let itemSize = kind == .unicode ? count * 4 : count
        let dtype = DType(kind: kind, itemSize: itemSize, isBigEndian: bigEndian)
        switch kind {
        case .float where [2, 4, 8].contains(itemSize),
            .complex where [8, 16].contains(itemSize),
            .signedInteger where [1, 2, 4, 8].contains(itemSize),
            .unsignedInteger where [1, 2, 4, 8].contains(itemSize),
            .boolean where itemSize == 1,
            .unicode, .bytes, .void:
            return dtype
        default:
            throw ArrayError.unsupported(
                "skops file: member '\(member)' has numpy dtype '\(typeString)', which is not "
                    + "supported"
            )
        }
    }
}

/// The few Python literals a `.npy` header holds: strings, integers, booleans, `None`,
/// tuples, lists and dicts with string keys.
enum NumpyHeaderLiteral: Equatable {
    case none
    case bool(Bool)
    case int(Int)
    case string(String)
    case tuple([NumpyHeaderLiteral])
    case list([NumpyHeaderLiteral])
    case dict([(key: String, value: NumpyHeaderLiteral)])

    static func == (left: NumpyHeaderLiteral, right: NumpyHeaderLiteral) -> Bool {
        switch (left, right) {
        case (.none, .none): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.tuple(let a), .tuple(let b)), (.list(let a), .list(let b)): a == b
        case (.dict(let a), .dict(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// Nesting past this is no header numpy writes.
    static let maxDepth = 16

    static func parse(_ text: String) throws(ArrayError) -> NumpyHeaderLiteral {
        var parser = Parser(characters: Array(text.unicodeScalars))
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == parser.characters.count else {
            throw ArrayError.malformed("text after the literal at character \(parser.position)")
        }
        return value
    }

    private struct Parser {
        let characters: [Unicode.Scalar]
        var position = 0

        func fail(_ message: String) -> ArrayError {
            ArrayError.malformed("\(message) at character \(position)")
        }

        var next: Unicode.Scalar? { position < characters.count ? characters[position] : nil }

        mutating func skipSpace() {
            while let character = next, character == " " || character == "\n" || character == "\t" {
                position += 1
            }
        }

        mutating func value(depth: Int) throws(ArrayError) -> NumpyHeaderLiteral {
            guard depth <= NumpyHeaderLiteral.maxDepth else { throw fail("nested too deeply") }
            skipSpace()
            guard let character = next else { throw fail("the text ends where a value should be") }
            switch character {
            case "'", "\"": return .string(try string(quote: character))
            case "(":
                // As in Python, parentheses around one item without a comma are no tuple.
                let (items, comma) = try sequence(closing: ")", depth: depth)
                return items.count == 1 && !comma ? items[0] : .tuple(items)
            case "[": return .list(try sequence(closing: "]", depth: depth).items)
            case "{": return try dict(depth: depth)
            case "-", "0"..."9": return try integer()
            default:
                for (word, value) in [("True", true), ("False", false)] where matches(word) {
                    position += word.unicodeScalars.count
                    return .bool(value)
                }
                if matches("None") {
                    position += 4
                    return .none
                }
                throw fail("unexpected '\(character)'")
            }
        }

        func matches(_ word: String) -> Bool {
            let scalars = Array(word.unicodeScalars)
            return characters.count - position >= scalars.count
                && Array(characters[position..<(position + scalars.count)]) == scalars
        }

        mutating func string(quote: Unicode.Scalar) throws(ArrayError) -> String {
            position += 1
            var scalars = String.UnicodeScalarView()
            while let character = next, character != quote {
                // numpy's type strings and field names hold no escapes; refuse rather than
                // guess at Python's escape rules.
                guard character != "\\" else { throw fail("an escape in a string") }
                scalars.append(character)
                position += 1
            }
            guard next == quote else { throw fail("an unterminated string") }
            position += 1
            return String(scalars)
        }

        mutating func integer() throws(ArrayError) -> NumpyHeaderLiteral {
            let start = position
            if next == "-" { position += 1 }
            while let character = next, ("0"..."9").contains(character) { position += 1 }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: characters[start..<position])
            // numpy writes shape sizes as Python ints, with an `L` suffix in Python 2.
            if next == "L" { position += 1 }
            guard let number = Int(String(text)) else { throw fail("an integer out of range") }
            return .int(number)
        }

        /// The items up to `closing`, and whether a comma followed the last one.
        mutating func sequence(closing: Unicode.Scalar, depth: Int) throws(ArrayError)
            -> (items: [NumpyHeaderLiteral], trailingComma: Bool)
        {
            position += 1
            var items: [NumpyHeaderLiteral] = []
            var comma = false
            while true {
                skipSpace()
                if next == closing {
                    position += 1
                    return (items, comma)
                }
                items.append(try value(depth: depth + 1))
                comma = false
                skipSpace()
                if next == "," {
                    position += 1
                    comma = true
                } else if next != closing {
                    throw fail("expected ',' or '\(closing)'")
                }
            }
        }

        mutating func dict(depth: Int) throws(ArrayError) -> NumpyHeaderLiteral {
            position += 1
            var entries: [(key: String, value: NumpyHeaderLiteral)] = []
            while true {
                skipSpace()
                if next == "}" {
                    position += 1
                    return .dict(entries)
                }
                guard case .string(let key) = try value(depth: depth + 1) else {
                    throw fail("a dict key that is not a string")
                }
                skipSpace()
                guard next == ":" else { throw fail("expected ':'") }
                position += 1
                entries.append((key, try value(depth: depth + 1)))
                skipSpace()
                if next == "," {
                    position += 1
                } else if next != "}" {
                    throw fail("expected ',' or '}'")
                }
            }
        }
    }
}
