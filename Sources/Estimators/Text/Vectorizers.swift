import Arrays
import Pickle

/// `CountVectorizer`, `TfidfVectorizer` and `HashingVectorizer`: one text document per row
/// (input column 0) to a row of term counts, TF-IDF weights or hashed counts. Rows are
/// built sparse; ``transform(_:)`` writes them out dense for steps that need that.
struct TextVectorizer: SparseRowsSource {
    /// How a term becomes a column.
    enum Columns: Sendable {
        /// `vocabulary_`: a term's column, by its UTF-8 bytes; other terms are dropped.
        case vocabulary([[UInt8]: Int])
        /// `HashingVectorizer`: the signed MurmurHash3 of the term, modulo `n_features`,
        /// counted -1 for a negative hash with `alternate_sign`.
        case hashing(alternateSign: Bool)
    }

    let className: String
    let analyzer: TextAnalyzer
    let columns: Columns
    let outputWidth: Int
    /// `binary`: every present term counts 1.
    let binary: Bool
    /// The TF-IDF step of `TfidfVectorizer`.
    let weighting: TfidfWeighting?
    /// `HashingVectorizer`'s `norm`.
    let norm: RowNorm?
    /// `HashingVectorizer` with `dtype=np.float32`: the norm divides in float32.
    let singlePrecision: Bool

    var inputWidth: Int { 1 }
    var textColumns: Set<Int> { [0] }
    /// A text cell reads as NaN in the request matrix; a real missing value is refused
    /// row by row in ``sparseRows(_:)``, as scikit-learn refuses `np.nan` as a document.
    var acceptsMissing: Bool { true }

    static func counting(_ object: FittedObject, tfidf: Bool) throws(EstimatorError) -> Self {
        let vocabulary = try Self.vocabulary(object)
        var weighting: TfidfWeighting?
        if tfidf {
            weighting = try TfidfWeighting(
                try object.nested("_tfidf"),
                width: vocabulary.count,
                singlePrecision: try isSinglePrecision(object)
            )
            if let weighting, weighting.singlePrecision, weighting.sublinear {
                throw object.unsupported(
                    "dtype",
                    "float32 with sublinear_tf is not served: numpy's float32 log may differ "
                        + "from a correctly rounded one in the last bit; use float64"
                )
            }
        } else {
            try requireServedCountType(object)
        }
        return TextVectorizer(
            className: object.className,
            analyzer: try TextAnalyzer(object),
            columns: .vocabulary(vocabulary),
            outputWidth: vocabulary.count,
            binary: object.boolean("binary", default: false),
            weighting: weighting,
            norm: nil,
            singlePrecision: false
        )
    }

    static func hashing(_ object: FittedObject) throws(EstimatorError) -> Self {
        let width = try object.integer("n_features")
        guard width >= 1, width <= Int(Int32.max) else {
            throw object.error("n_features", "expected 1 to 2^31 - 1 features, found \(width)")
        }
        let singlePrecision = try isSinglePrecision(object)
        return TextVectorizer(
            className: object.className,
            analyzer: try TextAnalyzer(object),
            columns: .hashing(alternateSign: object.boolean("alternate_sign", default: true)),
            outputWidth: width,
            binary: object.boolean("binary", default: false),
            weighting: nil,
            norm: try RowNorm.read(object),
            singlePrecision: singlePrecision
        )
    }

    /// `vocabulary_`: every column from 0 to its size once, as scikit-learn checks it.
    private static func vocabulary(_ object: FittedObject) throws(EstimatorError)
        -> [[UInt8]: Int]
    {
        guard case .dict(let dict) = try object.value("vocabulary_") else {
            throw object.error("vocabulary_", "expected a dict of terms to columns")
        }
        var vocabulary: [[UInt8]: Int] = [:]
        vocabulary.reserveCapacity(dict.entries.count)
        var seen = [Bool](repeating: false, count: dict.entries.count)
        for (key, value) in dict.entries {
            guard case .string(let term) = key else {
                throw object.error("vocabulary_", "expected string terms, found \(key.kindName)")
            }
            let number: Double?
            do {
                number = try ArrayDecoder.number(value)
            } catch {
                throw object.error("vocabulary_", error.message)
            }
            guard let number, let column = Int(exactly: number), seen.indices.contains(column),
                !seen[column]
            else {
                throw object.error(
                    "vocabulary_",
                    "term '\(term)' has a column outside 0..<\(seen.count) or a repeated one"
                )
            }
            seen[column] = true
            vocabulary[Array(term.utf8)] = column
        }
        guard !vocabulary.isEmpty, vocabulary.count == seen.count else {
            throw object.error("vocabulary_", "is empty or repeats a term")
        }
        return vocabulary
    }

