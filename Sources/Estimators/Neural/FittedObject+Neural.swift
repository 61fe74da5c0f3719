import Arrays
import Pickle

extension FittedObject {
    /// A Python list of numpy arrays (`coefs_`, `intercepts_`), each read as its shape and
    /// its values as doubles.
    func arrayList(_ attribute: String) throws(EstimatorError) -> [(
        shape: [Int], values: [Double]
    )] {
        guard case .list(let list) = try value(attribute), !list.items.isEmpty else {
            throw error(attribute, "expected a non-empty list of arrays")
        }
        var arrays: [(shape: [Int], values: [Double])] = []
        for item in list.items {
            let array = try reading(attribute) { () throws(ArrayError) in
                try ArrayDecoder.array(item)
            }
            guard let array else {
                throw error(attribute, "expected a list of numpy arrays, found \(item.kindName)")
            }
            let values = try reading(attribute) { () throws(ArrayError) in try array.doubles() }
            arrays.append((array.shape, values))
        }
        return arrays
    }
}
