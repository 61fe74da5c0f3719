#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// libm functions under names that do not clash with methods, so the worker needs no
/// Foundation for its math. numpy calls the same libm, which keeps results bit-identical
/// where scikit-learn applies them element by element.
enum Foundationless {
    static func exp(_ value: Double) -> Double {
        #if canImport(Glibc)
            Glibc.exp(value)
        #else
            Darwin.exp(value)
        #endif
    }

    static func log(_ value: Double) -> Double {
        #if canImport(Glibc)
            Glibc.log(value)
        #else
            Darwin.log(value)
        #endif
    }

    static func log1p(_ value: Double) -> Double {
        #if canImport(Glibc)
            Glibc.log1p(value)
        #else
            Darwin.log1p(value)
        #endif
    }

    static func expm1(_ value: Double) -> Double {
        #if canImport(Glibc)
            Glibc.expm1(value)
        #else
            Darwin.expm1(value)
        #endif
    }

    static func pow(_ base: Double, _ exponent: Double) -> Double {
        #if canImport(Glibc)
            Glibc.pow(base, exponent)
        #else
            Darwin.pow(base, exponent)
        #endif
    }

    static func tanh(_ value: Double) -> Double {
        #if canImport(Glibc)
            Glibc.tanh(value)
        #else
            Darwin.tanh(value)
        #endif
    }

    static func erf(_ value: Double) -> Double {
        #if canImport(Glibc)
            Glibc.erf(value)
        #else
            Darwin.erf(value)
        #endif
    }
}

extension Double {
    func log() -> Double { Foundationless.log(self) }
    func log1p() -> Double { Foundationless.log1p(self) }
    func expm1() -> Double { Foundationless.expm1(self) }
    func power(_ exponent: Double) -> Double { Foundationless.pow(self, exponent) }
    func tanh() -> Double { Foundationless.tanh(self) }
}