    /// Counts are whole numbers, exact in any of these types.
    private static func requireServedCountType(_ object: FittedObject) throws(EstimatorError) {
        let name = dtypeName(object)
        guard ["int64", "int32", "float64", "float32", "intc", "int_", "double"].contains(name)
        else {
            throw object.unsupported(
                "dtype",
                "\(name) is not served; int64, int32, float64 and float32 are"
            )
        }
    }

    /// Whether weights and norms are float32 (`dtype=np.float32`) rather than float64.
    private static func isSinglePrecision(_ object: FittedObject) throws(EstimatorError) -> Bool {
        switch dtypeName(object) {
        case "float64", "double", "float_": return false
        case "float32", "single": return true
        case let name:
            throw object.unsupported("dtype", "\(name) is not served; float64 and float32 are")
        }
    }

    /// `dtype` as the parameter holds it, a numpy scalar type (`numpy.int64`).
    private static func dtypeName(_ object: FittedObject) -> String {
        switch object.optional("dtype") {
        case nil: return "float64"
        case .global(_, let name)?: return name
        case let value?: return value.kindName
        }
    }

    func sparseRows(_ input: Matrix) throws(InputError) -> SparseRows {
        var result = SparseRows(columns: outputWidth)
        var counts: [Int: Double] = [:]
        for row in 0..<input.rows {
            guard let document = input.text(row: row, column: 0) else {
                throw InputError(
                    row: row,
                    column: 0,
                    (input[row, 0].isNaN ? "a missing value" : "a number")
                        + " is not a document; \(className) takes one string per row"
                )
            }
            counts.removeAll(keepingCapacity: true)
            switch columns {
            case .vocabulary(let vocabulary):
                analyzer.forEachTerm(document) { term in
                    if let column = vocabulary[term] { counts[column, default: 0] += 1 }
                }
            case .hashing(let alternateSign):
                analyzer.forEachTerm(document) { term in
                    let hash = MurmurHash3.signed32(term)
                    let column =
                        hash == .min
                        ? (Int(Int32.max) - (outputWidth - 1)) % outputWidth
                        : Int(hash.magnitude) % outputWidth
                    // A term that cancels another still leaves its column stored (scipy's
                    // sum_duplicates keeps a zero sum), which `binary` then sets to 1.
                    counts[column, default: 0] += alternateSign && hash < 0 ? -1 : 1
                }
            }
            let entries = counts.sorted { $0.key < $1.key }.map {
                (column: $0.key, value: binary ? 1.0 : $0.value)
            }
            result.appendRow(entries)
        }
        try weighting?.apply(&result)
        if let norm { result.normalize(norm, singlePrecision: singlePrecision) }
        return result
    }
}

/// `TfidfTransformer` as fitted: `sublinear_tf`, `idf_` (with `use_idf`) and `norm`.
struct TfidfWeighting: Sendable {
    let sublinear: Bool
    /// One weight per column; nil without `use_idf`.
    let idf: [Double]?
    let norm: RowNorm?
    /// A vectorizer's `dtype=np.float32`: each weight is a float32 product, and the norm
    /// divides in float32, as scipy and scikit-learn's kernels do for float32 data.
    let singlePrecision: Bool

