import Arrays
import Pickle

extension FittedObject {
    /// A 2-D float attribute (`theta_`, `feature_log_prob_`, `means_`) as a matrix with at
    /// least one row and one column.
    func floatMatrix(_ attribute: String) throws(EstimatorError) -> Matrix {
        let array = try array(attribute)
        return try matrix(array, attribute: attribute)
    }

    /// A list of 2-D float arrays (`CategoricalNB.feature_log_prob_`, QDA's
    /// `rotations_`), each as a matrix.
    func floatMatrices(_ attribute: String) throws(EstimatorError) -> [Matrix] {
        try arrays(attribute).map { array throws(EstimatorError) in
            try matrix(array, attribute: attribute)
        }
    }

    /// A list of numpy arrays, or a numpy object array of them (how QDA pickles
    /// `scalings_` and `rotations_` in some versions).
    func arrays(_ attribute: String) throws(EstimatorError) -> [NDArray] {
        let raw = try value(attribute)
        let items: [PickleValue]
        if case .list(let list) = raw {
            items = list.items
        } else {
            let outer = try array(attribute)
            guard outer.dtype.kind == .object else {
                throw error(attribute, "expected a list of arrays, found a \(outer.dtype) array")
            }
            items = try reading(attribute) { () throws(ArrayError) in try outer.objects() }
        }
        return try items.map { item throws(EstimatorError) in
            let array = try reading(attribute) { () throws(ArrayError) in
                try ArrayDecoder.array(item)
            }
            guard let array else {
                throw error(attribute, "expected a list of arrays, found \(item.kindName)")
            }
            return array
        }
    }

    /// Refuses float32 attributes: from scikit-learn 1.8 some estimators fitted on float32
    /// rows keep them, and numpy then computes part of `predict` in float32.
    func requireFloat64(_ attributes: [String]) throws(EstimatorError) {
        for attribute in attributes {
            let array = try array(attribute)
            try requireFloat64(array, attribute: attribute)
        }
    }

    func requireFloat64(_ array: NDArray, attribute: String) throws(EstimatorError) {
        guard array.dtype.kind == .float, array.dtype.itemSize == 4 else { return }
        throw unsupported(
            attribute,
            "is float32 (the model was fitted on float32 rows); only float64 is supported"
        )
    }

    private func matrix(_ array: NDArray, attribute: String) throws(EstimatorError) -> Matrix {
        guard array.shape.count == 2, array.shape[0] > 0, array.shape[1] > 0 else {
            throw error(attribute, "expected a non-empty 2-D array, found shape \(array.shape)")
        }
        let values = try reading(attribute) { () throws(ArrayError) in try array.doubles() }
        return Matrix(rows: array.shape[0], columns: array.shape[1], values: values)
    }
}
