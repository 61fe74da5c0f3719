import Estimators

/// A model under the name (and version) clients use for it, with the lookups requests
/// need prepared once.
public struct ServedModel: Sendable {
    public let name: String
    /// The version from a model repository's `NAME/VERSION/` folder; nil for a model given
    /// by name alone, which V2 reports as version "1".
    public let version: String?
    public let model: Model
    /// Seconds the file took to load and check, for metrics.
    public let loadSeconds: Double
    /// Column of each feature name (as UTF-8 bytes), when the model was fitted on named
    /// columns. Bytes, not `String`s, because Swift compares strings up to Unicode
    /// canonical equivalence and scikit-learn matches names exactly.
    let featureIndex: [[UInt8]: Int]?
    /// Whether a row is one text document, so a bare string may stand for a row.
    let takesDocuments: Bool

    public init(name: String, version: String? = nil, model: Model, loadSeconds: Double = 0) {
        self.name = name
        self.version = version
        self.model = model
        self.loadSeconds = loadSeconds
        takesDocuments = model.takesDocuments
        if let names = model.featureNames {
            featureIndex = Dictionary(names.enumerated().map { (Array($1.utf8), $0) }) {
                first,
                _ in first
            }
        } else {
            featureIndex = nil
        }
    }

    /// How a wrong row length is reported: "model 'iris' expects 4 features per row" (one
    /// "feature" for a model of one column).
    func expectsFeatures(_ width: Int) -> String {
        "model '\(name)' expects \(width) \(width == 1 ? "feature" : "features") per row"
    }

    /// What a request that names no output gets: `predict`, or for a model that ends in a
    /// transformer (and so has no `predict`), its first output, `transform`.
    var defaultOutputs: [ModelOutput] { [model.outputs.first ?? .predict] }
}
