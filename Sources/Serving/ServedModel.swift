import Estimators

/// A model under the name clients use for it, with the lookups requests need prepared once.
public struct ServedModel: Sendable {
    public let name: String
    public let model: Model
    /// Column of each feature name, when the model was fitted on named columns.
    let featureIndex: [String: Int]?

    public init(name: String, model: Model) {
        self.name = name
        self.model = model
        if let names = model.featureNames {
            featureIndex = Dictionary(names.enumerated().map { ($1, $0) }) { first, _ in first }
        } else {
            featureIndex = nil
        }
    }
}
