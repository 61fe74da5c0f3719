import Arrays
import Pickle

/// One column's fitted categories (an entry of `categories_`), looked up as numpy compares
/// values: strings by their code points (so canonically equivalent strings stay distinct),
/// numbers by value (so `1` and `1.0`, `0.0` and `-0.0` are one category), and a missing
/// value (NaN or None) only with a missing-value category.
struct Categories: Sendable {
    /// Whether the categories are strings (the column takes text) or numbers.
    let holdsText: Bool
    let count: Int
    /// Category index by text, compared by code points.
    private let textIndex: [CodePoints: Int]
    private let numberIndex: [Double: Int]
    /// The index of the missing-value category (numpy sorts it last), if fitting saw one.
    let missingIndex: Int?

    /// Reads one array of `categories_`.
    init(_ value: PickleValue, owner: FittedObject) throws(EstimatorError) {
        let attribute = "categories_"
        let array: NDArray
        do {
            guard let decoded = try ArrayDecoder.array(value) else {
                throw owner.error(attribute, "expected numpy arrays, found \(value.kindName)")
            }
            array = decoded
        } catch let error as ArrayError {
            throw owner.error(attribute, error.message)
        } catch let error as EstimatorError {
            throw error
        } catch {
            throw owner.error(attribute, "\(error)")
        }
        var texts: [CodePoints: Int] = [:]
        var numbers: [Double: Int] = [:]
        var missing: Int?
        var sawText = false
        var sawNumber = false
        func add(_ index: Int, text: String?, number: Double?) throws(EstimatorError) {
            if let text {
                sawText = true
                guard texts.updateValue(index, forKey: CodePoints(text)) == nil else {
                    throw owner.error(attribute, "category \"\(text)\" appears twice")
                }
            } else if let number, !number.isNaN {
                sawNumber = true
                guard numbers.updateValue(index, forKey: number) == nil else {
                    throw owner.error(attribute, "category \(number) appears twice")
                }
            } else {
                guard missing == nil else {
                    throw owner.error(attribute, "two missing-value categories")
                }
                missing = index
            }
        }
        let items: [PickleValue]
        switch array.dtype.kind {
        case .float, .signedInteger, .unsignedInteger, .boolean:
            let values = try owner.reading(attribute) { () throws(ArrayError) in
                try array.doubles()
            }
            for (index, number) in values.enumerated() {
                try add(index, text: nil, number: number)
            }
            items = []
        case .unicode:
            let values = try owner.reading(attribute) { () throws(ArrayError) in
                try array.strings()
            }
            for (index, text) in values.enumerated() { try add(index, text: text, number: nil) }
            items = []
        case .object:
            items = try owner.reading(attribute) { () throws(ArrayError) in try array.objects() }
        default:
            throw owner.error(attribute, "categories of dtype \(array.dtype) are not supported")
        }
        for (index, item) in items.enumerated() {
            switch item {
            case .string(let text): try add(index, text: text, number: nil)
            case .none: try add(index, text: nil, number: nil)
            default:
                let number = try owner.reading(attribute) { () throws(ArrayError) in
                    try ArrayDecoder.number(item)
                }
                guard let number else {
                    throw owner.error(attribute, "category of type \(item.kindName)")
                }
                try add(index, text: nil, number: number)
            }
        }
        guard !(sawText && sawNumber) else {
            throw owner.error(attribute, "a column mixes string and number categories")
        }
        guard array.count > 0 else { throw owner.error(attribute, "a column has no categories") }
        holdsText = sawText
        count = array.count
        textIndex = texts
        numberIndex = numbers
        missingIndex = missing
    }

    /// The index of the category in the cell, nil when it is unknown. A number in a text
    /// column and text in a number column are unknown, as numpy finds them unequal.
    func index(of input: Matrix, row: Int, column: Int) -> Int? {
        if let text = input.text(row: row, column: column) {
            return textIndex[CodePoints(text)]
        }
        let value = input[row, column]
        if value.isNaN { return missingIndex }
        return numberIndex[value]
    }

    /// The cell as a message shows it.
    static func describe(_ input: Matrix, row: Int, column: Int) -> String {
        if let text = input.text(row: row, column: column) { return "\"\(text)\"" }
        let value = input[row, column]
        return value.isNaN ? "a missing value" : "\(value)"
    }
}

/// A string that equals another only when their code points do, as numpy compares
/// strings (Swift's `==` would also equate canonically equivalent ones). Hashes and
/// compares the UTF-8 bytes in place, so a lookup allocates nothing.
struct CodePoints: Hashable, Sendable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (left: CodePoints, right: CodePoints) -> Bool {
        var left = left.text
        var right = right.text
        return left.withUTF8 { left in right.withUTF8 { left.elementsEqual($0) } }
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// What `OneHotEncoder`, `OrdinalEncoder` and `TargetEncoder` share: the fitted
/// categories of each column, the grouping of infrequent categories, and the unknown rule
/// of scikit-learn's `_BaseEncoder._transform`.
struct CategoryCodes: Sendable {
    let className: String
    let columns: [Categories]
    let featureNames: [String]?
    /// `handle_unknown`: `error`, `ignore`, `infrequent_if_exist`, `warn` or
    /// `use_encoded_value`.
    let handleUnknown: String
    /// Per column, when infrequent categories were grouped: the first infrequent index
    /// (where unknown values go) and the map from category index to grouped code.
    let grouping: [(firstInfrequent: Int, codes: [Int])?]
    /// Per column, a category index the grouping leaves alone (OrdinalEncoder's missing
    /// value category, `_missing_indices`).
    let ungrouped: [Int?]
    /// The columns whose categories are strings (composites ask on every request).
    let textColumns: Set<Int>

