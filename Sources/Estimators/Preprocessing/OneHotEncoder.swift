import Arrays
import Pickle

/// `sklearn.preprocessing.OneHotEncoder`: a 0/1 column per (grouped) category, sparse
/// output made dense. Unknown categories refuse the row, encode as zeros (`ignore`) or as
/// the infrequent category (`infrequent_if_exist`); `drop` removes one column per feature.
struct OneHotEncoder: Transformer {
    let codes: CategoryCodes
    /// Per column, the grouped code whose output column is dropped (`drop`).
    let dropped: [Int?]
    /// Per column, the first output column of its block.
    let offsets: [Int]
    let outputWidth: Int

    var inputWidth: Int { codes.inputWidth }
    var textColumns: Set<Int> { codes.textColumns }
    /// A missing value is a category like any other (unknown unless fitting saw one).
    var acceptsMissing: Bool { true }

    init(_ object: FittedObject) throws(EstimatorError) {
        let rule = object.string("handle_unknown") ?? "error"
        guard ["error", "ignore", "infrequent_if_exist", "warn"].contains(rule) else {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "handle_unknown",
                "handle_unknown='\(rule)' is not supported"
            )
        }
        codes = try CategoryCodes(object, handleUnknown: rule)
        // Since 1.3 the drop index after grouping is kept apart from `drop_idx_`, which
        // then names the category before grouping; 1.1 and 1.2 keep only the former.
        let dropAttribute =
            object.attributes["_drop_idx_after_grouping"] == nil
            ? "drop_idx_" : "_drop_idx_after_grouping"
        dropped = try Self.dropIndices(object, dropAttribute, width: codes.inputWidth)
        var offsets: [Int] = []
        var total = 0
        for column in 0..<codes.inputWidth {
            let grouped = codes.groupedCount(column)
            if let drop = dropped[column], drop < 0 || drop >= grouped {
                throw object.error(dropAttribute, "index \(drop) of column \(column)")
            }
            offsets.append(total)
            total += grouped - (dropped[column] == nil ? 0 : 1)
        }
        self.offsets = offsets
        outputWidth = total
        if case .list(let list)? = object.optional("_n_features_outs") {
            let recorded = try list.items.map { item throws(EstimatorError) in
                try object.reading("_n_features_outs") { () throws(ArrayError) in
                    try ArrayDecoder.number(item)
                } ?? -1
            }
            guard recorded.reduce(0, +) == Double(total), recorded.count == offsets.count
            else {
                throw object.error("_n_features_outs", "does not match the fitted categories")
            }
        }
    }

    /// `drop_idx_`: None, or one index (or None) per column.
    private static func dropIndices(_ object: FittedObject, _ attribute: String, width: Int)
        throws(EstimatorError) -> [Int?]
    {
        guard let value = object.optional(attribute) else {
            return [Int?](repeating: nil, count: width)
        }
        let items = try object.reading(attribute) { () throws(ArrayError) -> [PickleValue]? in
            guard let array = try ArrayDecoder.array(value) else { return nil }
            if array.dtype.kind == .object { return try array.objects() }
            return try array.integers().map { .int($0) }
        }
        guard let items, items.count == width else {
            throw object.error(attribute, "expected one index per column")
        }
        var result: [Int?] = []
        for item in items {
            if case .none = item {
                result.append(nil)
                continue
            }
            let number = try object.reading(attribute) { () throws(ArrayError) in
                try ArrayDecoder.number(item)
            }
            guard let number, let index = Int(exactly: number) else {
                throw object.error(attribute, "expected integer indices, found \(item.kindName)")
            }
            result.append(index)
        }
        return result
    }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        var output = Matrix(rows: input.rows, columns: outputWidth)
        for row in 0..<input.rows {
            for column in 0..<input.columns {
                var (code, known) = try codes.code(input, row: row, column: column)
                if let drop = dropped[column] {
                    if code == drop { known = false }
                    if code > drop { code -= 1 }
                }
                if known { output[row, offsets[column] + code] = 1 }
            }
        }
        return output
    }
}
