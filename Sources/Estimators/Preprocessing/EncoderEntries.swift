extension EstimatorRegistry {
    /// Encoders: steps that turn categories (strings or numbers) into numbers.
    static let encoderEntries: [String: Entry] = [
        "OneHotEncoder": Entry(
            "Preprocessing",
            [.transform],
            note: "sparse output is returned dense; strings are compared by code points"
        ) { object, _ throws(EstimatorError) in .transformer(try OneHotEncoder(object)) },
        "OrdinalEncoder": Entry("Preprocessing", [.transform]) {
            object,
            _ throws(EstimatorError) in .transformer(try OrdinalEncoder(object))
        },
        "TargetEncoder": Entry(
            "Preprocessing",
            [.transform],
            note: "scikit-learn 1.3 and later; multiclass targets from 1.4"
        ) { object, _ throws(EstimatorError) in .transformer(try TargetEncoder(object)) },
    ]
}
