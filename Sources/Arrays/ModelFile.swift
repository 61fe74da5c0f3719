import Pickle

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A model file as `pickle.dump` or `joblib.dump` wrote it, read into a value graph.
public enum ModelFile {
    /// The container formats, told apart by their first bytes, never by the file name.
    public enum Format: String, Sendable {
        case pickle
        case zlib
        case gzip
        case bzip2
        case xz
        case lzma
        case lz4
        case zip
        case gitLFSPointer = "git-lfs pointer"
        /// A booster saved by XGBoost's or LightGBM's own `save_model` (see ``BoosterFile``).
        case xgboostJSON = "XGBoost JSON"
        case xgboostUBJSON = "XGBoost UBJSON"
        case lightGBMText = "LightGBM model text"
        /// joblib before 0.10 wrote compressed files as "ZF" + length + zlib data.
        case oldJoblibZF = "joblib (before 0.10)"
        case unknown
    }

    /// The most bytes a compressed stream may decompress to when the caller sets no limit:
    /// 2,000 times the compressed size, but at least 64 MiB and at most 4 GiB.
    ///
    /// Real joblib files compress 3–5×, and zlib, gzip and LZ4 cannot pass about 1,000×
    /// (zlib's ceiling is 1,032×, LZ4's 255×), so for them only the floor and ceiling matter.
    /// bzip2 and xz turn long runs of zeros into 10⁴–10⁶× (256 MiB of zeros is 208 bytes of
    /// bzip2): those are the bombs, and the ratio cap stops them after at most 64 MiB unless
    /// the file itself is large. The floor keeps small models with big zero-filled arrays
    /// loadable; the ceiling bounds what any one file can cost. Pass an explicit limit to
    /// ``load(path:maxDecompressedBytes:)`` for models larger than that.
    public static func defaultMaxDecompressedBytes(compressedSize: Int) -> Int {
        let floor = 64 << 20
        let ceiling = 4 << 30
        let (scaled, overflow) = compressedSize.multipliedReportingOverflow(by: 2_000)
        return overflow ? ceiling : min(ceiling, max(floor, scaled))
    }

    /// Reads `path` and runs the pickle machine over it, with joblib's arrays read inline.
    ///
    /// Compressed joblib files are decompressed in memory first, by magic bytes (never by
    /// the file name); see ``load(bytes:maxDecompressedBytes:)``.
    public static func load(path: String, maxDecompressedBytes: Int? = nil) throws -> PickleValue {
        try load(bytes: try readFile(path), maxDecompressedBytes: maxDecompressedBytes)
    }

    /// Runs the pickle machine over a pickle or joblib file's bytes, decompressing them
    /// first when they are a zlib, gzip, bzip2, xz, "lzma alone" or LZ4 frame stream; reads a
    /// skops file (a zip) into the same value graph with ``SkopsFile``.
    ///
    /// - Parameter maxDecompressedBytes: the most bytes a compressed stream may expand to;
    ///   `nil` means ``defaultMaxDecompressedBytes(compressedSize:)``. A stream that would
    ///   pass it throws an ``ArrayError`` with code ``ArrayError/Code/tooLarge``.
    public static func load(bytes: [UInt8], maxDecompressedBytes: Int? = nil) throws -> PickleValue
    {
        let format = format(of: bytes)
        if let booster = BoosterFile.graph(bytes, format: format) { return booster }
        if format == .zip {
            return try SkopsFile.load(bytes, maxDecompressedBytes: maxDecompressedBytes)
        }
        let stream = try pickleStream(bytes, maxDecompressedBytes: maxDecompressedBytes)
        let machine = PickleMachine(interpreter: JoblibArrayInterpreter())
        return try machine.load(stream)
    }

