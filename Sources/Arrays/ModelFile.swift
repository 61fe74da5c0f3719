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
        case unknown
    }

    /// Reads `path` and runs the pickle machine over it, with joblib's arrays read inline.
    public static func load(path: String) throws -> PickleValue {
        try load(bytes: try readFile(path))
    }

    public static func load(bytes: [UInt8]) throws -> PickleValue {
        switch format(of: bytes) {
        case .pickle:
            let machine = PickleMachine(interpreter: JoblibArrayInterpreter())
            return try machine.load(bytes)
        case .gitLFSPointer:
            throw ArrayError(
                code: .file,
                message: "this is a git-lfs pointer, not the model: run 'git lfs pull'"
            )
        case .unknown:
            throw ArrayError(code: .file, message: "not a pickle or joblib file")
        case let compressed:
            throw ArrayError(
                code: .unsupported,
                message: "\(compressed.rawValue)-compressed joblib files are not supported yet; "
                    + "save with joblib.dump(model, path) without compress="
            )
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
}
