extension EstimatorRegistry {
    /// Decompositions whose `transform` is not a plain projection on principal axes.
    static let decompositionEntries: [String: Entry] = [
        "FastICA": Entry("Preprocessing", [.transform]) { object, _ throws(EstimatorError) in
            .transformer(try IndependentComponents(object))
        },
        "NMF": Entry(
            "Preprocessing",
            [.transform],
            note: "solvers 'cd' (without shuffle) and 'mu'; like scikit-learn's, each row's "
                + "answer depends on the rows sent with it"
        ) { object, _ throws(EstimatorError) in
            .transformer(try NonNegativeFactorization(object, miniBatch: false))
        },
        "MiniBatchNMF": Entry(
            "Preprocessing",
            [.transform],
            note: "like scikit-learn's, each row's answer depends on the rows sent with it"
        ) { object, _ throws(EstimatorError) in
            .transformer(try NonNegativeFactorization(object, miniBatch: true))
        },
    ]
}
