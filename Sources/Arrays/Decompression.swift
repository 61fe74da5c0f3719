import CCompression

/// The stream decoders joblib's compressors need, one small wrapper per codec over the C
/// libraries in `CCompression`. This is the only file that imports it.
///
/// Every wrapper decodes one whole stream held in memory and returns what it holds. It
/// throws an ``ArrayError`` naming the codec when the stream is corrupt or truncated, when
/// bytes follow the end of the stream, or when the output would pass `limit` bytes (code
/// ``ArrayError/Code/tooLarge``), so a decompression bomb costs at most `limit` bytes.
enum Decompression {
    /// Most memory the xz and lzma decoders may take for their dictionary and state. The
    /// presets joblib uses need a few MiB and `xz -9` 65 MiB; an "lzma alone" header can ask
    /// for a 4 GiB dictionary, which liblzma would otherwise allocate before reading a byte.
    static let lzmaMemoryLimit: UInt64 = 256 << 20

    /// One zlib stream (RFC 1950), as `compress=3` and `compress=('zlib', n)` write; zlib's
    /// `inflateInit2` (window bits 15) and `inflate`.
    static func zlib(
        _ input: [UInt8],
        limit: Int,
        opening: OpeningCheck? = nil
    ) throws(ArrayError) -> [UInt8] {
        try inflate(input, limit: limit, opening: opening, codec: "zlib", windowBits: 15)
    }

    /// One gzip member (RFC 1952), as `compress=('gzip', n)` writes; zlib's `inflateInit2`
    /// (window bits 15 + 16, gzip only) and `inflate`.
    static func gzip(
        _ input: [UInt8],
        limit: Int,
        opening: OpeningCheck? = nil
    ) throws(ArrayError) -> [UInt8] {
        try inflate(input, limit: limit, opening: opening, codec: "gzip", windowBits: 15 + 16)
    }

    /// One raw deflate stream (RFC 1951, no header), as a zip member of method 8 holds;
    /// zlib's `inflateInit2` (window bits −15) and `inflate`.
    static func rawDeflate(
        _ input: [UInt8],
        limit: Int,
        opening: OpeningCheck? = nil
    ) throws(ArrayError) -> [UInt8] {
        try inflate(input, limit: limit, opening: opening, codec: "deflate", windowBits: -15)
    }

    /// One bzip2 stream, as `compress=('bz2', n)` writes; libbz2's `BZ2_bzDecompressInit`
    /// and `BZ2_bzDecompress`.
    static func bzip2(
        _ input: [UInt8],
        limit: Int,
        opening: OpeningCheck? = nil
    ) throws(ArrayError) -> [UInt8] {
        var stream = bz_stream()
        guard BZ2_bzDecompressInit(&stream, 0, 0) == BZ_OK else {
            throw ArrayError(code: .file, message: "cannot start the bzip2 decoder")
        }
        defer { BZ2_bzDecompressEnd(&stream) }
        return try drive(input, limit: limit, opening: opening, codec: "bzip2") { source, target in
            stream.next_in = source.baseAddress.map {
                UnsafeMutableRawPointer(mutating: $0).assumingMemoryBound(to: CChar.self)
            }
            stream.avail_in = UInt32(clamping: source.count)
            stream.next_out = target.baseAddress?.assumingMemoryBound(to: CChar.self)
            stream.avail_out = UInt32(clamping: target.count)
            let status = BZ2_bzDecompress(&stream)
            let step = Step(
                read: min(source.count, Int(UInt32.max)) - Int(stream.avail_in),
                written: min(target.count, Int(UInt32.max)) - Int(stream.avail_out),
                ended: status == BZ_STREAM_END
            )
            switch status {
            case BZ_OK, BZ_STREAM_END: return step
            case BZ_MEM_ERROR: return .failed("out of memory")
            case BZ_DATA_ERROR_MAGIC: return .failed("not a bzip2 stream (bad magic)")
            default: return .failed("data error (\(status))")
            }
        }
    }

    /// One xz stream, as `compress=('xz', n)` writes; liblzma's `lzma_stream_decoder`
    /// (without `LZMA_CONCATENATED`) and `lzma_code`.
    static func xz(
        _ input: [UInt8],
        limit: Int,
        opening: OpeningCheck? = nil
    ) throws(ArrayError) -> [UInt8] {
        var stream = lzma_stream()
        guard lzma_stream_decoder(&stream, lzmaMemoryLimit, 0) == LZMA_OK else {
            throw ArrayError(code: .file, message: "cannot start the xz decoder")
        }
        defer { lzma_end(&stream) }
        return try runLZMA(&stream, input, limit: limit, opening: opening, codec: "xz")
    }

