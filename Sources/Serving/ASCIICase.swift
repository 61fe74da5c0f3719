/// ASCII case-insensitive comparisons of UTF-8 bytes with lower-case literals, for header
/// names and media types read on every request: `lowercased()` would allocate a string.
package enum ASCIICase {
    /// Whether `bytes`, ASCII letters folded to lower case, equal `lowercase`.
    package static func equals<Bytes: BidirectionalCollection<UInt8>>(
        _ bytes: Bytes,
        _ lowercase: StaticString
    ) -> Bool {
        bytes.count == lowercase.utf8CodeUnitCount && hasSuffix(bytes, lowercase)
    }

    /// Whether `bytes`, ASCII letters folded to lower case, end with `lowercase`.
    package static func hasSuffix<Bytes: BidirectionalCollection<UInt8>>(
        _ bytes: Bytes,
        _ lowercase: StaticString
    ) -> Bool {
        let count = lowercase.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        return lowercase.withUTF8Buffer { expected in
            zip(bytes.suffix(count), expected).allSatisfy { found, byte in
                (found >= 0x41 && found <= 0x5A ? found | 0x20 : found) == byte
            }
        }
    }
}
