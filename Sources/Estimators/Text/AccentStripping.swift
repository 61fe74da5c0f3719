/// `strip_accents`: 'ascii' keeps the ASCII code points of the NFKD form; 'unicode' drops
/// the combining marks of the NFKD form of a text that is not all ASCII. Both as
/// scikit-learn's `strip_accents_ascii` and `strip_accents_unicode` do with Python 3.11's
/// `unicodedata`, whose tables ``PythonText`` carries.
enum AccentStripping: Sendable {
    case ascii
    case unicode

    func apply(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        switch self {
        case .ascii:
            return PythonText.compatibilityDecomposition(text).filter { $0.value < 0x80 }
        case .unicode:
            if text.allSatisfy({ $0.value < 0x80 }) { return text }
            return PythonText.compatibilityDecomposition(text).filter {
                PythonText.combiningClasses[$0.value] == nil
            }
        }
    }
}

extension PythonText {
    /// Each code point's full NFKD decomposition, from ``decompositionTable``.
    static let decompositions: [UInt32: [Unicode.Scalar]] = {
        var table: [UInt32: [Unicode.Scalar]] = [:]
        for entry in decompositionTable.split(separator: ";") {
            let parts = entry.split(separator: ":")
            guard parts.count == 2, let code = UInt32(parts[0], radix: 16) else { continue }
            table[code] = parts[1].split(separator: " ").compactMap {
                UInt32($0, radix: 16).flatMap(Unicode.Scalar.init)
            }
        }
        return table
    }()

    /// Nonzero canonical combining classes, from ``combiningClassTable``.
    static let combiningClasses: [UInt32: UInt8] = {
        var table: [UInt32: UInt8] = [:]
        for entry in combiningClassTable.split(separator: ";") {
            let parts = entry.split(separator: "=")
            guard parts.count == 2, let code = UInt32(parts[0], radix: 16),
                let combining = UInt8(parts[1])
            else { continue }
            table[code] = combining
        }
        return table
    }()

    /// `unicodedata.normalize("NFKD", text)`: every code point fully decomposed (Hangul
    /// syllables by Unicode's algorithm), then each run of combining marks put in the
    /// canonical order, a stable sort by combining class.
    static func compatibilityDecomposition(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.count)
        for scalar in text {
            let value = scalar.value
            if value < 0x80 {
                result.append(scalar)
            } else if (0xAC00...0xD7A3).contains(value) {
                let index = value - 0xAC00
                result.append(Unicode.Scalar(0x1100 + index / 588)!)
                result.append(Unicode.Scalar(0x1161 + (index % 588) / 28)!)
                if index % 28 != 0 { result.append(Unicode.Scalar(0x11A7 + index % 28)!) }
            } else if let decomposed = decompositions[value] {
                result.append(contentsOf: decomposed)
            } else {
                result.append(scalar)
            }
        }
        var start = 0
        while start < result.count {
            guard combiningClasses[result[start].value] != nil else {
                start += 1
                continue
            }
            var end = start
            while end < result.count, combiningClasses[result[end].value] != nil { end += 1 }
            if end - start > 1 {
                let run = result[start..<end].enumerated().sorted {
                    let left = combiningClasses[$0.element.value]!
                    let right = combiningClasses[$1.element.value]!
                    return left != right ? left < right : $0.offset < $1.offset
                }
                result.replaceSubrange(start..<end, with: run.map(\.element))
            }
            start = end
        }
        return result
    }
}
