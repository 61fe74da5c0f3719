/// The zip archive a `.skops` file is, read from its central directory without running
/// anything, with limits that keep a hostile archive cheap to refuse.
///
/// Python's `zipfile` writes what skops needs: one flat member per array or blob plus
/// `schema.json`, stored (the default) or deflated. Members are only decompressed when
/// asked for, at most once each, and together may not pass `limit` bytes; each must come
/// out at the size and CRC-32 the central directory records.
struct SkopsArchive {
    /// One member, as its central directory entry describes it.
    struct Member {
        var name: String
        var method: UInt16
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        /// Where the member's data starts, after its local header.
        var dataOffset: Int
    }

    /// zip without zip64 cannot list more, and no skops file comes near it.
    static let maxMembers = 65_535

    let bytes: [UInt8]
    /// What the archive holds, by name.
    private(set) var members: [String: Member] = [:]
    /// The most bytes all members read may decompress to together.
    let limit: Int
    private(set) var decompressed = 0
    private var cache: [String: [UInt8]] = [:]

    init(_ bytes: [UInt8], limit: Int) throws(ArrayError) {
        self.bytes = bytes
        self.limit = limit
        let end = try Self.endOfCentralDirectory(bytes)
        var reader = SkopsByteReader(bytes: bytes, position: end)
        try reader.skip(4)
        let disk = try reader.uint16()
        let directoryDisk = try reader.uint16()
        let entriesOnDisk = try reader.uint16()
        let entries = try reader.uint16()
        let directorySize = try reader.uint32()
        let directoryOffset = try reader.uint32()
        if entries == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF
            || Self.hasZip64Locator(bytes, before: end)
        {
            throw Self.error(
                "it is a zip64 archive (more than 65,535 members or 4 GiB), which skops "
                    + "does not write for a model; this reader does not support it"
            )
        }
        guard disk == 0, directoryDisk == 0, entriesOnDisk == entries else {
            throw Self.error("it spans several disks")
        }
        let start = Int(directoryOffset)
        guard start <= end, Int(directorySize) == end - start else {
            throw Self.error(
                "its central directory (\(directorySize) bytes at \(directoryOffset)) does not "
                    + "end where the end record starts (\(end))"
            )
        }
        var directory = SkopsByteReader(bytes: bytes, position: start)
        var ranges: [(start: Int, end: Int, name: String)] = []
        for index in 0..<Int(entries) {
            let member = try Self.member(&directory, bytes: bytes, index: index)
            guard members[member.name] == nil else {
                throw Self.error("it holds two members named '\(member.name)'")
            }
            members[member.name] = member
            ranges.append(
                (member.dataOffset, member.dataOffset + member.compressedSize, member.name)
            )
        }
        guard directory.position == end else {
            throw Self.error("its central directory has bytes after its \(entries) entries")
        }
        // Members whose data overlap are how some zip bombs multiply one compressed stream.
        ranges.sort { $0.start < $1.start }
        for (earlier, later) in zip(ranges, ranges.dropFirst()) where later.start < earlier.end {
            throw Self.error("members '\(earlier.name)' and '\(later.name)' overlap")
        }
        if let last = ranges.last, last.end > start {
            throw Self.error("member '\(last.name)' runs into the central directory")
        }
    }

