extension EstimatorRegistry {
    /// Clustering estimators that assign new rows to fitted clusters.
    static let clusterEntries: [String: Entry] = [
        "KMeans": nearestCenterEntry,
        "MiniBatchKMeans": nearestCenterEntry,
    ]

    private static let nearestCenterEntry = Entry(
        "Clustering",
        [.predict, .transform],
        note: "predict gives cluster indices (int32 in scikit-learn); transform the distance "
            + "to each center; centers fitted on float32 data read rows as float32"
    ) { object, _ throws(EstimatorError) in .classifier(try NearestCenter(object)) }
}
