/// Python 3.11's string rules that scikit-learn's analyzers rely on, by code point: Python
/// strings are sequences of code points and compare them one by one, with no
/// normalisation, unlike Swift's `String`.
enum PythonText {
    /// `str.lower()`: each code point's full lowercase mapping, with Greek capital sigma
    /// becoming final sigma at the end of a word, as CPython decides it.
    static func lowercased(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        for (index, scalar) in scalars.enumerated() {
            if scalar.value < 0x80 {
                let value = scalar.value
                let lower = value >= 0x41 && value <= 0x5A ? value + 0x20 : value
                result.append(Unicode.Scalar(UInt8(lower)))
            } else if scalar.value == 0x3A3 {
                result.append(Unicode.Scalar(isFinalSigma(scalars, at: index) ? 0x3C2 : 0x3C3)!)
            } else {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return result
    }

    /// CPython's Final_Sigma test: a cased letter before (skipping case-ignorable code
    /// points) and none after.
    private static func isFinalSigma(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        var before = index - 1
        while before >= 0, scalars[before].properties.isCaseIgnorable { before -= 1 }
        guard before >= 0, scalars[before].properties.isCased else { return false }
        var after = index + 1
        while after < scalars.count, scalars[after].properties.isCaseIgnorable { after += 1 }
        return after == scalars.count || !scalars[after].properties.isCased
    }

    /// `\w` of a `str` pattern: `str.isalnum()` (a letter of category L&, Lm or Lo, or any
    /// code point with a numeric value) or the underscore.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A)
                || (value >= 0x61 && value <= 0x7A) || value == 0x5F
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter,
            .otherLetter:
            return true
        default:
            return properties.numericType != nil
        }
    }

    /// `str.isspace()`, which `\s` and `str.split()` use: Unicode's White_Space, plus the
    /// four separators U+001C to U+001F, which Python counts by their bidirectional class.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return value == 0x20 || (value >= 0x09 && value <= 0x0D)
                || (value >= 0x1C && value <= 0x1F)
        }
        return scalar.properties.isWhitespace
    }

    /// The UTF-8 bytes of code points: how tokens are keyed, compared and hashed here.
    static func utf8(_ scalars: ArraySlice<Unicode.Scalar>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        for scalar in scalars {
            bytes.append(contentsOf: UTF8.encode(scalar)!)
        }
        return bytes
    }
}