    init(_ object: FittedObject, handleUnknown: String, ungrouped: [Int: Int] = [:])
        throws(EstimatorError)
    {
        className = object.className
        self.handleUnknown = handleUnknown
        guard case .list(let list) = try object.value("categories_"), !list.items.isEmpty else {
            throw object.error("categories_", "expected a non-empty list of arrays")
        }
        var columns: [Categories] = []
        for item in list.items { columns.append(try Categories(item, owner: object)) }
        self.columns = columns
        textColumns = Set(columns.indices.filter { columns[$0].holdsText })
        let width = try object.integer("n_features_in_")
        guard width == columns.count else {
            throw object.error("categories_", "\(columns.count) columns for \(width) features")
        }
        featureNames = try object.featureNames()
        self.ungrouped = (0..<width).map { ungrouped[$0] }
        for (column, index) in ungrouped {
            guard column >= 0, column < width, index == columns[column].count - 1 else {
                throw object.error("_missing_indices", "index \(index) of column \(column)")
            }
        }
        grouping = try Self.readGrouping(object, columns: columns, ungrouped: self.ungrouped)
    }

    /// `_infrequent_indices` and `_default_to_infrequent_mappings` when
    /// `_infrequent_enabled`; every mapping must send each category to a code below the
    /// grouped count.
    private static func readGrouping(
        _ object: FittedObject,
        columns: [Categories],
        ungrouped: [Int?]
    ) throws(EstimatorError) -> [(firstInfrequent: Int, codes: [Int])?] {
        let none = [(firstInfrequent: Int, codes: [Int])?](repeating: nil, count: columns.count)
        guard object.boolean("_infrequent_enabled", default: false) else { return none }
        guard case .list(let indices) = try object.value("_infrequent_indices"),
            case .list(let mappings) = try object.value("_default_to_infrequent_mappings"),
            indices.items.count == columns.count, mappings.items.count == columns.count
        else {
            throw object.error("_infrequent_indices", "expected one entry per column")
        }
        var result = none
        for column in columns.indices {
            if case .none = indices.items[column] { continue }
            let counted = columns[column].count - (ungrouped[column] == nil ? 0 : 1)
            let infrequent = try integers(indices.items[column], object, "_infrequent_indices")
            let codes = try integers(
                mappings.items[column],
                object,
                "_default_to_infrequent_mappings"
            )
            guard let first = infrequent.first, first >= 0, first < counted,
                codes.count == counted, codes.allSatisfy({ $0 >= 0 && $0 < counted })
            else {
                throw object.error(
                    "_default_to_infrequent_mappings",
                    "does not fit the \(counted) categories of column \(column)"
                )
            }
            result[column] = (first, codes)
        }
        return result
    }

    static func integers(_ value: PickleValue, _ object: FittedObject, _ attribute: String)
        throws(EstimatorError) -> [Int]
    {
        let values = try object.reading(attribute) { () throws(ArrayError) -> [Int64]? in
            try ArrayDecoder.array(value)?.integers()
        }
        guard let values else { throw object.error(attribute, "expected integer arrays") }
        return values.map { Int($0) }
    }

    var inputWidth: Int { columns.count }

    /// The number of codes a column's cells can take after grouping.
    func groupedCount(_ column: Int) -> Int {
        if let grouping = grouping[column] {
            return (grouping.codes.max() ?? 0) + 1 + (ungrouped[column] == nil ? 0 : 1)
        }
        return columns[column].count
    }

    /// The code of a cell and whether it counts as known, as `_transform` followed by
    /// `_map_infrequent_categories` returns them (`X_int`, `X_mask`); throws for an
    /// unknown category when `handle_unknown='error'`.
    func code(_ input: Matrix, row: Int, column: Int) throws(InputError) -> (Int, Bool) {
        var code = 0
        var known = true
        if let index = columns[column].index(of: input, row: row, column: column) {
            code = index
        } else if handleUnknown == "error" {
            let name = featureNames.map { " in feature '\($0[column])'" } ?? ""
            // A missing value is not a category, so it is not called an unknown one.
            let cell = Categories.describe(input, row: row, column: column)
            let subject =
                input[row, column].isNaN && input.text(row: row, column: column) == nil
                ? cell : "unknown category \(cell)"
            throw InputError(
                row: row,
                column: column,
                "\(subject)\(name), which \(className) refuses (handle_unknown='error')"
            )
        } else {
            known = false
        }
        guard let grouping = grouping[column] else { return (code, known) }
        if !known {
            code = grouping.firstInfrequent
            if handleUnknown == "infrequent_if_exist" || handleUnknown == "warn" { known = true }
        }
        if code != ungrouped[column] { code = grouping.codes[code] }
        return (code, known)
    }
}
