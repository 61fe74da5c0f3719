extension EstimatorRegistry {
    /// The classes that encode a model's targets (`y`) rather than its features. No
    /// estimator or pipeline holds one as a step (their `fit` takes only `y`), but people
    /// save them beside a model, and a multilabel model's indicator columns are named only
    /// by its binarizer's `classes_`.
    static let targetEncoderClasses: Set<String> = [
        "LabelEncoder", "LabelBinarizer", "MultiLabelBinarizer",
    ]

    /// Refuses a file whose top object is a target encoder: it predicts nothing. The
    /// message says what it is and lists its `classes_` in column order, so that a user
    /// can read the columns of the model it was saved with.
    static func refuseTargetEncoder(_ object: FittedObject) throws(EstimatorError) {
        guard targetEncoderClasses.contains(object.className) else { return }
        let encoding =
            object.className == "LabelEncoder"
            ? "target labels (y) as the integers 0 to N - 1"
            : "targets (y) as a label indicator matrix, a column per class"
        var message =
            "is a \(object.className), which encodes a model's \(encoding); it predicts "
            + "nothing, so Augur does not serve it"
        if let classes = try? object.classLabels() {
            let order = object.className == "LabelEncoder" ? "from code 0 on" : "column by column"
            message += "; its classes_, \(order): \(classes.listed)"
        } else {
            message += "; it holds no classes_ (it was not fitted)"
        }
        throw EstimatorError(.notAnEstimator, className: object.qualifiedName, message)
    }
}

extension ClassLabels {
    /// The labels as a Python-like list: strings quoted, the rest as numpy prints them.
    var listed: String {
        let texts: [String] =
            switch self {
            case .integers(let values): values.map(String.init)
            case .unsignedIntegers(let values): values.map(String.init)
            case .strings(let values): values.map(\.debugDescription)
            case .floats(let values): values.map { "\($0)" }
            case .booleans(let values): values.map { $0 ? "True" : "False" }
            }
        return "[" + texts.joined(separator: ", ") + "]"
    }
}
