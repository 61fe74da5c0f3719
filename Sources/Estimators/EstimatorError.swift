/// Why a value graph could not be turned into a model.
public struct EstimatorError: Error, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The file holds a class Augur does not serve.
        case unsupportedEstimator
        /// A supported class with an option or layout Augur does not serve yet.
        case unsupportedOption
        /// An attribute is missing or has the wrong type or shape.
        case invalidAttribute
        /// The file holds no estimator at all.
        case notAnEstimator
    }

    public var code: Code
    /// The Python class involved, e.g. `sklearn.linear_model._logistic.LogisticRegression`.
    public var className: String?
    /// The attribute involved, e.g. `coef_`.
    public var attribute: String?
    public var message: String

    public init(_ code: Code, className: String? = nil, attribute: String? = nil, _ message: String)
    {
        self.code = code
        self.className = className
        self.attribute = attribute
        self.message = message
    }

    public var description: String {
        var text = ""
        if let className { text += className }
        if let attribute { text += (text.isEmpty ? "" : ".") + attribute }
        return text.isEmpty ? message : "\(text): \(message)"
    }
}
