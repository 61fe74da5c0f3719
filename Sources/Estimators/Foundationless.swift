#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// libm functions under names that do not clash with methods, so the worker needs no
/// Foundation for its math.
enum Foundationless {
    static func exp(_ value: Double) -> Double {
        #if canImport(Glibc)
            Glibc.exp(value)
        #else
            Darwin.exp(value)
        #endif
    }
}
