import Arrays
import Pickle

extension FittedObject {
    /// `classes_` of a model fitted on a 2-D `y`: a list with one array of labels per
    /// output. All outputs must share a label type, as scikit-learn writes `predict`'s
    /// labels into one array of the first output's dtype.
    func classLabelsPerOutput(_ attribute: String = "classes_") throws(EstimatorError)
        -> [ClassLabels]
    {
        guard case .list(let list) = try value(attribute), !list.items.isEmpty else {
            throw error(attribute, "expected a list of arrays, one per output")
        }
        var result: [ClassLabels] = []
        var widths: [Int] = []
        for item in list.items {
            let labels = try reading(attribute) { () throws(ArrayError) -> ClassLabels? in
                guard let array = try ArrayDecoder.array(item) else { return nil }
                widths.append(array.dtype.kind == .unicode ? array.dtype.itemSize : 0)
                return try ClassLabels(array)
            }
            guard let labels else {
                throw error(attribute, "an output's labels are not a supported numpy array")
            }
            if let invalid = labels.firstInvalidLabel {
                throw error(attribute, "label \(invalid) is NaN or appears twice")
            }
            result.append(labels)
        }
        guard result.allSatisfy({ $0.kind == result[0].kind }) else {
            throw EstimatorError(
                .unsupportedOption,
                className: qualifiedName,
                attribute: attribute,
                "outputs with labels of different types are not supported"
            )
        }
        // scikit-learn would cut longer fixed-width strings to the first output's width.
        guard widths.allSatisfy({ $0 <= widths[0] }) else {
            throw EstimatorError(
                .unsupportedOption,
                className: qualifiedName,
                attribute: attribute,
                "text labels longer than the first output's are not supported"
            )
        }
        return result
    }

    /// Whether `classes_` is a list (a model fitted on a 2-D `y`).
    var hasLabelsPerOutput: Bool {
        if case .list? = optional("classes_") { true } else { false }
    }

    /// The scikit-learn version that wrote the object.
    var sklearnVersion: ScikitLearnVersion { ScikitLearnVersion(string("_sklearn_version")) }

    /// Whether this fitted tree's `predict` takes NaN (`_support_missing_values`): from
    /// scikit-learn 1.3 for the best splitter with the classic criteria, without
    /// monotonic constraints from 1.4; from 1.6 for every decision tree, and for extra
    /// trees (the random splitter).
    var treeAcceptsMissing: Bool {
        let version = sklearnVersion
        if version < .init(1, 3) { return false }
        let random = string("splitter") == "random"
        if version >= .init(1, 6) {
            return className.hasPrefix("ExtraTree") ? random : true
        }
        if optional("monotonic_cst") != nil { return false }
        let criteria =
            className.hasSuffix("Classifier")
            ? ["gini", "log_loss", "entropy"] : ["squared_error", "friedman_mse", "poisson"]
        return !random && criteria.contains(string("criterion") ?? "")
    }
}

extension ClassLabels {
    /// The label type, to check that several outputs share one.
    var kind: Int {
        switch self {
        case .integers: 0
        case .unsignedIntegers: 1
        case .strings: 2
        case .floats: 3
        case .booleans: 4
        }
    }
}