    /// Reads a fitted `TfidfTransformer`; `width` is the number of columns it must weigh,
    /// when the caller knows it.
    init(_ object: FittedObject, width: Int?, singlePrecision: Bool = false)
        throws(EstimatorError)
    {
        self.singlePrecision = singlePrecision
        sublinear = object.boolean("sublinear_tf", default: false)
        norm = try RowNorm.read(object)
        if object.optional("idf_") != nil {
            idf = try object.doubles("idf_", count: width)
        } else if object.optional("_idf_diag") != nil {
            idf = try Self.diagonal(object, width: width)
        } else if object.boolean("use_idf", default: true) {
            throw object.error("idf_", "missing; the model file may not be fitted")
        } else {
            idf = nil
        }
    }

    /// Before scikit-learn 1.5 the weights were kept as a diagonal scipy CSR matrix,
    /// `_idf_diag`; each row holds its one diagonal entry.
    private static func diagonal(_ object: FittedObject, width: Int?) throws(EstimatorError)
        -> [Double]
    {
        guard case .object(let matrix) = try object.value("_idf_diag"),
            let state = matrix.stateDict, let data = state["data"],
            let indices = state["indices"], let starts = state["indptr"]
        else {
            throw object.error("_idf_diag", "expected a scipy CSR matrix")
        }
        let values: [Double]
        let columns: [Double]
        let offsets: [Double]
        do {
            guard let dataArray = try ArrayDecoder.array(data),
                let indexArray = try ArrayDecoder.array(indices),
                let startArray = try ArrayDecoder.array(starts)
            else {
                throw object.error("_idf_diag", "expected numpy arrays in the CSR matrix")
            }
            values = try dataArray.doubles()
            columns = try indexArray.doubles()
            offsets = try startArray.doubles()
        } catch let error as EstimatorError {
            throw error
        } catch {
            throw object.error("_idf_diag", "\(error)")
        }
        let count = offsets.count - 1
        guard count >= 1, width == nil || width == count, values.count == count,
            columns.count == count
        else {
            throw object.error("_idf_diag", "is not a diagonal matrix of \(width ?? count) rows")
        }
        for row in 0..<count {
            guard offsets[row] == Double(row), columns[row] == Double(row) else {
                throw object.error("_idf_diag", "row \(row) is not a diagonal entry")
            }
        }
        return values
    }

    /// `transform` on CSR rows: `log(tf) + 1` for `sublinear_tf`, times the column's idf,
    /// then the row norm; only stored entries change, as scipy's `X.data` does. The norm
    /// refuses a NaN (the log of a negative count), as `normalize` checks its input.
    func apply(_ rows: inout SparseRows) throws(InputError) {
        if sublinear {
            for index in rows.values.indices { rows.values[index] = rows.values[index].log() + 1 }
        }
        if let idf {
            for index in rows.values.indices {
                let weight = idf[rows.columnIndices[index]]
                rows.values[index] =
                    singlePrecision
                    ? Double(Float(rows.values[index]) * Float(weight))
                    : rows.values[index] * weight
            }
        }
        guard let norm else { return }
        if let index = rows.values.firstIndex(where: { !$0.isFinite }) {
            let row = rows.rowStarts.lastIndex(where: { $0 <= index }) ?? 0
            throw InputError(
                row: row,
                column: rows.columnIndices[index],
                "TfidfTransformer's weighting turns this count into \(rows.values[index]) (the "
                    + "log of a negative count with sublinear_tf), which its norm refuses"
            )
        }
        rows.normalize(norm, singlePrecision: singlePrecision)
    }
}

/// `sklearn.feature_extraction.text.TfidfTransformer` on its own (after a `CountVectorizer`,
/// or on counts a request sends).
struct TfidfTransformerStep: SparseRowsTransformer {
    let weighting: TfidfWeighting
    let inputWidth: Int

    var outputWidth: Int { inputWidth }

    init(_ object: FittedObject) throws(EstimatorError) {
        let width = try object.featureCount()
        inputWidth = width
        weighting = try TfidfWeighting(object, width: width)
    }

    func transform(sparse rows: SparseRows) throws(InputError) -> SparseRows {
        var weighted = rows
        try weighting.apply(&weighted)
        return weighted
    }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        try transform(sparse: SparseRows(input)).dense()
    }
}
