import Estimators

/// A model under the name clients use for it, with the lookups requests need prepared once.
public struct ServedModel: Sendable {
    public let name: String
    public let model: Model
    /// Column of each feature name (as UTF-8 bytes), when the model was fitted on named
    /// columns. Bytes, not `String`s, because Swift compares strings up to Unicode
    /// canonical equivalence and scikit-learn matches names exactly.
    let featureIndex: [[UInt8]: Int]?

    public init(name: String, model: Model) {
        self.name = name
        self.model = model
        if let names = model.featureNames {
            featureIndex = Dictionary(names.enumerated().map { (Array($1.utf8), $0) }) {
                first,
                _ in first
            }
        } else {
            featureIndex = nil
        }
    }
}
