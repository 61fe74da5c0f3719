/// Decoders for the arguments of the text opcodes of protocol 0.
enum TextEscapes {
    /// Decodes `raw-unicode-escape` (UNICODE): `\u` and `\U` escapes (4 and 8 hex digits), every
    /// other byte is a Latin-1 code point. As in Python, a backslash starts an escape only
    /// when an even number of backslashes precede it (`\\u0041` stays as it is).
    static func rawUnicodeEscape(_ bytes: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        var index = bytes.startIndex
        var backslashRun = 0
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), backslashRun % 2 == 0, index + 1 < bytes.endIndex {
                let marker = bytes[index + 1]
                let width = marker == UInt8(ascii: "u") ? 4 : marker == UInt8(ascii: "U") ? 8 : 0
                if width > 0, index + 2 + width <= bytes.endIndex,
                    let code = UInt32(
                        String(decoding: bytes[(index + 2)..<(index + 2 + width)], as: UTF8.self),
                        radix: 16
                    ),
                    let scalar = Unicode.Scalar(code)
                {
                    scalars.append(scalar)
                    index += 2 + width
                    backslashRun = 0
                    continue
                }
            }
            backslashRun = byte == UInt8(ascii: "\\") ? backslashRun + 1 : 0
            scalars.append(Unicode.Scalar(byte))
            index += 1
        }
        return String(scalars)
    }

    /// Decodes a Python `repr` of a byte string (STRING): quoted with ' or ", with
    /// backslash escapes.
    static func quotedString(_ line: ArraySlice<UInt8>) -> [UInt8]? {
        guard line.count >= 2, let quote = line.first, quote == line.last,
            quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"")
        else { return nil }
        let body = line.dropFirst().dropLast()
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            index += 1
            guard byte == UInt8(ascii: "\\"), index < body.endIndex else {
                out.append(byte)
                continue
            }
            let escape = body[index]
            index += 1
            switch escape {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(escape)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(escape - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < body.endIndex,
                    (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(body[index])
                {
                    value = value * 8 + Int(body[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                out.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x"):
                guard index + 2 <= body.endIndex,
                    let value = UInt8(
                        String(decoding: body[index..<(index + 2)], as: UTF8.self),
                        radix: 16
                    )
                else { return nil }
                out.append(value)
                index += 2
            default:
                // Python keeps the backslash of an escape it does not know.
                out.append(UInt8(ascii: "\\"))
                out.append(escape)
            }
        }
        return out
    }

    /// Converts a decimal integer of any size to little-endian two's complement bytes.
    static func decimalToLittleEndian(_ text: String) -> [UInt8]? {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        // Magnitude as little-endian base-256 digits, built by multiply-and-add.
        var magnitude: [UInt8] = [0]
        for digit in digits.utf8 {
            var carry = Int(digit - UInt8(ascii: "0"))
            for index in magnitude.indices {
                let value = Int(magnitude[index]) * 10 + carry
                magnitude[index] = UInt8(value & 0xFF)
                carry = value >> 8
            }
            while carry > 0 {
                magnitude.append(UInt8(carry & 0xFF))
                carry >>= 8
            }
        }
        magnitude.append(0)  // room for the sign bit
        guard negative else { return magnitude }
        var carry = 1
        for index in magnitude.indices {
            let value = Int(~magnitude[index]) + carry
            magnitude[index] = UInt8(value & 0xFF)
            carry = value >> 8
        }
        return magnitude
    }
}

extension PickleValue {
    /// A decimal integer literal (digits with an optional sign) as the LONG1 value a pickle
    /// holds for it: little-endian two's complement in the fewest bytes; nil when `text` is
    /// no integer literal.
    public static func bigInteger(decimal text: String) -> PickleValue? {
        guard var bytes = TextEscapes.decimalToLittleEndian(text) else { return nil }
        let fill: UInt8 = bytes.last.map { $0 & 0x80 != 0 ? 0xFF : 0x00 } ?? 0
        while bytes.count > 1, bytes[bytes.count - 1] == fill,
            (bytes[bytes.count - 2] & 0x80 != 0) == (fill == 0xFF)
        {
            bytes.removeLast()
        }
        return .bigInt(bytes)
    }
}
