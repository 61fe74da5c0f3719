import Estimators

/// Reads a native `/predict` body (`{"features": [[...], ...]}` or `{"instances": [{...}]}`)
/// into the feature matrix a request would carry, outside any timed part.
///
/// The server's own decoder is internal to Serving, so this is a plain reader for the shapes
/// bench/train_models.py writes. It places cells as the server does (named rows by the
/// model's feature names, strings only in the model's text columns), and the benchmark
/// checks that the predictions equal scikit-learn's, which they could not if a cell moved.
enum RowsFile {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The first `limit` rows of `body`, as a matrix for `model`.
    static func matrix(_ body: [UInt8], limit: Int, for model: Model) throws(Failure) -> Matrix {
        var parser = JSONParser(bytes: body)
        guard case .object(let fields) = try parser.document() else {
            throw Failure(description: "the rows file must hold a JSON object")
        }
        guard let (_, rowList) = fields.first(where: { ["features", "instances"].contains($0.0) }),
            case .array(let rows) = rowList
        else {
            throw Failure(
                description: "the rows file has no list under \"features\" or \"instances\""
            )
        }
        let width = model.inputWidth
        let chosen = rows.prefix(limit)
        var matrix = Matrix(rows: chosen.count, columns: width)
        for (row, value) in chosen.enumerated() {
            let cells = try cells(of: value, width: width, names: model.featureNames)
            for (column, cell) in cells.enumerated() {
                switch cell {
                case .number(let number):
                    matrix[row, column] = number
                case .string(let text) where model.textColumns.contains(column):
                    matrix[row, column] = .nan
                    matrix.text[row * width + column] = text
                default:
                    throw Failure(description: "row \(row), column \(column): not a number")
                }
            }
        }
        return matrix
    }

    /// The cells of one row in column order: a list as given, an object by feature name.
    private static func cells(of row: JSONValue, width: Int, names: [String]?) throws(Failure)
        -> [JSONValue]
    {
        switch row {
        case .array(let cells) where cells.count == width:
            return cells
        case .object(let fields):
            guard let names, names.count == width else {
                throw Failure(description: "named rows, but the model has no feature names")
            }
            let byName = Dictionary(fields, uniquingKeysWith: { first, _ in first })
            var cells: [JSONValue] = []
            for name in names {
                guard let cell = byName[name] else {
                    throw Failure(description: "a row has no feature \"\(name)\"")
                }
                cells.append(cell)
            }
            return cells
        default:
            throw Failure(description: "each row must be a list of \(width) values or an object")
        }
    }
}

/// A parsed JSON value; only what a rows file holds.
enum JSONValue {
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
    case literal
}

/// A small recursive JSON parser. Numbers go through `Double(_:)`, which rounds correctly,
/// as the server's reader does.
struct JSONParser {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func document() throws(RowsFile.Failure) -> JSONValue {
        let value = try self.value()
        skipWhitespace()
        guard position == bytes.count else { throw failure("text after the document") }
        return value
    }

    private mutating func value() throws(RowsFile.Failure) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw failure("the document ends early") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            position += 1
            var fields: [(String, JSONValue)] = []
            if consume(UInt8(ascii: "}")) { return .object(fields) }
            repeat {
                skipWhitespace()
                guard case .string(let key) = try value() else { throw failure("expected a key") }
                guard consume(UInt8(ascii: ":")) else { throw failure("expected ':'") }
                fields.append((key, try value()))
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "}")) else { throw failure("expected '}'") }
            return .object(fields)
        case UInt8(ascii: "["):
            position += 1
            var elements: [JSONValue] = []
            if consume(UInt8(ascii: "]")) { return .array(elements) }
            repeat {
                elements.append(try value())
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "]")) else { throw failure("expected ']'") }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = position
            while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            guard let number = Double(text) else { throw failure("bad number \(text)") }
            return .number(number)
        default:
            // true, false, null: a rows file has none the benchmark sends, but skip them whole.
            while position < bytes.count, bytes[position] >= UInt8(ascii: "a"),
                bytes[position] <= UInt8(ascii: "z")
            {
                position += 1
            }
            return .literal
        }
    }

    /// A string without escapes: the benchmark's names and categories have none.
    private mutating func string() throws(RowsFile.Failure) -> String {
        position += 1
        let start = position
        while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
            guard bytes[position] != UInt8(ascii: "\\") else {
                throw failure("escaped strings are not read by this tool")
            }
            position += 1
        }
        guard position < bytes.count else { throw failure("unterminated string") }
        position += 1
        return String(decoding: bytes[start..<(position - 1)], as: UTF8.self)
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                position += 1
            default:
                return
            }
        }
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
            UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default: false
        }
    }

    private func failure(_ message: String) -> RowsFile.Failure {
        RowsFile.Failure(description: "rows file, byte \(position): \(message)")
    }
}