    /// The pickle stream a model file holds: the bytes themselves for a plain pickle or
    /// uncompressed joblib file, the decompressed stream for a compressed joblib file.
    public static func pickleStream(
        _ bytes: [UInt8],
        maxDecompressedBytes: Int? = nil
    ) throws(ArrayError) -> [UInt8] {
        let format = format(of: bytes)
        let limit = max(
            0,
            maxDecompressedBytes ?? defaultMaxDecompressedBytes(compressedSize: bytes.count)
        )
        // A bomb of zeros, or anything else that is not a pickle, stops at its first KiB
        // (GLOBAL's module and name lines fit in it), not at the limit.
        let holdsPickle = Decompression.OpeningCheck(length: 1024) { start throws(ArrayError) in
            guard Self.format(of: Array(start)) == .pickle else {
                let shown = start.prefix(4).map { hex($0) }.joined(separator: " ")
                throw ArrayError.malformed(
                    "the \(format.rawValue) stream does not hold a pickle "
                        + "(it starts \(shown.isEmpty ? "<empty>" : shown))"
                )
            }
        }
        switch format {
        case .pickle:
            return bytes
        case .zlib: return try Decompression.zlib(bytes, limit: limit, opening: holdsPickle)
        case .gzip: return try Decompression.gzip(bytes, limit: limit, opening: holdsPickle)
        case .bzip2: return try Decompression.bzip2(bytes, limit: limit, opening: holdsPickle)
        case .xz: return try Decompression.xz(bytes, limit: limit, opening: holdsPickle)
        case .lzma: return try Decompression.lzmaAlone(bytes, limit: limit, opening: holdsPickle)
        case .lz4: return try Decompression.lz4Frame(bytes, limit: limit, opening: holdsPickle)
        case .zip:
            throw ArrayError(
                code: .unsupported,
                message: "this is a skops (.skops) or other zip file, which holds no pickle "
                    + "stream: ModelFile.load reads a skops file"
            )
        case .oldJoblibZF:
            throw ArrayError(
                code: .unsupported,
                message: "this file was written by joblib before 0.10, in a format no current "
                    + "joblib writes: load it in Python with joblib.load and save it again with "
                    + "joblib.dump(model, path)"
            )
        case .gitLFSPointer:
            throw ArrayError(
                code: .file,
                message: "this is a git-lfs pointer, not the model: run 'git lfs pull'"
            )
        case .xgboostJSON, .xgboostUBJSON, .lightGBMText:
            throw ArrayError(
                code: .unsupported,
                message: "not a pickle but a saved booster (\(format.rawValue)), which holds no "
                    + "pickle stream: ModelFile.load reads it"
            )
        case .unknown:
            throw ArrayError(code: .file, message: "not a pickle or joblib file")
        }
    }

    public static func format(of bytes: [UInt8]) -> Format {
        func starts(_ prefix: [UInt8]) -> Bool { bytes.starts(with: prefix) }
        if let first = bytes.first, first == 0x80, bytes.count > 1, bytes[1] <= 5 {
            return .pickle
        }
        if starts([0x78]) && bytes.count > 1 && (UInt16(0x78) << 8 | UInt16(bytes[1])) % 31 == 0 {
            return .zlib
        }
        if starts([0x1F, 0x8B]) { return .gzip }
        if starts(Array("BZh".utf8)) { return .bzip2 }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
        if starts([0x5D, 0x00, 0x00]) { return .lzma }
        if starts([0x04, 0x22, 0x4D, 0x18]) { return .lz4 }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return .zip }
        if starts(Array("version https://git-lfs".utf8)) { return .gitLFSPointer }
        if starts(Array("ZF0x".utf8)) { return .oldJoblibZF }
        if let booster = BoosterFile.format(of: bytes) { return booster }
        // Protocols 0 and 1 have no PROTO opcode; they start with a text or binary opcode.
        if let first = bytes.first, Array("(]}".utf8).contains(first) { return .pickle }
        if startsWithGlobal(bytes) { return .pickle }
        return .unknown
    }

    /// Whether `bytes` open with GLOBAL (`c<module>\n<name>\n`), as protocol 0 and 1 model
    /// files do, rather than with text that merely starts with a "c" (a CSV header).
    private static func startsWithGlobal(_ bytes: [UInt8]) -> Bool {
        guard bytes.first == UInt8(ascii: "c") else { return false }
        var lines = 0
        var lineLength = 0
        for byte in bytes.dropFirst().prefix(512) {
            if byte == UInt8(ascii: "\n") {
                guard lineLength > 0 else { return false }
                lines += 1
                if lines == 2 { return true }
                lineLength = 0
                continue
            }
            let isIdentifier =
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
            guard isIdentifier else { return false }
            lineLength += 1
        }
        return false
    }

    /// Reads a whole file with POSIX calls (Foundation stays out of the serving modules).
    public static func readFile(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ArrayError(
                code: .file,
                message: "cannot open: \(String(cString: strerror(errno)))"
            )
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw ArrayError(
                code: .file,
                message: "cannot stat: \(String(cString: strerror(errno)))"
            )
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ArrayError(code: .file, message: "not a regular file")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let got = bytes[filled...].withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress, buffer.count)
            }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else {
                throw ArrayError(code: .file, message: "read failed after \(filled) bytes")
            }
            filled += got
        }
        return bytes
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
