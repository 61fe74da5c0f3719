/// A fitted step that maps feature rows to feature rows (scalers, encoders, …).
public protocol Transformer: Sendable {
    /// Features per input row (`n_features_in_`).
    var inputWidth: Int { get }
    /// Features per output row.
    var outputWidth: Int { get }
    /// Input columns that may hold text (encoders take strings); empty for numeric steps.
    var textColumns: Set<Int> { get }
    /// Whether NaN (a missing value) is a valid input, as it is for imputers and scalers.
    var acceptsMissing: Bool { get }
    /// Whether the step validates its input as most scikit-learn steps do (refusing
    /// infinity); a `FunctionTransformer` with `validate=False` passes anything on.
    var validatesInput: Bool { get }
    /// Mirrors scikit-learn's `transform`; `input.columns == inputWidth`.
    func transform(_ input: Matrix) throws(InputError) -> Matrix
    /// Whether scikit-learn's `transform` returns a 1-D array, one value per row (as
    /// `IsotonicRegression`'s does), rather than a row of ``outputWidth`` values.
    var transformsToOneValuePerRow: Bool { get }
    /// Whether the step also has `score_samples` (PCA's log-likelihood).
    var hasScoreSamples: Bool { get }
    /// Mirrors `score_samples`: one number per row.
    func scoreSamples(_ input: Matrix) throws(InputError) -> [Double]
}

extension Transformer {
    public var textColumns: Set<Int> { [] }
    public var acceptsMissing: Bool { false }
    public var validatesInput: Bool { true }
    public var transformsToOneValuePerRow: Bool { false }
    public var hasScoreSamples: Bool { false }
    public func scoreSamples(_ input: Matrix) throws(InputError) -> [Double] {
        preconditionFailure("score_samples called on a transformer without one")
    }
}

/// A fitted classifier.
public protocol Classifier: Sendable {
    var inputWidth: Int { get }
    /// `classes_`, in the order of the probability columns.
    var classes: ClassLabels { get }
    var textColumns: Set<Int> { get }
    var acceptsMissing: Bool { get }
    /// Mirrors `predict`: the index into ``classes`` of each row's label.
    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int]
    /// Whether the classifier has `predict_proba` (hinge-loss SGD and SVMs do not).
    var hasProbabilities: Bool { get }
    /// Mirrors `predict_proba`: one column per class.
    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix
    /// Whether the classifier has `decision_function` (trees and forests do not).
    var hasDecisionFunction: Bool { get }
    /// Mirrors `decision_function`: one column for two classes (1-D in scikit-learn),
    /// else one column per class.
    func decisionFunction(_ input: Matrix) throws(InputError) -> Matrix
    /// The classifier's own `transform`, for the few that have one (RFE, voting,
    /// stacking); nil for the rest.
    var transformation: (any Transformer)? { get }
}

extension Classifier {
    public var textColumns: Set<Int> { [] }
    public var acceptsMissing: Bool { false }
    public var hasProbabilities: Bool { true }
    public var hasDecisionFunction: Bool { false }
    public func decisionFunction(_ input: Matrix) throws(InputError) -> Matrix {
        preconditionFailure("decision_function called on a classifier without one")
    }
    public var transformation: (any Transformer)? { nil }
}

/// A fitted regressor.
public protocol Regressor: Sendable {
    var inputWidth: Int { get }
    var textColumns: Set<Int> { get }
    var acceptsMissing: Bool { get }
    /// Targets per row when `predict` returns a 2-D array (a model fitted on a 2-D `y`);
    /// nil when it returns one value per row.
    var targetCount: Int? { get }
    /// Mirrors `predict`: one column per target (one column when ``targetCount`` is nil).
    func predict(_ input: Matrix) throws(InputError) -> Matrix
    /// The regressor's own `transform`, for the few that have one (RFE, voting,
    /// stacking); nil for the rest.
    var transformation: (any Transformer)? { get }
}

extension Regressor {
    public var textColumns: Set<Int> { [] }
    public var acceptsMissing: Bool { false }
    public var targetCount: Int? { nil }
    public var transformation: (any Transformer)? { nil }
}

