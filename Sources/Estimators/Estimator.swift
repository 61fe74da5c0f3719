/// A fitted step that maps feature rows to feature rows (scalers, encoders, …).
public protocol Transformer: Sendable {
    /// Features per input row (`n_features_in_`).
    var inputWidth: Int { get }
    /// Features per output row.
    var outputWidth: Int { get }
    /// Mirrors scikit-learn's `transform`; `input.columns == inputWidth`.
    func transform(_ input: Matrix) -> Matrix
}

/// A fitted classifier.
public protocol Classifier: Sendable {
    var inputWidth: Int { get }
    /// `classes_`, in the order of the probability columns.
    var classes: ClassLabels { get }
    /// Mirrors `predict`: the index into ``classes`` of each row's label.
    func predictClassIndices(_ input: Matrix) -> [Int]
    /// Mirrors `predict_proba`: one column per class.
    func predictProbabilities(_ input: Matrix) -> Matrix
}

/// A fitted single-output regressor.
public protocol Regressor: Sendable {
    var inputWidth: Int { get }
    /// Mirrors `predict`.
    func predict(_ input: Matrix) -> [Double]
}

/// What a fitted estimator can do, as the registry found it.
public enum Estimator: Sendable {
    case transformer(any Transformer)
    case classifier(any Classifier)
    case regressor(any Regressor)

    var inputWidth: Int {
        switch self {
        case .transformer(let step): step.inputWidth
        case .classifier(let classifier): classifier.inputWidth
        case .regressor(let regressor): regressor.inputWidth
        }
    }
}

/// The outputs a served model can be asked for, named as scikit-learn names the methods.
public enum ModelOutput: String, Sendable, CaseIterable {
    case predict
    case predictProba = "predict_proba"
}
