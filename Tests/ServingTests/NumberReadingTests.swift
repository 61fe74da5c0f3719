import Testing

@testable import Serving

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Numbers in request bodies are read correctly rounded, exactly as `strtod` reads them,
/// whichever path the reader takes internally.
@Suite struct NumberReadingTests {
    func read(_ text: String) throws(ServingError) -> Double {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(ServingError) in
            var reader = JSONReader(buffer)
            let value = try reader.readNumber()
            try reader.expectEnd()
            return value
        }
    }

    @Test(arguments: [
        "0", "-0", "0.1", "0.2", "0.3", "1e-3", "5", "-7", "12.5", "2.5E+2", "-1E-2", "0.000001",
        "123456789012345678", "1.7976931348623157e308", "4.9e-324", "2.4703282292062327e-324",
        "0.30000000000000004", "3.141592653589793238462643383279", "1e22", "1e23",
        "9007199254740993", "0.1000000000000000055511151231257827", "1e400", "-1e400",
        "123456789012345.6", "0.000000000000000000001", "999999999999999.9",
    ])
    func matchesStrtod(_ text: String) throws {
        let value = try read(text)
        let reference = strtod(text, nil)
        #expect(value.bitPattern == reference.bitPattern, "\(text)")
    }

    @Test func randomDecimalsMatchStrtod() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...20, using: &generator)
            var text = String(Int.random(in: 1...9, using: &generator))
            for _ in 1..<digits { text += String(Int.random(in: 0...9, using: &generator)) }
            let point = Int.random(in: 1...digits, using: &generator)
            if point < digits {
                text.insert(".", at: text.index(text.startIndex, offsetBy: point))
            }
            if Bool.random(using: &generator) {
                text += "e\(Int.random(in: -30...30, using: &generator))"
            }
            if Bool.random(using: &generator) { text = "-" + text }
            #expect(try read(text).bitPattern == strtod(text, nil).bitPattern, "\(text)")
        }
    }

    @Test(arguments: [
        "01", "1.", ".5", "+1", "1e", "1e+", "-", "--1", "0x10", "inf", "NaN", "1.e5",
    ])
    func rejectsWhatJSONDoesNotAllow(_ text: String) {
        #expect(throws: ServingError.self, "\(text)") { try read(text) }
    }
}
