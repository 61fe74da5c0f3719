// Exposes the stream decoders of Debian's zlib1g-dev (zlib, gzip), libbz2-dev (bzip2),
// liblzma-dev (xz, lzma alone) and liblz4-dev (LZ4 frames) to Swift, so joblib files written
// with compress= can be read without Python. Only the Arrays module imports this, through
// one file of wrappers (Sources/Arrays/Decompression.swift).
//
// The one function below exists because zlib's inflateInit2 is a macro (it passes the
// library version and sizeof(z_stream) to inflateInit2_), and Swift does not import
// function-like macros.
#include <bzlib.h>
#include <lz4frame.h>
#include <lzma.h>
#include <zlib.h>

static inline int augur_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
