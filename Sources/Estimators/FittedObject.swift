import Arrays
import Pickle

/// A pickled scikit-learn object, read attribute by attribute with errors that name the
/// class and the attribute.
struct FittedObject {
    /// `module.Class` as the pickle names it.
    let qualifiedName: String
    let attributes: PickleDict

    /// Reads `value` as an instance of a Python class with a `__dict__` state.
    init(_ value: PickleValue) throws(EstimatorError) {
        guard case .object(let object) = value, let name = object.qualifiedName else {
            throw EstimatorError(.notAnEstimator, "expected an estimator, found \(value.kindName)")
        }
        guard EstimatorRegistry.isFromServedPackage(name) else {
            // Whatever the global is, it was only read, never called.
            throw EstimatorError(
                .unsupportedEstimator,
                className: name,
                "is not a scikit-learn estimator; " + EstimatorRegistry.supportedSummary
            )
        }
        guard let attributes = object.stateDict else {
            throw EstimatorError(.invalidAttribute, className: name, "the object has no attributes")
        }
        self.qualifiedName = name
        self.attributes = attributes
    }

    /// The class name without its module, e.g. `LogisticRegression`.
    var className: String {
        String(
            qualifiedName[
                (qualifiedName.lastIndex(of: ".").map { qualifiedName.index(after: $0) }
                    ?? qualifiedName.startIndex)...
            ]
        )
    }

    func error(_ attribute: String, _ message: String) -> EstimatorError {
        EstimatorError(.invalidAttribute, className: qualifiedName, attribute: attribute, message)
    }

    func value(_ attribute: String) throws(EstimatorError) -> PickleValue {
        guard let value = attributes[attribute] else {
            throw error(attribute, "missing; the model file may not be fitted")
        }
        return value
    }

    func optional(_ attribute: String) -> PickleValue? {
        guard let value = attributes[attribute] else { return nil }
        if case .none = value { return nil }
        return value
    }

    /// Runs an array accessor, reporting its failure against `attribute`.
    func reading<Result>(
        _ attribute: String,
        _ body: () throws(ArrayError) -> Result
    ) throws(EstimatorError) -> Result {
        do {
            return try body()
        } catch {
            throw self.error(attribute, error.message)
        }
    }

    func array(_ attribute: String) throws(EstimatorError) -> NDArray {
        let raw = try value(attribute)
        guard
            let array = try reading(
                attribute,
                { () throws(ArrayError) in try ArrayDecoder.array(raw) }
            )
        else {
            throw error(attribute, "expected a numpy array, found \(raw.kindName)")
        }
        return array
    }

    /// A float array of exactly `count` elements (any shape).
    func doubles(_ attribute: String, count: Int? = nil) throws(EstimatorError) -> [Double] {
        let array = try array(attribute)
        let values = try reading(attribute) { () throws(ArrayError) in try array.doubles() }
        if let count, values.count != count {
            throw self.error(attribute, "expected \(count) values, found shape \(array.shape)")
        }
        return values
    }

    /// A number stored as a Python number, a numpy scalar or a one-element array.
    func number(_ attribute: String) throws(EstimatorError) -> Double {
        let raw = try value(attribute)
        if let number = try reading(
            attribute,
            { () throws(ArrayError) in
                try ArrayDecoder.number(raw)
            }
        ) {
            return number
        }
        throw error(attribute, "expected a number, found \(raw.kindName)")
    }

    func integer(_ attribute: String) throws(EstimatorError) -> Int {
        let number = try number(attribute)
        guard let integer = Int(exactly: number) else {
            throw error(attribute, "expected an integer, found \(number)")
        }
        return integer
    }

    func string(_ attribute: String) -> String? {
        if case .string(let text)? = attributes[attribute] { text } else { nil }
    }

    func boolean(_ attribute: String, default fallback: Bool) -> Bool {
        if case .bool(let flag)? = attributes[attribute] { flag } else { fallback }
    }

    /// `classes_` in the type the model was trained with.
    func classLabels(_ attribute: String = "classes_") throws(EstimatorError) -> ClassLabels {
        if case .list? = optional(attribute) {
            // One array of classes per output.
            throw EstimatorError(
                .unsupportedOption,
                className: qualifiedName,
                attribute: attribute,
                "multi-output models are not supported yet"
            )
        }
        let array = try array(attribute)
        let labels = try reading(attribute) { () throws(ArrayError) in try ClassLabels(array) }
        guard let labels else {
            throw error(attribute, "class labels of dtype \(array.dtype) are not supported")
        }
        if let invalid = labels.firstInvalidLabel {
            throw error(attribute, "label \(invalid) is NaN or appears twice")
        }
        return labels
    }

    /// `feature_names_in_`, when present.
    func featureNames() throws(EstimatorError) -> [String]? {
        guard optional("feature_names_in_") != nil else { return nil }
        let names = try array("feature_names_in_")
        return try reading("feature_names_in_") { () throws(ArrayError) in try names.strings() }
    }
}
