import Arrays

/// `sklearn.preprocessing.TargetEncoder` (1.3+): each category's fitted target encoding
/// (`encodings_`), `target_mean_` for unknown categories; for a multiclass target, one
/// column per (feature, class) pair, feature-major.
struct TargetEncoder: Transformer {
    let codes: CategoryCodes
    /// `encodings_`: per output column, the encoding of each category of its feature.
    let encodings: [[Double]]
    /// `target_mean_`: one value, or one per class for a multiclass target.
    let targetMeans: [Double]

    var inputWidth: Int { codes.inputWidth }
    var outputWidth: Int { encodings.count }
    var textColumns: Set<Int> { codes.textColumns }
    var acceptsMissing: Bool { true }

    init(_ object: FittedObject) throws(EstimatorError) {
        codes = try CategoryCodes(object, handleUnknown: "ignore")
        let type = object.string("target_type_") ?? ""
        switch type {
        case "binary", "continuous": targetMeans = [try object.number("target_mean_")]
        case "multiclass": targetMeans = try object.doubles("target_mean_")
        default:
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                attribute: "target_type_",
                "target type '\(type)' is not supported"
            )
        }
        guard case .list(let list) = try object.value("encodings_"),
            list.items.count == codes.inputWidth * targetMeans.count
        else {
            throw object.error(
                "encodings_",
                "expected \(codes.inputWidth * targetMeans.count) arrays, one per feature and class"
            )
        }
        var encodings: [[Double]] = []
        for (index, item) in list.items.enumerated() {
            let values = try object.reading("encodings_") { () throws(ArrayError) in
                try ArrayDecoder.array(item)?.doubles()
            }
            let categories = codes.columns[index / targetMeans.count].count
            guard let values, values.count == categories else {
                throw object.error("encodings_", "entry \(index) does not fit its categories")
            }
            encodings.append(values)
        }
        self.encodings = encodings
    }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        let classes = targetMeans.count
        var output = Matrix(rows: input.rows, columns: outputWidth)
        for row in 0..<input.rows {
            for column in 0..<input.columns {
                let (code, known) = try codes.code(input, row: row, column: column)
                for target in 0..<classes {
                    let index = column * classes + target
                    output[row, index] = known ? encodings[index][code] : targetMeans[target]
                }
            }
        }
        return output
    }
}