/// A fitted classifier of several outputs at once (a model fitted on a 2-D `y`): a label
/// per output per row.
public protocol MultiOutputClassifier: Sendable {
    var inputWidth: Int { get }
    var textColumns: Set<Int> { get }
    var acceptsMissing: Bool { get }
    /// `classes_`: one list of labels per output (`[0, 1]` for each label of a multilabel
    /// classifier).
    var classesPerOutput: [ClassLabels] { get }
    /// What the outputs are, which decides how the scores are laid out.
    var targets: MultiOutputTargets { get }
    /// Mirrors `predict`: for each output, the index into its classes of each row's label.
    func predictClassIndices(_ input: Matrix) throws(InputError) -> [[Int]]
    var hasProbabilities: Bool { get }
    /// Mirrors `predict_proba` for ``MultiOutputTargets/perOutput``: one matrix per output,
    /// one column per class of that output.
    func predictProbabilities(_ input: Matrix) throws(InputError) -> [Matrix]
    /// Mirrors `predict_proba` for ``MultiOutputTargets/labelIndicator(labels:)``: one
    /// matrix, a column per label, the probability that the row has it.
    func predictLabelProbabilities(_ input: Matrix) throws(InputError) -> Matrix
    /// Whether the classifier has `decision_function` (only multilabel ones do).
    var hasDecisionFunction: Bool { get }
    /// Mirrors a multilabel `decision_function`: one matrix, a column per label.
    func decisionFunction(_ input: Matrix) throws(InputError) -> Matrix
}

extension MultiOutputClassifier {
    public var textColumns: Set<Int> { [] }
    public var acceptsMissing: Bool { false }
    public var targets: MultiOutputTargets { .perOutput }
    public var hasProbabilities: Bool { true }
    public func predictProbabilities(_ input: Matrix) throws(InputError) -> [Matrix] {
        preconditionFailure("a multilabel classifier gives its probabilities as one matrix")
    }
    public func predictLabelProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        preconditionFailure("a multi-output classifier gives its probabilities per output")
    }
    public var hasDecisionFunction: Bool { false }
    public func decisionFunction(_ input: Matrix) throws(InputError) -> Matrix {
        preconditionFailure("decision_function called on a classifier without one")
    }
}

/// What the outputs of a multi-output classifier are.
public enum MultiOutputTargets: Sendable, Equatable {
    /// Outputs with classes of their own (a 2-D `y` of labels): `predict_proba` is a list
    /// with one matrix per output.
    case perOutput
    /// The columns of a label indicator matrix (multilabel): each output is 1 where the row
    /// has that label and 0 where not; `predict_proba` and `decision_function` are one
    /// matrix with a column per label. `labels` is the model's `classes_`, naming the
    /// columns (0 to L - 1 when fitted on an indicator matrix).
    case labelIndicator(labels: ClassLabels)

    /// The labels naming the columns of a multilabel classifier; nil for per-output classes.
    public var indicatorLabels: ClassLabels? {
        if case .labelIndicator(let labels) = self { labels } else { nil }
    }
}

/// A fitted outlier detector (`IsolationForest`): `predict` gives -1 for outliers and 1
/// for inliers.
public protocol OutlierDetector: Sendable {
    var inputWidth: Int { get }
    var textColumns: Set<Int> { get }
    var acceptsMissing: Bool { get }
    /// Mirrors `score_samples`: lower is more abnormal.
    func scoreSamples(_ input: Matrix) throws(InputError) -> [Double]
    /// Mirrors `decision_function`: `score_samples - offset_`; negative means outlier.
    func decisionFunction(_ input: Matrix) throws(InputError) -> [Double]
    /// Mirrors `predict`: -1 for outliers, 1 for inliers.
    func predict(_ input: Matrix) throws(InputError) -> [Int]
}

extension OutlierDetector {
    public var textColumns: Set<Int> { [] }
    public var acceptsMissing: Bool { false }

    /// Mirrors `predict`: -1 where the decision function is negative, else 1.
    public func predict(_ input: Matrix) throws(InputError) -> [Int] {
        try decisionFunction(input).map { $0 < 0 ? -1 : 1 }
    }
}

/// What a fitted estimator can do, as the registry found it.
public enum Estimator: Sendable {
    case transformer(any Transformer)
    case classifier(any Classifier)
    case regressor(any Regressor)
    case outlierDetector(any OutlierDetector)
    case multiOutputClassifier(any MultiOutputClassifier)

    public var inputWidth: Int {
        switch self {
        case .multiOutputClassifier(let classifier): classifier.inputWidth
        case .transformer(let step): step.inputWidth
        case .classifier(let classifier): classifier.inputWidth
        case .regressor(let regressor): regressor.inputWidth
        case .outlierDetector(let detector): detector.inputWidth
        }
    }

    /// Input columns that may hold strings.
    public var textColumns: Set<Int> {
        switch self {
        case .transformer(let step): step.textColumns
        case .classifier(let classifier): classifier.textColumns
        case .regressor(let regressor): regressor.textColumns
        case .outlierDetector(let detector): detector.textColumns
        case .multiOutputClassifier(let classifier): classifier.textColumns
        }
    }

