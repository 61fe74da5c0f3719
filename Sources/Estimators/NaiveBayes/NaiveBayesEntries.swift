extension EstimatorRegistry {
    /// Naive Bayes classifiers: a joint log likelihood per class, normalised into
    /// probabilities.
    static let naiveBayesEntries: [String: Entry] = [
        "GaussianNB": Entry(
            naiveBayesFamily,
            [.predict, .predictProba],
            note: "`priors` and `var_smoothing` as fitted; not fitted on float32 rows with "
                + "scikit-learn 1.8 or later"
        ) { object, _ throws(EstimatorError) in
            .classifier(
                try NaiveBayesClassifier(object, likelihood: try GaussianLikelihood(object))
            )
        },
        "MultinomialNB": Entry(naiveBayesFamily, [.predict, .predictProba]) {
            object,
            _ throws(EstimatorError) in
            .classifier(
                try NaiveBayesClassifier(
                    object,
                    likelihood: try LinearLikelihood.multinomial(object)
                )
            )
        },
        "ComplementNB": Entry(
            naiveBayesFamily,
            [.predict, .predictProba],
            note: "`norm` either way"
        ) {
            object,
            _ throws(EstimatorError) in
            .classifier(
                try NaiveBayesClassifier(
                    object,
                    likelihood: try LinearLikelihood.complement(object)
                )
            )
        },
        "BernoulliNB": Entry(
            naiveBayesFamily,
            [.predict, .predictProba],
            note: "`binarize` a threshold or `None`"
        ) { object, _ throws(EstimatorError) in
            .classifier(
                try NaiveBayesClassifier(object, likelihood: try LinearLikelihood.bernoulli(object))
            )
        },
        "CategoricalNB": Entry(
            naiveBayesFamily,
            [.predict, .predictProba],
            note: "rows are category indices, truncated to integers as scikit-learn casts them; "
                + "a negative index or one past the fitted categories (`min_categories` "
                + "included) is refused"
        ) { object, _ throws(EstimatorError) in
            .classifier(
                try NaiveBayesClassifier(object, likelihood: try CategoricalLikelihood(object))
            )
        },
    ]

    private static let naiveBayesFamily = "Naive Bayes"
}
