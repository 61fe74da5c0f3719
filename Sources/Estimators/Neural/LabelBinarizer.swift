/// A fitted `sklearn.preprocessing.LabelBinarizer` as a classifier keeps it
/// (`_label_binarizer`): its classes, and how its `inverse_transform` turns a network's
/// outputs back into labels.
struct FittedLabelBinarizer: Sendable {
    /// `y_type_`: what the binarizer was fitted on.
    enum TargetType: String, Sendable {
        case binary
        case multiclass
        case multilabelIndicator = "multilabel-indicator"
    }

    let classes: ClassLabels
    let targetType: TargetType
    /// `(pos_label + neg_label) / 2`: a binary output above it means the second class.
    let threshold: Double

    init(_ object: FittedObject) throws(EstimatorError) {
        let name = object.string("y_type_") ?? ""
        guard let targetType = TargetType(rawValue: name) else {
            throw object.unsupported("y_type_", "targets of type '\(name)' are not supported")
        }
        classes = try object.classLabels()
        self.targetType = targetType
        let positive = try object.number("pos_label", default: 1)
        let negative = try object.number("neg_label", default: 0)
        threshold = (positive + negative) / 2
    }

    /// `inverse_transform` for one output column (binary): the index of the second class
    /// where the output exceeds the threshold, of the first elsewhere (NaN included).
    func classIndex(binaryOutput output: Double) -> Int {
        output > threshold ? 1 : 0
    }
}
