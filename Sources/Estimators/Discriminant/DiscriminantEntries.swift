extension EstimatorRegistry {
    /// Discriminant analysis: Gaussian class densities with a shared (linear) or a
    /// per-class (quadratic) covariance.
    static let discriminantEntries: [String: Entry] = [
        "LinearDiscriminantAnalysis": Entry(
            discriminantFamily,
            [.predict, .predictProba, .decisionFunction, .transform],
            note: "every solver, shrinkage and covariance estimator; `transform` only with "
                + "`solver='svd'` or `'eigen'`"
        ) { object, _ throws(EstimatorError) in
            .classifier(try LinearDiscriminant(object))
        },
        "QuadraticDiscriminantAnalysis": Entry(
            discriminantFamily,
            [.predict, .predictProba, .decisionFunction],
            note: "`reg_param`, priors and (from 1.8) the eigen solver; not fitted on float32 "
                + "rows with scikit-learn 1.8 or later"
        ) { object, _ throws(EstimatorError) in
            .classifier(try QuadraticDiscriminant(object))
        },
    ]

    private static let discriminantFamily = "Discriminant analysis"
}
