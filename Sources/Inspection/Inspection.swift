import Estimators

/// What `augur inspect` found in a model file: its container, how it was pickled, the
/// estimators it holds and whether Augur can serve them.
///
/// ``Inspector/inspect(path:displayPath:)`` fills it in; ``text`` and ``json`` render it.
public struct Inspection: Sendable {
    /// A file that could not be read as a pickle at all.
    public struct Failure: Sendable, Equatable {
        public enum Kind: String, Sendable {
            /// The file could not be opened or read.
            case unreadable
            /// The bytes are no pickle or joblib container (or a damaged compressed one).
            case notAPickle = "not_a_pickle"
            /// The pickle names a global that can run code; nothing in it was run.
            case refusedGlobal = "refused_global"
            /// The pickle is damaged or uses something this reader does not support.
            case malformedPickle = "malformed_pickle"
        }

        public var kind: Kind
        public var message: String

        public init(kind: Kind, message: String) {
            self.kind = kind
            self.message = message
        }
    }

    /// Which numpy wrote the file, told by the module names of its numpy globals.
    public enum NumpyGeneration: String, Sendable {
        /// Globals under `numpy.core`.
        case numpy1 = "1"
        /// Globals under `numpy._core`.
        case numpy2 = "2"
        /// Globals under both, which no numpy writes by itself.
        case mixed
        /// Neither: the file names no numpy global that tells.
        case unknown
    }

    /// One estimator in the tree, or several alike (a forest's trees) counted as one part.
    public struct Node: Sendable, Equatable {
        /// The step name (pipelines) or attribute (`estimators_`) it was found under; nil
        /// at the top.
        public var label: String?
        /// How many alike estimators this part stands for.
        public var count: Int
        /// `module.Class` as the pickle names it, or `passthrough` for a skipped step.
        public var className: String
        /// What Augur makes of this part; only estimator positions get supported or not.
        public var verdict: Verdict
        public var parts: [Node]

        /// The verdict as the JSON report gives it: nil for a part without one.
        public var supported: Bool? {
            switch verdict {
            case .supported: true
            case .notSupported: false
            case .readByParent, .unjudged: nil
            }
        }
    }

    /// Whether a part of the estimator tree is served.
    ///
    /// Only estimator positions get `supported` or `notSupported`: the top estimator, a
    /// pipeline's or union's steps, and the members an ensemble or composite builds as
    /// estimators of their own (`estimators_`, `best_estimator_`, `final_estimator_`, …).
    /// The other objects a served estimator holds (a `LabelEncoder` in `le_`, a boosting
    /// `init_`) are `readByParent`; what an unsupported estimator holds is `unjudged`.
    public enum Verdict: Sendable, Equatable {
        case supported
        case notSupported
        /// Part of a served estimator, which reads it itself when it loads.
        case readByParent
        /// Inside an estimator Augur does not serve, where nothing is read.
        case unjudged
    }

    /// One reason the file cannot be served.
    public struct Problem: Sendable, Equatable {
        /// Where in the tree: step names, attributes and list positions joined by dots
        /// (`vote.estimators_.1`), `""` at the top.
        public var path: String
        /// `EstimatorError`'s code in snake case: `unsupported_estimator`,
        /// `unsupported_option`, `invalid_attribute` or `not_an_estimator`.
        public var code: String
        public var className: String?
        public var attribute: String?
        public var message: String
    }

    /// The path as given, or as it should be shown (relative to the repository in tests).
    public var file: String
    /// `joblib` when the file is compressed or holds joblib's array wrappers, else `pickle`;
    /// nil when the file is no pickle.
    public var container: String?
    /// The compression codec of a compressed joblib file (`zlib`, `gzip`, `bzip2`, `xz`,
    /// `lzma`, `lz4`), nil when the pickle is stored as is.
    public var compression: String?
    /// The version of the first PROTO opcode; nil for protocols 0 and 1, which have none.
    public var pickleProtocol: Int?
    public var numpy: NumpyGeneration = .unknown
    /// `_sklearn_version` of the top estimator.
    public var sklearnVersion: String?
    public var tree: Node?
    /// `n_features_in_`.
    public var inputWidth: Int?
    /// `feature_names_in_`.
    public var featureNames: [String]?
    /// `classes_`, in the type the model was trained with.
    public var classes: ClassLabels?
    /// Whether the model is a multilabel classifier, whose `classes` name the columns of
    /// the label indicator matrix it predicts.
    public var isMultilabel = false
    /// What Augur can answer for this file; empty when it cannot serve it.
    public var outputs: [ModelOutput] = []
    public var problems: [Problem] = []
    public var failure: Failure?

    /// Whether Augur can serve the file.
    public var servable: Bool { failure == nil && problems.isEmpty }

    /// Whether the file is a pickle or joblib file (not a skops archive or a saved booster),
    /// so that its pickle protocol and numpy generation mean something.
    public var isPickle: Bool {
        container == nil || container == "pickle" || container == "joblib"
    }

    /// 0 for a file Augur can serve, 66 for one it cannot read, 65 otherwise.
    public var exitCode: Int32 {
        if servable { return 0 }
        return failure?.kind == .unreadable ? 66 : 65
    }

    public init(file: String) {
        self.file = file
    }
}
