import CFastCGI

/// How a worker hands memory back after a large request, so that one 64 MiB body does not
/// leave the process holding tens of megabytes until it is recycled.
enum WorkerMemory {
    /// Blocks from this size up get their own mapping, given back to the system when freed.
    static let mappedFromBytes: Int32 = 1 << 20
    /// Free memory at the top of a heap past this size is given back on free.
    static let trimAboveBytes: Int32 = 4 << 20
    /// After a request whose body or answer was at least this large, `release` runs.
    static let releaseAfterBytes = 1 << 20

    /// Fixes glibc's thresholds for the worker process. By default glibc raises its mapping
    /// threshold each time a large block is freed (up to 32 MiB, and the trim threshold to
    /// twice that), after which a large request's buffers come from a heap and stay there:
    /// measured, a worker kept 30 MB more after one 64 MiB body, `malloc_trim` or not.
    static func configure() {
        #if canImport(Glibc)
            mallopt(M_MMAP_THRESHOLD, mappedFromBytes)
            mallopt(M_TRIM_THRESHOLD, trimAboveBytes)
        #endif
    }

    /// Gives free heap pages back (`malloc_trim`): the many small blocks of a large request
    /// (strings, row buffers below the mapping threshold) are freed but kept otherwise. It
    /// walks every heap, so only large requests call it.
    static func release() {
        #if canImport(Glibc)
            malloc_trim(0)
        #endif
    }
}
