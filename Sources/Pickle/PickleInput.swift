/// A bounds-checked reading position in the bytes of a pickle stream.
///
/// Every read checks the remaining length first, so a length field larger than the rest
/// of the input fails before anything is allocated.
public struct PickleInput: Sendable {
    public let bytes: [UInt8]
    public private(set) var position: Int

    public init(bytes: [UInt8], position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    public var remaining: Int { bytes.count - position }
    public var isAtEnd: Bool { position >= bytes.count }

    public mutating func readByte() throws(PickleError) -> UInt8 {
        guard position < bytes.count else {
            throw PickleError(.truncated, offset: position, "the data ends early")
        }
        defer { position += 1 }
        return bytes[position]
    }

    /// Reads `count` bytes, failing without allocating when fewer remain.
    public mutating func read(_ count: Int) throws(PickleError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw PickleError(
                .truncated,
                offset: position,
                "a length of \(count) bytes runs past the end of the data (\(remaining) left)"
            )
        }
        defer { position += count }
        return bytes[position..<position + count]
    }

    public mutating func skip(_ count: Int) throws(PickleError) {
        _ = try read(count)
    }

    /// Reads an unsigned little-endian integer of `width` bytes (1, 2, 4 or 8).
    public mutating func readLittleEndian(_ width: Int) throws(PickleError) -> UInt64 {
        let slice = try read(width)
        var value: UInt64 = 0
        for (shift, byte) in slice.enumerated() {
            value |= UInt64(byte) << (8 * UInt64(shift))
        }
        return value
    }

    /// Reads a length field and checks it against the bytes left.
    mutating func readLength(_ width: Int) throws(PickleError) -> Int {
        let start = position
        let raw = try readLittleEndian(width)
        guard raw <= UInt64(remaining) else {
            throw PickleError(
                .truncated,
                offset: start,
                "a length of \(raw) bytes runs past the end of the data (\(remaining) left)"
            )
        }
        return Int(raw)
    }

    /// Reads up to and excluding the next newline, consuming the newline (text opcodes).
    mutating func readLine() throws(PickleError) -> ArraySlice<UInt8> {
        guard let end = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw PickleError(.truncated, offset: position, "a text argument has no end of line")
        }
        defer { position = end + 1 }
        return bytes[position..<end]
    }
}
