extension EstimatorRegistry {
    /// Text vectorizers: one document per row to term counts or weights.
    static let textEntries: [String: Entry] = [
        "CountVectorizer": Entry(
            textFamily,
            [.transform],
            note: textNote
        ) { object, _ throws(EstimatorError) in
            .transformer(try TextVectorizer.counting(object, tfidf: false))
        },
        "TfidfVectorizer": Entry(
            textFamily,
            [.transform],
            note: textNote + "; dtype float64 or float32"
        ) { object, _ throws(EstimatorError) in
            .transformer(try TextVectorizer.counting(object, tfidf: true))
        },
        "HashingVectorizer": Entry(
            textFamily,
            [.transform],
            note: textNote + "; dtype float64 or float32"
        ) { object, _ throws(EstimatorError) in
            .transformer(try TextVectorizer.hashing(object))
        },
        "TfidfTransformer": Entry(
            textFamily,
            [.transform],
            note: "norm, use_idf, smooth_idf, sublinear_tf"
        ) { object, _ throws(EstimatorError) in
            .transformer(try TfidfTransformerStep(object))
        },
    ]

    private static let textFamily = "Text"

    private static let textNote =
        "one string per row; analyzer 'word', 'char' or 'char_wb', lowercase, strip_accents, "
        + "stop words, n-grams, token_pattern a run of \\w or \\S; no Python callables"
}
