import Glibc

/// Zero-filled memory that every process forked after it is made shares with its maker
/// (`mmap` with `MAP_SHARED | MAP_ANONYMOUS`): a write by one is seen by all.
///
/// It is never unmapped: the region lives as long as the pool whose counters it holds, and
/// each process's mapping ends with the process.
struct SharedMemory: @unchecked Sendable {
    // Sendable by hand: the pointer is fixed for the life of the process, and every access
    // through it is an atomic operation or reads bytes published by one (MetricsRegion).
    let base: UnsafeMutableRawPointer
    let byteCount: Int

    /// Maps `byteCount` bytes, rounded up to whole pages by the kernel.
    static func map(byteCount: Int) throws(MetricsError) -> SharedMemory {
        let pointer = mmap(
            nil,
            byteCount,
            PROT_READ | PROT_WRITE,
            MAP_SHARED | MAP_ANONYMOUS,
            -1,
            0
        )
        guard let pointer, pointer != MAP_FAILED else {
            let reason = String(cString: strerror(errno))
            throw MetricsError(message: "cannot map \(byteCount) bytes for metrics: \(reason)")
        }
        return SharedMemory(base: pointer, byteCount: byteCount)
    }
}
