extension EstimatorRegistry {
    /// Scalers, encoders, imputers and feature selectors: steps that `transform`.
    static let preprocessingEntries: [String: Entry] = [
        "StandardScaler": Entry("Preprocessing", [.transform]) {
            object,
            _ throws(EstimatorError) in .transformer(try StandardScaler(object))
        }
    ]
}
