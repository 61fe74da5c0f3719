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
/// `LabelBinarizer`.
enum RidgeClassification {
    static func classifier(_ object: FittedObject) throws(EstimatorError) -> LinearClassifier {
        let binarizer = try FittedObject(try object.value("_label_binarizer"))
        if let kind = binarizer.string("y_type_"), kind.hasPrefix("multilabel") {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "_label_binarizer",
                "multilabel ridge classifiers are not supported"
            )
        }
        return try LinearClassifier(
            object,
            classes: try binarizer.classLabels(),
            probabilities: nil
        )
    }
}
