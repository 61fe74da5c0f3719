extension EstimatorRegistry {
    /// Clustering estimators that assign new rows to fitted clusters.
    static let clusterEntries: [String: Entry] = [
        "KMeans": nearestCenterEntry,
        "MiniBatchKMeans": nearestCenterEntry,
        "BisectingKMeans": Entry(
            "Clustering",
            [.predict, .transform],
            note: "predict walks the fitted tree of bisections; otherwise as KMeans",
            labelDataType: .int32
        ) { object, _ throws(EstimatorError) in .classifier(try BisectingKMeans(object)) },
    ]

    private static let nearestCenterEntry = Entry(
        "Clustering",
        [.predict, .transform],
        note: "predict gives cluster indices (int32 in scikit-learn); transform the distance "
            + "to each center; centers fitted on float32 data read rows as float32",
        labelDataType: .int32
    ) { object, _ throws(EstimatorError) in .classifier(try KMeans(object)) }
}