    /// The decompressed bytes of member `name`, checked against its recorded size and CRC.
    mutating func read(_ name: String) throws(ArrayError) -> [UInt8] {
        if let done = cache[name] { return done }
        guard let member = members[name] else {
            throw Self.error("it has no member '\(name)', which schema.json refers to")
        }
        let budget = limit - decompressed
        guard member.size <= budget else { throw tooLarge(member) }
        let stored = Array(bytes[member.dataOffset..<(member.dataOffset + member.compressedSize)])
        let data: [UInt8]
        switch member.method {
        case 0:
            guard member.compressedSize == member.size else {
                throw Self.error(
                    "stored member '\(name)' has \(member.compressedSize) bytes but records "
                        + "\(member.size)"
                )
            }
            data = stored
        case 8, 12:
            // Decoding stops one byte past the recorded size, so a member that lies about
            // its size costs no more than it claims.
            do {
                data =
                    member.method == 8
                    ? try Decompression.rawDeflate(stored, limit: member.size)
                    : try Decompression.bzip2(stored, limit: member.size)
            } catch {
                if error.code == .tooLarge {
                    throw Self.error("member '\(name)' decompresses to more than its recorded size")
                }
                throw Self.error("member '\(name)': \(error.message)")
            }
            guard data.count == member.size else {
                throw Self.error(
                    "member '\(name)' decompresses to \(data.count) bytes, not the "
                        + "\(member.size) its entry records"
                )
            }
        default:
            throw ArrayError.unsupported(
                "skops file: member '\(name)' uses zip compression method \(member.method); "
                    + "only stored (0), deflate (8) and bzip2 (12) are supported"
            )
        }
        guard Self.crc32(data) == member.crc else {
            throw Self.error("member '\(name)' fails its CRC-32 check")
        }
        decompressed += data.count
        cache[name] = data
        return data
    }

    /// How many more bytes members may decompress to.
    var remaining: Int { limit - decompressed }

    /// Counts bytes decompressed elsewhere (an archive inside a member) against the limit.
    mutating func charge(_ count: Int) throws(ArrayError) {
        guard count <= remaining else {
            throw ArrayError(
                code: .tooLarge,
                message: "skops file: its members decompress to more than \(limit) bytes, the "
                    + "most a model file may expand to (by default 2,000 times its size, at "
                    + "least 64 MiB, at most 4 GiB); refusing it as a possible decompression bomb"
            )
        }
        decompressed += count
    }

    private func tooLarge(_ member: Member) -> ArrayError {
        ArrayError(
            code: .tooLarge,
            message: "skops file: its members decompress to more than \(limit) bytes, the "
                + "limit (maxDecompressedBytes), by member '\(member.name)' "
                + "(\(member.size) bytes); refusing it as a possible decompression bomb"
        )
    }

    static func error(_ message: String) -> ArrayError {
        ArrayError.malformed("skops file: not a readable zip archive: \(message)")
    }
}

// MARK: - Central directory

extension SkopsArchive {
    /// Where the end-of-central-directory record starts: the last one whose comment runs
    /// exactly to the end of the file.
    private static func endOfCentralDirectory(_ bytes: [UInt8]) throws(ArrayError) -> Int {
        let fixed = 22
        guard bytes.count >= fixed else { throw error("it is shorter than an end record") }
        let lowest = max(0, bytes.count - fixed - 0xFFFF)
        var candidate = bytes.count - fixed
        while candidate >= lowest {
            if bytes[candidate] == 0x50, bytes[candidate + 1] == 0x4B,
                bytes[candidate + 2] == 0x05, bytes[candidate + 3] == 0x06
            {
                let comment = Int(bytes[candidate + 20]) | Int(bytes[candidate + 21]) << 8
                if candidate + fixed + comment == bytes.count { return candidate }
            }
            candidate -= 1
        }
        throw error("it has no end-of-central-directory record")
    }

    private static func hasZip64Locator(_ bytes: [UInt8], before end: Int) -> Bool {
        end >= 20 && bytes[(end - 20)..<(end - 16)].elementsEqual([0x50, 0x4B, 0x06, 0x07])
    }

