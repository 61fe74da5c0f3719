/// numpy's own float32 `exp`, which differs from libm's `expf` in the last bit for some
/// inputs: the AVX2/FMA kernel numpy 2 runs on x86-64 (`simd_exp_FLOAT` in
/// `loops_exponent_log.dispatch.c.src`). `XGBClassifier.predict_proba` of a
/// `multi:softmax` model calls scipy's softmax on float32 margins, which runs it.
///
/// The method: Cody-Waite reduction `y = x - k·ln 2` with `k = rint(x · log2 e)`, a
/// rational minimax approximation `P(y) / Q(y)` evaluated with fused multiply-adds, then
/// `· 2^k` by adding `k` to the exponent bits. A numpy built without that kernel (another
/// architecture) may differ in the last bit.
enum NumpyFloat32 {
    private static let log2e = Float(bitPattern: 0x3FB8_AA3B)
    private static let ln2High = Float(bitPattern: 0xBF31_7200)
    private static let ln2Low = Float(bitPattern: 0xB5BF_BE8E)
    private static let roundingMagic = Float(bitPattern: 0x4B40_0000)
    private static let numerator: [Float] = [
        0x3F80_0000, 0x3F39_CBD5, 0x3E7D_4C58, 0x3D51_7D8C, 0x3BDD_7159, 0x3A05_3DD8,
    ].map(Float.init(bitPattern:))
    private static let denominator: [Float] = [0x3F80_0000, 0xBE8C_6857, 0x3CB0_E832].map(
        Float.init(bitPattern:)
    )
    /// At and beyond these the kernel answers infinity and zero.
    private static let overflow = Float(bitPattern: 0x42B1_7218)
    private static let underflow = Float(bitPattern: 0xC2CF_F1B5)

    static func exp(_ input: Float) -> Float {
        if input.isNaN { return .nan }
        if input >= overflow { return .infinity }
        if input <= underflow { return 0 }
        let quadrant = ((input * log2e) + roundingMagic) - roundingMagic
        var reduced = input.addingProduct(quadrant, ln2High)
        reduced = reduced.addingProduct(quadrant, ln2Low)
        var top = numerator[4].addingProduct(numerator[5], reduced)
        for index in stride(from: 3, through: 0, by: -1) {
            top = numerator[index].addingProduct(top, reduced)
        }
        var bottom = denominator[1].addingProduct(denominator[2], reduced)
        bottom = denominator[0].addingProduct(bottom, reduced)
        return scaled(top / bottom, by: quadrant)
    }

    /// `value · 2^power` by exponent arithmetic; below 2^-125 the rest is divided back in,
    /// as the kernel does to reach subnormal results.
    private static func scaled(_ value: Float, by power: Float) -> Float {
        let floor: Float = -125
        let clamped = max(power, floor)
        let shifted = Float(
            bitPattern: value.bitPattern &+ (UInt32(bitPattern: Int32(clamped)) &<< 23)
        )
        guard power <= floor else { return shifted }
        let remaining = Int(floor - power)
        return shifted / Float(sign: .plus, exponent: remaining, significand: 1)
    }
}