    /// Whether the estimator's first step takes NaN.
    public var acceptsMissing: Bool {
        switch self {
        case .transformer(let step): step.acceptsMissing
        case .classifier(let classifier): classifier.acceptsMissing
        case .regressor(let regressor): regressor.acceptsMissing
        case .outlierDetector(let detector): detector.acceptsMissing
        case .multiOutputClassifier(let classifier): classifier.acceptsMissing
        }
    }

    /// What `transform` runs: the transformer itself, or the `transform` a classifier or
    /// regressor has besides predicting; nil when the estimator has none.
    public var transformation: (any Transformer)? {
        switch self {
        case .transformer(let step): step
        case .classifier(let classifier): classifier.transformation
        case .regressor(let regressor): regressor.transformation
        case .outlierDetector, .multiOutputClassifier: nil
        }
    }

    /// The outputs this estimator offers, in the order scikit-learn documents them.
    public var outputs: [ModelOutput] {
        var offered: [ModelOutput]
        switch self {
        case .transformer(let step): offered = step.hasScoreSamples ? [.scoreSamples] : []
        case .classifier(let classifier):
            offered =
                [.predict]
                + (classifier.hasProbabilities ? [.predictProba] : [])
                + (classifier.hasDecisionFunction ? [.decisionFunction] : [])
        case .regressor: offered = [.predict]
        case .outlierDetector: offered = [.predict, .decisionFunction, .scoreSamples]
        case .multiOutputClassifier(let classifier):
            offered =
                [.predict]
                + (classifier.hasProbabilities ? [.predictProba] : [])
                + (classifier.hasDecisionFunction ? [.decisionFunction] : [])
        }
        if transformation != nil { offered.append(.transform) }
        return ModelOutput.allCases.filter(offered.contains)
    }
}

/// The outputs a served model can be asked for, named as scikit-learn names the methods.
public enum ModelOutput: String, Sendable, CaseIterable {
    case predict
    case predictProba = "predict_proba"
    case decisionFunction = "decision_function"
    case transform
    case scoreSamples = "score_samples"
}

/// A row the model refuses, as scikit-learn would refuse it: NaN where the model takes no
/// missing values, an unknown category for an encoder fitted with `handle_unknown='error'`.
public struct InputError: Error, Equatable, CustomStringConvertible {
    /// The row of the request's batch.
    public var row: Int
    /// The column of the request's row when it is known; steps inside a model see their
    /// own input, whose columns may no longer be the request's.
    public var column: Int?
    public var message: String

    public init(row: Int, column: Int?, _ message: String) {
        self.row = row
        self.column = column
        self.message = message
    }

    public var description: String {
        let place = column.map { "row \(row), column \($0)" } ?? "row \(row)"
        return "\(place): \(message)"
    }
}

extension Matrix {
    /// Throws for the first NaN, naming `estimator` as the step that refuses it. For a
    /// step inside a model, whose columns are not the request's, pass `withinModel`.
    public func requireNoMissing(by estimator: String, withinModel: Bool = false)
        throws(InputError)
    {
        guard let index = firstMissingIndex else { return }
        let column = index % columns
        if withinModel {
            throw InputError(
                row: index / columns,
                column: nil,
                "missing value in column \(column) of the input of \(estimator), which does not "
                    + "accept missing values"
            )
        }
        throw InputError(
            row: index / columns,
            column: column,
            "missing value (NaN or null), which \(estimator) does not accept"
        )
    }

    /// The index of the first NaN in ``values``, if any. The common case, no NaN at all, is
    /// found by a branch-free pass the compiler can vectorise; only a batch that has one
    /// is searched again for the first.
    var firstMissingIndex: Int? {
        let missingCount = values.withUnsafeBufferPointer { values in
            var count = 0
            for value in values { count &+= value.isNaN ? 1 : 0 }
            return count
        }
        return missingCount > 0 ? values.firstIndex(where: { $0.isNaN }) : nil
    }

    /// Checks what a step inside a model gets from the steps before it, as scikit-learn
    /// validates each step's input: an infinity (a polynomial or `log1p` of a large or
    /// negative value) is always refused, NaN unless the step takes missing values.
    public func requireValidStepInput(to estimator: String, acceptsMissing: Bool)
        throws(InputError)
    {
        if let index = values.firstIndex(where: { $0.isInfinite }) {
            throw InputError(
                row: index / columns,
                column: nil,
                "the steps before \(estimator) turned the row into an infinite value (column "
                    + "\(index % columns) of its input), which it does not accept"
            )
        }
        if !acceptsMissing {
            try requireNoMissing(by: estimator, withinModel: true)
        }
    }
}