    private static func member(_ reader: inout SkopsByteReader, bytes: [UInt8], index: Int)
        throws(ArrayError) -> Member
    {
        guard try reader.uint32() == 0x0201_4B50 else {
            throw error("central directory entry \(index) has a wrong signature")
        }
        try reader.skip(4)  // versions made by and needed
        let flags = try reader.uint16()
        let method = try reader.uint16()
        try reader.skip(4)  // time and date
        let crc = try reader.uint32()
        let compressedSize = try reader.uint32()
        let size = try reader.uint32()
        let nameLength = Int(try reader.uint16())
        let extraLength = Int(try reader.uint16())
        let commentLength = Int(try reader.uint16())
        let disk = try reader.uint16()
        try reader.skip(6)  // internal and external attributes
        let localOffset = try reader.uint32()
        let name = try memberName(try reader.take(nameLength), flags: flags, index: index)
        try reader.skip(extraLength + commentLength)
        guard index < maxMembers else { throw error("it has more than \(maxMembers) members") }
        if flags & 0x41 != 0 {
            throw ArrayError.unsupported(
                "skops file: member '\(name)' is encrypted, which this reader refuses"
            )
        }
        if compressedSize == 0xFFFF_FFFF || size == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF
            || disk == 0xFFFF
        {
            throw error("member '\(name)' needs zip64, which this reader does not support")
        }
        guard disk == 0 else { throw error("member '\(name)' is on another disk") }
        let dataOffset = try localData(
            bytes,
            at: Int(localOffset),
            name: name,
            compressedSize: Int(compressedSize)
        )
        return Member(
            name: name,
            method: method,
            crc: crc,
            compressedSize: Int(compressedSize),
            size: Int(size),
            dataOffset: dataOffset
        )
    }

    /// Checks a member's local header against its central entry; returns where its data is.
    private static func localData(
        _ bytes: [UInt8],
        at offset: Int,
        name: String,
        compressedSize: Int
    ) throws(ArrayError) -> Int {
        var local = SkopsByteReader(bytes: bytes, position: offset)
        guard (try? local.uint32()) == 0x0403_4B50 else {
            throw error("member '\(name)' has no local header at byte \(offset)")
        }
        try local.skip(22)
        let nameLength = Int(try local.uint16())
        let extraLength = Int(try local.uint16())
        guard try local.take(nameLength).elementsEqual(name.utf8) else {
            throw error("member '\(name)' has another name in its local header")
        }
        try local.skip(extraLength)
        let dataOffset = local.position
        guard compressedSize <= bytes.count - dataOffset else {
            throw error("member '\(name)' runs past the end of the file")
        }
        return dataOffset
    }

    /// A member name, refused unless it is one plain file name as skops writes them.
    private static func memberName(_ raw: ArraySlice<UInt8>, flags: UInt16, index: Int)
        throws(ArrayError) -> String
    {
        // Without the UTF-8 flag a name is code page 437, which agrees with UTF-8 on ASCII.
        guard flags & 0x800 != 0 || raw.allSatisfy({ $0 < 0x80 }) else {
            throw error("member \(index) has a non-ASCII name that is not marked UTF-8")
        }
        guard let name = String(validating: raw, as: UTF8.self), !name.isEmpty else {
            throw error("member \(index) has an empty or invalid name")
        }
        if name.contains("/") || name.contains("\\") || name.contains("\0") || name == ".."
            || name.hasPrefix("..")
        {
            throw error(
                "member name '\(name)' is a path; skops writes only plain file names"
            )
        }
        return name
    }
}

/// Little-endian reads over a byte array that throw instead of trapping at its end.
struct SkopsByteReader {
    let bytes: [UInt8]
    var position: Int

    mutating func take(_ count: Int) throws(ArrayError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - position else {
            throw SkopsArchive.error("a record runs past the end of the file at byte \(position)")
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    mutating func skip(_ count: Int) throws(ArrayError) {
        _ = try take(count)
    }

    mutating func uint16() throws(ArrayError) -> UInt16 {
        let slice = try take(2)
        return UInt16(slice[slice.startIndex]) | UInt16(slice[slice.startIndex + 1]) << 8
    }

    mutating func uint32() throws(ArrayError) -> UInt32 {
        let slice = try take(4)
        var value: UInt32 = 0
        for (shift, byte) in zip(stride(from: 0, to: 32, by: 8), slice) {
            value |= UInt32(byte) << UInt32(shift)
        }
        return value
    }
}

extension SkopsArchive {
    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
        return value
    }

    /// CRC-32 as zip computes it (polynomial 0xEDB88320, reflected), in Swift so that only
    /// Decompression.swift imports the C libraries.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }
}