    /// One "lzma alone" stream (the `.lzma` format: 13-byte header, end marker), as
    /// `compress=('lzma', n)` writes; liblzma's `lzma_alone_decoder` and `lzma_code`.
    static func lzmaAlone(
        _ input: [UInt8],
        limit: Int,
        opening: OpeningCheck? = nil
    ) throws(ArrayError) -> [UInt8] {
        var stream = lzma_stream()
        guard lzma_alone_decoder(&stream, lzmaMemoryLimit) == LZMA_OK else {
            throw ArrayError(code: .file, message: "cannot start the lzma decoder")
        }
        defer { lzma_end(&stream) }
        return try runLZMA(
            &stream,
            input,
            limit: limit,
            opening: opening,
            codec: "lzma (alone format)"
        )
    }

    /// One LZ4 frame, as `compress=('lz4', n)` writes with the `lz4` package; liblz4's
    /// `LZ4F_createDecompressionContext` and `LZ4F_decompress`.
    static func lz4Frame(
        _ input: [UInt8],
        limit: Int,
        opening: OpeningCheck? = nil
    ) throws(ArrayError) -> [UInt8] {
        var context: OpaquePointer?
        let created = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(created) == 0, let context else {
            throw ArrayError(code: .file, message: "cannot start the lz4 decoder")
        }
        defer { LZ4F_freeDecompressionContext(context) }
        return try drive(input, limit: limit, opening: opening, codec: "lz4 frame") {
            source,
            target in
            var read = source.count
            var written = target.count
            let hint = LZ4F_decompress(
                context,
                target.baseAddress,
                &written,
                source.baseAddress,
                &read,
                nil
            )
            if LZ4F_isError(hint) != 0 {
                return .failed(String(cString: LZ4F_getErrorName(hint)))
            }
            // 0 means the frame is complete and all of it has been written out.
            return Step(read: read, written: written, ended: hint == 0)
        }
    }
}

extension Decompression {
    /// A judgement on the first bytes a stream decompresses to, made as soon as `length` of
    /// them are out, so that a stream that cannot be what the caller reads (a model file
    /// that holds no pickle) fails then rather than after it is decompressed whole.
    struct OpeningCheck {
        var length: Int
        var judge: (ArraySlice<UInt8>) throws(ArrayError) -> Void
    }

    /// What one call into a C decoder did.
    private struct Step {
        var read: Int
        var written: Int
        var ended: Bool
        var failure: String? = nil

        static func failed(_ reason: String) -> Step {
            Step(read: 0, written: 0, ended: false, failure: reason)
        }
    }

    private static func inflate(
        _ input: [UInt8],
        limit: Int,
        opening: OpeningCheck?,
        codec: String,
        windowBits: Int32
    ) throws(ArrayError) -> [UInt8] {
        var stream = z_stream()
        guard augur_inflateInit2(&stream, windowBits) == Z_OK else {
            throw ArrayError(code: .file, message: "cannot start the \(codec) decoder")
        }
        defer { inflateEnd(&stream) }
        return try drive(input, limit: limit, opening: opening, codec: codec) { source, target in
            stream.next_in = source.baseAddress.map {
                UnsafeMutableRawPointer(mutating: $0).assumingMemoryBound(to: Bytef.self)
            }
            stream.avail_in = UInt32(clamping: source.count)
            stream.next_out = target.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = UInt32(clamping: target.count)
            let status = CCompression.inflate(&stream, Z_NO_FLUSH)
            let step = Step(
                read: min(source.count, Int(UInt32.max)) - Int(stream.avail_in),
                written: min(target.count, Int(UInt32.max)) - Int(stream.avail_out),
                ended: status == Z_STREAM_END
            )
            switch status {
            case Z_OK, Z_STREAM_END, Z_BUF_ERROR: return step
            case Z_MEM_ERROR: return .failed("out of memory")
            case Z_NEED_DICT: return .failed("needs a preset dictionary")
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "data error"
                return .failed(reason)
            }
        }
    }

