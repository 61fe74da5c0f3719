import Pickle

/// `sklearn.preprocessing.OrdinalEncoder`: each category's index (after grouping
/// infrequent ones), `encoded_missing_value` for the missing-value category and
/// `unknown_value` for unknown ones when `handle_unknown='use_encoded_value'`.
struct OrdinalEncoder: Transformer {
    let codes: CategoryCodes
    let unknownValue: Double?
    let missingValue: Double
    /// Whether the output is float32 (`dtype=np.float32`), so values are rounded to it.
    let roundsToFloat32: Bool

    var inputWidth: Int { codes.inputWidth }
    var outputWidth: Int { codes.inputWidth }
    var textColumns: Set<Int> { codes.textColumns }
    var acceptsMissing: Bool { true }

    init(_ object: FittedObject) throws(EstimatorError) {
        let rule = object.string("handle_unknown") ?? "error"
        switch rule {
        case "error": unknownValue = nil
        case "use_encoded_value": unknownValue = try Self.numberOrNaN(object, "unknown_value")
        default:
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "handle_unknown",
                "handle_unknown='\(rule)' is not supported"
            )
        }
        missingValue =
            object.attributes["encoded_missing_value"] == nil
            ? .nan : try Self.numberOrNaN(object, "encoded_missing_value")
        var missing: [Int: Int] = [:]
        if case .dict(let dict)? = object.optional("_missing_indices") {
            for entry in dict.entries {
                guard case .int(let column) = entry.key, case .int(let index) = entry.value else {
                    throw object.error("_missing_indices", "expected integer keys and values")
                }
                missing[Int(column)] = Int(index)
            }
        }
        codes = try CategoryCodes(object, handleUnknown: rule, ungrouped: missing)
        switch object.optional("dtype") {
        case .global(_, let name)?: roundsToFloat32 = name == "float32"
        default: roundsToFloat32 = false
        }
    }

    /// A number option that may be `np.nan` or `None` (read as NaN).
    private static func numberOrNaN(_ object: FittedObject, _ attribute: String)
        throws(EstimatorError) -> Double
    {
        object.optional(attribute) == nil ? .nan : try object.number(attribute)
    }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        var output = Matrix(rows: input.rows, columns: outputWidth)
        for row in 0..<input.rows {
            for column in 0..<input.columns {
                let (code, known) = try codes.code(input, row: row, column: column)
                var value = Double(code)
                if code == codes.ungrouped[column] { value = missingValue }
                if !known, let unknownValue { value = unknownValue }
                output[row, column] = roundsToFloat32 ? Double(Float(value)) : value
            }
        }
        return output
    }
}
