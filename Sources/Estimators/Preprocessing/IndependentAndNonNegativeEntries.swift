extension EstimatorRegistry {
    /// Decompositions whose `transform` is not a plain projection on principal axes.
    static let decompositionEntries: [String: Entry] = [
        "FastICA": Entry("Preprocessing", [.transform]) { object, _ throws(EstimatorError) in
            .transformer(try IndependentComponents(object))
        }
    ]
}
