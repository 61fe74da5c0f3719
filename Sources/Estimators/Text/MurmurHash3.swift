/// MurmurHash3 (x86, 32-bit), as scikit-learn's `murmurhash3_32(key, seed=0, positive=False)`
/// computes it over a term's UTF-8 bytes for `HashingVectorizer`.
enum MurmurHash3 {
    static func signed32(_ bytes: [UInt8], seed: UInt32 = 0) -> Int32 {
        let c1: UInt32 = 0xcc9e_2d51
        let c2: UInt32 = 0x1b87_3593
        var hash = seed
        let blockCount = bytes.count / 4
        for block in 0..<blockCount {
            let base = block * 4
            var k =
                UInt32(bytes[base]) | UInt32(bytes[base + 1]) << 8 | UInt32(bytes[base + 2]) << 16
                | UInt32(bytes[base + 3]) << 24
            k &*= c1
            k = k << 15 | k >> 17
            k &*= c2
            hash ^= k
            hash = hash << 13 | hash >> 19
            hash = hash &* 5 &+ 0xe654_6b64
        }
        let tail = blockCount * 4
        var k: UInt32 = 0
        let remaining = bytes.count & 3
        if remaining >= 3 { k ^= UInt32(bytes[tail + 2]) << 16 }
        if remaining >= 2 { k ^= UInt32(bytes[tail + 1]) << 8 }
        if remaining >= 1 {
            k ^= UInt32(bytes[tail])
            k &*= c1
            k = k << 15 | k >> 17
            k &*= c2
            hash ^= k
        }
        hash ^= UInt32(truncatingIfNeeded: bytes.count)
        hash ^= hash >> 16
        hash &*= 0x85eb_ca6b
        hash ^= hash >> 13
        hash &*= 0xc2b2_ae35
        hash ^= hash >> 16
        return Int32(bitPattern: hash)
    }
}
