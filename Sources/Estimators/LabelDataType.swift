import Arrays
import Pickle

/// The numpy dtype of the labels a model's `predict` returns, for protocols that type
/// their tensors (Open Inference answers `INT64`, `UINT8`, `BYTES`, …). scikit-learn's
/// classifiers return `classes_.take(...)`, so the dtype is that of `classes_`; JSON
/// alone cannot tell an `int32` label from an `int64` one.
public enum LabelDataType: String, Sendable, CaseIterable {
    case bool
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case float16, float32, float64
    /// Text labels, from numpy unicode or object arrays.
    case string

    /// The type of a numpy array of labels; nil for dtypes labels do not come in, and for
    /// object arrays, whose items decide (see ``ClassLabels``).
    init?(_ dtype: DType) {
        switch (dtype.kind, dtype.itemSize) {
        case (.boolean, _): self = .bool
        case (.signedInteger, 1): self = .int8
        case (.signedInteger, 2): self = .int16
        case (.signedInteger, 4): self = .int32
        case (.signedInteger, 8): self = .int64
        case (.unsignedInteger, 1): self = .uint8
        case (.unsignedInteger, 2): self = .uint16
        case (.unsignedInteger, 4): self = .uint32
        case (.unsignedInteger, 8): self = .uint64
        case (.float, 2): self = .float16
        case (.float, 4): self = .float32
        case (.float, 8): self = .float64
        case (.unicode, _): self = .string
        default: return nil
        }
    }

    /// The type labels of this kind have when nothing more is known: what numpy makes of
    /// Python values of that kind.
    public init(_ labels: ClassLabels) {
        switch labels {
        case .integers: self = .int64
        case .unsignedIntegers: self = .uint64
        case .strings: self = .string
        case .floats: self = .float64
        case .booleans: self = .bool
        }
    }
}

extension Estimator {
    /// The type of `predict`'s labels judged from the labels alone: classifiers by their
    /// classes, outlier detectors' -1 and 1 as numpy's default integers; nil for
    /// estimators that predict numbers or only transform.
    public var labelDataType: LabelDataType? {
        switch self {
        case .classifier(let classifier): LabelDataType(classifier.classes)
        case .multiOutputClassifier(let classifier):
            classifier.classesPerOutput.first.map(LabelDataType.init)
        case .outlierDetector: .int64
        case .regressor, .transformer: nil
        }
    }
}

extension EstimatorRegistry {
    /// The dtype of the labels `object` predicts, when the file says: the class's declared
    /// type (cluster labels are `int32`), else the dtype of the stored `classes_` (the first
    /// output's, for a model fitted on a 2-D `y`), else that of a pipeline's last step or a
    /// search's best estimator. Nil when the file does not say, and ``Model`` then judges
    /// from the labels.
    static func labelDataType(of object: FittedObject, depth: Int = 0) -> LabelDataType? {
        if let declared = entries[object.className]?.labelDataType { return declared }
        if let classes = object.optional("classes_") {
            var first = classes
            if case .list(let list) = classes, let head = list.items.first { first = head }
            guard let array = try? ArrayDecoder.array(first) else { return nil }
            return LabelDataType(array.dtype)
        }
        guard depth < maxNesting else { return nil }
        let inner: FittedObject?
        switch object.className {
        case "Pipeline": inner = try? steps(of: object).last
        case "GridSearchCV", "RandomizedSearchCV":
            inner = object.optional("best_estimator_").flatMap { try? FittedObject($0) }
        default: inner = nil
        }
        return inner.flatMap { labelDataType(of: $0, depth: depth + 1) }
    }
}