    private static func runLZMA(
        _ stream: inout lzma_stream,
        _ input: [UInt8],
        limit: Int,
        opening: OpeningCheck?,
        codec: String
    ) throws(ArrayError) -> [UInt8] {
        try drive(input, limit: limit, opening: opening, codec: codec) { source, target in
            stream.next_in = source.baseAddress?.assumingMemoryBound(to: UInt8.self)
            stream.avail_in = source.count
            stream.next_out = target.baseAddress?.assumingMemoryBound(to: UInt8.self)
            stream.avail_out = target.count
            // All the remaining input is always given, so every call may finish.
            let status = lzma_code(&stream, LZMA_FINISH)
            let step = Step(
                read: source.count - stream.avail_in,
                written: target.count - stream.avail_out,
                ended: status == LZMA_STREAM_END
            )
            switch status {
            case LZMA_OK, LZMA_STREAM_END, LZMA_BUF_ERROR: return step
            case LZMA_MEM_ERROR: return .failed("out of memory")
            case LZMA_MEMLIMIT_ERROR:
                return .failed("needs more than \(lzmaMemoryLimit) bytes of decoder memory")
            case LZMA_FORMAT_ERROR: return .failed("bad header")
            case LZMA_OPTIONS_ERROR: return .failed("unsupported options in the header")
            default: return .failed("data error (\(status.rawValue))")
            }
        }
    }

    /// Feeds `input` to a decoder step by step and turns what the steps report into the
    /// result (at most `limit` bytes) or a precise error. `opening` judges the first bytes as
    /// soon as they are out (or the stream ends first).
    ///
    /// The output is written into chunks, joined once at the end with each chunk freed as
    /// it is copied: growing one buffer instead would hold the old and the new copy at each
    /// growth, about three times the output at the peak rather than a little over one.
    private static func drive(
        _ input: [UInt8],
        limit: Int,
        opening: OpeningCheck?,
        codec: String,
        _ step: (UnsafeRawBufferPointer, UnsafeMutableRawBufferPointer) -> Step
    ) throws(ArrayError) -> [UInt8] {
        let cap = limit == .max ? limit : limit + 1
        var chunks: [[UInt8]] = []
        var chunk = [UInt8](repeating: 0, count: min(cap, max(1 << 16, input.count * 4)))
        var filled = 0
        var openingBytes: [UInt8] = []
        var consumed = 0
        var produced = 0
        var openingJudged = opening == nil
        while true {
            if filled == chunk.count {
                guard produced < cap else { throw tooLarge(codec, limit) }
                chunks.append(chunk)
                let next = min(cap - produced, min(chunk.count * 2, maxChunkBytes))
                chunk = [UInt8](repeating: 0, count: next)
                filled = 0
            }
            let result = input.withUnsafeBytes { source in
                chunk.withUnsafeMutableBytes { target in
                    step(
                        UnsafeRawBufferPointer(rebasing: source[consumed...]),
                        UnsafeMutableRawBufferPointer(rebasing: target[filled...])
                    )
                }
            }
            if let failure = result.failure {
                throw ArrayError.malformed(
                    "\(codec) stream is corrupt at or before compressed byte \(consumed): \(failure)"
                )
            }
            if let opening, !openingJudged {
                let wanted = opening.length - openingBytes.count
                openingBytes += chunk[filled..<(filled + min(wanted, result.written))]
                if openingBytes.count == opening.length || result.ended {
                    try opening.judge(openingBytes[...])
                    openingJudged = true
                }
            }
            consumed += result.read
            produced += result.written
            filled += result.written
            if produced > limit { throw tooLarge(codec, limit) }
            if result.ended { break }
            if result.read == 0 && result.written == 0 && filled < chunk.count {
                if consumed == input.count {
                    throw ArrayError.malformed(
                        "\(codec) stream is truncated: its \(input.count) bytes end before the "
                            + "end of the stream (\(produced) bytes decompressed)"
                    )
                }
                throw ArrayError.malformed(
                    "\(codec) stream is corrupt: the decoder stopped at compressed byte \(consumed)"
                )
            }
        }
        guard consumed == input.count else {
            throw ArrayError.malformed(
                "\(input.count - consumed) bytes of trailing data after the \(codec) stream "
                    + "(which ends at byte \(consumed))"
            )
        }
        if chunks.isEmpty {
            chunk.removeSubrange(filled...)
            return chunk
        }
        var output: [UInt8] = []
        output.reserveCapacity(produced)
        for index in chunks.indices {
            output += chunks[index]
            chunks[index] = []
        }
        output += chunk[..<filled]
        return output
    }

    /// The largest chunk `drive` writes into; chunks double up to it.
    private static let maxChunkBytes = 64 << 20

    private static func tooLarge(_ codec: String, _ limit: Int) -> ArrayError {
        ArrayError(
            code: .tooLarge,
            message: "\(codec) stream decompresses to more than \(limit) bytes, the most a "
                + "model file may expand to (by default 2,000 times its size, at least 64 MiB, "
                + "at most 4 GiB); refusing it as a possible decompression bomb"
        )
    }
}
