/// CRC-32 as zlib computes it (IEEE 802.3: reflected polynomial 0xEDB88320, initial value
/// and final XOR 0xFFFFFFFF), so tests can compare bytes with `zlib.crc32` from Python.
public enum CRC32 {
    /// The remainder of each byte value, one table lookup per input byte.
    static let table: [UInt32] = (0..<256).map { byte in
        var remainder = UInt32(byte)
        for _ in 0..<8 {
            remainder = remainder & 1 == 1 ? (remainder >> 1) ^ 0xEDB8_8320 : remainder >> 1
        }
        return remainder
    }

    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32
    where Bytes.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }
}
