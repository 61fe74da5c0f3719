extension EstimatorRegistry {
    /// Encoders: steps that turn categories (strings or numbers) into numbers.
    static let encoderEntries: [String: Entry] = [:]
}
