import Arrays
import Pickle

extension FittedObject {
    /// The scikit-learn that wrote the object, for behaviour that changed between versions.
    var version: ScikitLearnVersion { ScikitLearnVersion(string("_sklearn_version")) }

    /// A nested fitted estimator stored as an attribute (`_scaler`, `estimator_`, …).
    func nested(_ attribute: String) throws(EstimatorError) -> FittedObject {
        let raw = try value(attribute)
        do {
            return try FittedObject(raw)
        } catch {
            throw self.error(attribute, error.message)
        }
    }

    /// A boolean array (`support_`), read as flags.
    func flags(_ attribute: String, count: Int? = nil) throws(EstimatorError) -> [Bool] {
        try doubles(attribute, count: count).map { $0 != 0 }
    }

    /// A float attribute stored as a Python or numpy number, or its default when absent.
    func number(_ attribute: String, default fallback: Double) throws(EstimatorError) -> Double {
        optional(attribute) == nil ? fallback : try number(attribute)
    }

    /// An unsupported option, named in the error.
    func unsupported(_ attribute: String, _ message: String) -> EstimatorError {
        EstimatorError(.unsupportedOption, className: qualifiedName, attribute: attribute, message)
    }

    /// The feature count a transformer was fitted on.
    func featureCount() throws(EstimatorError) -> Int {
        let count = try integer("n_features_in_")
        guard count > 0 else { throw error("n_features_in_", "expected at least one feature") }
        return count
    }
}
