import Pickle
import TestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loads with a machine that has no interpreter.
func load(_ notation: String) throws(PickleError) -> PickleValue {
    try PickleMachine().load(bytes(notation))
}

/// The error loading `data` throws, or nil when it loads.
func loadError(_ data: [UInt8], machine: PickleMachine = PickleMachine()) -> PickleError? {
    do {
        _ = try machine.load(data)
        return nil
    } catch {
        return error
    }
}

/// The whole of a file under `Tests/Fixtures`.
func fixtureBytes(_ relativePath: String) throws -> [UInt8] {
    let path = "\(Fixtures.root)/\(relativePath)"
    guard let file = fopen(path, "rb") else { throw FixtureMissing(path: path) }
    defer { fclose(file) }
    var data: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count == 0 { break }
        data.append(contentsOf: chunk[0..<count])
    }
    return data
}

struct FixtureMissing: Error {
    let path: String
}

/// A Python-like `repr` of a value, written independently of the code under test so that
/// tests can compare whole graphs with what Python printed for the same object.
func repr(_ value: PickleValue) -> String {
    switch value {
    case .none: return "None"
    case .bool(let flag): return flag ? "True" : "False"
    case .int(let integer): return String(integer)
    case .bigInt(let bytes): return decimal(littleEndian: bytes)
    case .float(let double): return double.description
    case .string(let text): return quoted(Array(text.unicodeScalars).map(\.value), prefix: "")
    case .bytes(let data): return quoted(data.map(UInt32.init), prefix: "b")
    case .tuple(let items):
        if items.count == 1 { return "(\(repr(items[0])),)" }
        return "(" + items.map(repr).joined(separator: ", ") + ")"
    case .list(let list): return "[" + list.items.map(repr).joined(separator: ", ") + "]"
    case .dict(let dict):
        let entries = dict.entries.map { "\(repr($0.key)): \(repr($0.value))" }
        return "{" + entries.joined(separator: ", ") + "}"
    case .set(let set): return "{" + set.items.map(repr).joined(separator: ", ") + "}"
    case .slice(let start, let stop, let step):
        return "slice(\(repr(start)), \(repr(stop)), \(repr(step)))"
    case .complex(let real, let imaginary):
        // Python writes a purely imaginary number without its zero real part.
        let imaginaryText = shortFloat(imaginary) + "j"
        if real == 0, real.sign == .plus { return imaginaryText }
        let sign = imaginary.sign == .minus || imaginary.isNaN ? "" : "+"
        return "(\(shortFloat(real))\(sign)\(imaginaryText))"
    case .plainObject: return "<object object>"
    case .global(let module, let name): return "<global \(module).\(name)>"
    case .object(let object):
        let callee = object.qualifiedName ?? repr(object.callable)
        var text = "\(callee)(" + object.arguments.map(repr).joined(separator: ", ") + ")"
        if let state = object.state { text += ".__setstate__(\(repr(state)))" }
        return text
    case .native(let native): return "<native \(type(of: native))>"
    }
}

/// A float as Python writes the parts of a complex number: no ".0" on whole numbers.
private func shortFloat(_ value: Double) -> String {
    let text = value.description
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
}

private func quoted(_ codes: [UInt32], prefix: String) -> String {
    var text = prefix + "'"
    for code in codes {
        switch code {
        case 0x5C: text += "\\\\"
        case 0x27: text += "\\'"
        case 0x0A: text += "\\n"
        case 0x0D: text += "\\r"
        case 0x09: text += "\\t"
        case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(code)!)
        default:
            if prefix == "b" || code < 0xA0 {
                text += "\\x" + (code < 0x10 ? "0" : "") + String(code, radix: 16)
            } else {
                text.unicodeScalars.append(Unicode.Scalar(code) ?? "?")
            }
        }
    }
    return text + "'"
}

/// Little-endian two's complement of any width, in decimal.
func decimal(littleEndian bytes: [UInt8]) -> String {
    guard let last = bytes.last else { return "0" }
    let negative = last & 0x80 != 0
    var magnitude = bytes
    if negative {
        // Two's complement negation: invert and add one.
        var carry: UInt16 = 1
        for index in magnitude.indices {
            let sum = UInt16(~magnitude[index]) + carry
            magnitude[index] = UInt8(sum & 0xFF)
            carry = sum >> 8
        }
    }
    var digits: [UInt8] = []
    var words = Array(magnitude.reversed())  // big-endian base-256
    while words.contains(where: { $0 != 0 }) {
        var remainder: UInt16 = 0
        for index in words.indices {
            let current = remainder << 8 | UInt16(words[index])
            words[index] = UInt8(current / 10)
            remainder = current % 10
        }
        digits.append(UInt8(remainder) + UInt8(ascii: "0"))
    }
    if digits.isEmpty { digits = [UInt8(ascii: "0")] }
    return (negative ? "-" : "") + String(decoding: digits.reversed(), as: UTF8.self)
}
