extension EstimatorRegistry {
    /// Nearest-neighbor classifiers and regressors, and nearest centroids.
    static let neighborsEntries: [String: Entry] = [
        "KNeighborsClassifier": Entry(
            "Nearest neighbors",
            [.predict, .predictProba],
            note: Self.neighborsNote + "; multi-output when fitted on a 2-D y"
        ) { object, _ throws(EstimatorError) in
            try NeighborsClassifier(object, radius: false).estimator
        },
        "KNeighborsRegressor": Entry(
            "Nearest neighbors",
            [.predict],
            note: Self.neighborsNote + "; multi-output when fitted on a 2-D y"
        ) { object, _ throws(EstimatorError) in
            .regressor(try NeighborsRegressor(object, radius: false))
        },
        "RadiusNeighborsClassifier": Entry(
            "Nearest neighbors",
            [.predict, .predictProba],
            note: Self.neighborsNote + "; a row with no neighbors takes `outlier_label` "
                + "(which must be one of the classes) or is refused without one"
        ) { object, _ throws(EstimatorError) in
            try NeighborsClassifier(object, radius: true).estimator
        },
        "RadiusNeighborsRegressor": Entry(
            "Nearest neighbors",
            [.predict],
            note: Self.neighborsNote + "; NaN for a row with no neighbors, as scikit-learn"
        ) { object, _ throws(EstimatorError) in
            .regressor(try NeighborsRegressor(object, radius: true))
        },
        "NearestCentroid": Entry(
            "Nearest neighbors",
            [.predict, .predictProba, .decisionFunction],
            note: "euclidean and manhattan; predict_proba and decision_function for "
                + "euclidean models of scikit-learn 1.6 and later, which have them"
        ) { object, _ throws(EstimatorError) in .classifier(try NearestCentroid(object)) },
    ]

    private static let neighborsNote =
        "brute force, KD tree or ball tree as fitted, equidistant neighbors kept as "
        + "scikit-learn keeps them; euclidean, manhattan, chebyshev, minkowski (any p ≥ 1, "
        + "weights `w`), seuclidean, haversine, sqeuclidean, braycurtis, canberra, hamming, "
        + "the boolean metrics, mahalanobis (`VI`, or `V` with a ball tree), correlation, "
        + "cosine and nan_euclidean with brute force (missing values accepted by "
        + "nan_euclidean models of 1.6 and later), and precomputed distances "
        + "(where brute force leaves the k nearest to numpy's argpartition, equal distances "
        + "are broken as numpy 1 breaks them); uniform or distance weights"
}
