/// `sklearn.linear_model.LogisticRegression` and `LogisticRegressionCV`: binary,
/// multinomial and one-vs-rest, as the fitted `multi_class` and solver say.
enum LogisticRegression {
    static func classifier(_ object: FittedObject) throws(EstimatorError) -> LinearClassifier {
        let classes = try object.classLabels()
        return try LinearClassifier(
            object,
            classes: classes,
            probabilities: probabilityRule(object, classCount: classes.count)
        )
    }

    /// Files from versions that kept `multi_class` (deprecated in 1.5, gone by 1.9): `ovr`
    /// (or 1.1's `warn`) is one-vs-rest; `auto` (from 1.5 `deprecated`, the default) is
    /// one-vs-rest for binary problems and the liblinear and newton-cholesky solvers, else
    /// a softmax, which `multinomial` always is, even for two classes. Files without
    /// `multi_class` are one-vs-rest (a sigmoid) for two classes and a softmax for more.
    static func probabilityRule(_ object: FittedObject, classCount: Int)
        -> LinearClassifier.ProbabilityRule
    {
        let oneVsRest = LinearClassifier.ProbabilityRule.oneVsRest(writtenBy: object)
        guard let multiClass = object.string("multi_class") else {
            return classCount <= 2 ? oneVsRest : .softmax
        }
        switch multiClass {
        case "ovr", "warn": return oneVsRest
        case "auto", "deprecated":
            let solver = object.string("solver") ?? ""
            return classCount <= 2 || ["liblinear", "newton-cholesky"].contains(solver)
                ? oneVsRest : .softmax
        default: return .softmax
        }
    }
}

/// `SGDClassifier`, whose loss decides its `predict_proba`.
enum SGD {
    /// `predict_proba` exists for the log loss (named `log` before 1.3) and the modified
    /// Huber loss.
    static func classifier(_ object: FittedObject) throws(EstimatorError) -> LinearClassifier {
        let rule: LinearClassifier.ProbabilityRule? =
            switch object.string("loss") {
            case "log_loss", "log": .oneVsRest(writtenBy: object)
            case "modified_huber": .modifiedHuber
            default: nil
            }
        return try LinearClassifier(object, classes: try object.classLabels(), probabilities: rule)
    }
}

/// `RidgeClassifier` and `RidgeClassifierCV`, whose `classes_` live in a fitted
/// `LabelBinarizer`: a classifier, or a multilabel one when the binarizer was fitted on a
/// label indicator matrix.
enum RidgeClassification {
    static func estimator(_ object: FittedObject) throws(EstimatorError) -> Estimator {
        let binarizer = try FittedObject(try object.value("_label_binarizer"))
        let classes = try binarizer.classLabels()
        if binarizer.string("y_type_") == "multilabel-indicator" {
            return .multiOutputClassifier(try RidgeMultilabelClassifier(object, labels: classes))
        }
        return .classifier(try LinearClassifier(object, classes: classes, probabilities: nil))
    }
}

/// A ridge classifier fitted on a label indicator matrix: a row of weights per label, the
/// label present where its decision value is above 0.
struct RidgeMultilabelClassifier: MultiOutputClassifier {
    let function: LinearFunction
    let labels: ClassLabels

    var inputWidth: Int { function.inputWidth }
    var targets: MultiOutputTargets { .labelIndicator(labels: labels) }
    /// Each label is predicted as numpy's integer 0 or 1.
    var classesPerOutput: [ClassLabels] {
        Array(repeating: .integers([0, 1]), count: labels.count)
    }
    var hasProbabilities: Bool { false }
    var hasDecisionFunction: Bool { true }

    init(_ object: FittedObject, labels: ClassLabels) throws(EstimatorError) {
        let function = try LinearFunction(object)
        guard labels.count >= 2, function.outputCount == labels.count else {
            throw object.error(
                "coef_",
                "\(function.outputCount) rows of weights do not fit \(labels.count) labels"
            )
        }
        self.function = function
        self.labels = labels
    }

    func decisionFunction(_ input: Matrix) -> Matrix {
        function.scores(input)
    }

    /// scikit-learn maps each decision value to -1 or 1 by its sign and then thresholds
    /// at 0.5: a label is present where its value is above 0 (NaN is not).
    func predictClassIndices(_ input: Matrix) -> [[Int]] {
        let scores = function.scores(input)
        return (0..<scores.columns).map { label in
            (0..<scores.rows).map { row in scores[row, label] > 0 ? 1 : 0 }
        }
    }
}
