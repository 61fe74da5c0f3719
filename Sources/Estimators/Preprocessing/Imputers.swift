import Arrays

/// Which cells count as missing: NaN, or cells equal to a number (`missing_values`).
struct MissingMarker: Sendable {
    /// nil when the marker is NaN.
    let value: Double?

    init(_ object: FittedObject) throws(EstimatorError) {
        switch object.optional("missing_values") {
        case .float(let number)? where number.isNaN: value = nil
        case nil: value = nil
        default:
            let number = try object.number("missing_values")
            value = number.isNaN ? nil : number
        }
    }

    /// With a number as the marker, scikit-learn refuses NaN.
    var acceptsNaN: Bool { value == nil }

    func isMissing(_ cell: Double) -> Bool {
        if let value { cell == value } else { cell.isNaN }
    }
}

/// `sklearn.impute.MissingIndicator`: a 0/1 column per tracked feature (`features_`),
/// 1 where the cell is missing. scikit-learn returns booleans; they serve as 0 and 1.
struct MissingIndicator: Transformer {
    let marker: MissingMarker
    /// The input columns reported, in order.
    let tracked: [Int]
    /// With `features='missing-only'` and `error_on_new`, a row missing a value in a column
    /// that had none at fit time is refused.
    let refusesNewMissing: Bool
    let inputWidth: Int

    var outputWidth: Int { tracked.count }
    var acceptsMissing: Bool { marker.acceptsNaN }

    init(_ object: FittedObject, inputWidth: Int? = nil) throws(EstimatorError) {
        let width: Int
        if let inputWidth { width = inputWidth } else { width = try object.integer("_n_features") }
        guard width > 0 else { throw object.error("_n_features", "expected a positive count") }
        self.inputWidth = width
        marker = try MissingMarker(object)
        let features = try object.doubles("features_").map { Int($0) }
        guard features.allSatisfy({ (0..<width).contains($0) }) else {
            throw object.error("features_", "holds a column outside 0..<\(width)")
        }
        let missingOnly = object.string("features") != "all"
        tracked = missingOnly ? features : Array(0..<width)
        refusesNewMissing = missingOnly && object.boolean("error_on_new", default: true)
    }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        if refusesNewMissing {
            let untracked = Set(0..<inputWidth).subtracting(tracked)
            for row in 0..<input.rows {
                for column in untracked.sorted() where marker.isMissing(input[row, column]) {
                    throw InputError(
                        row: row,
                        column: column,
                        "missing value in a feature that had none when MissingIndicator was "
                            + "fitted (error_on_new=True)"
                    )
                }
            }
        }
        var output = Matrix(rows: input.rows, columns: tracked.count)
        for row in 0..<input.rows {
            for (index, column) in tracked.enumerated() {
                output[row, index] = marker.isMissing(input[row, column]) ? 1 : 0
            }
        }
        return output
    }
}

/// `sklearn.impute.SimpleImputer` on numbers: missing cells take the column's fitted
/// statistic; columns whose statistic is NaN (never observed) are dropped unless
/// `keep_empty_features` or `strategy='constant'`; `add_indicator` appends
/// ``MissingIndicator``'s columns.
struct SimpleImputer: Transformer {
    let marker: MissingMarker
    let statistics: [Double]
    /// The input columns kept, in order.
    let kept: [Int]
    let indicator: MissingIndicator?
    let inputWidth: Int

    var outputWidth: Int { kept.count + (indicator?.outputWidth ?? 0) }
    var acceptsMissing: Bool { marker.acceptsNaN }

    init(_ object: FittedObject) throws(EstimatorError) {
        inputWidth = try object.featureCount()
        marker = try MissingMarker(object)
        let statistics = try Self.statistics(object, count: inputWidth)
        self.statistics = statistics
        let keepsAll =
            object.string("strategy") == "constant"
            || object.boolean("keep_empty_features", default: false)
        kept = (0..<statistics.count).filter { keepsAll || !statistics[$0].isNaN }
        if object.boolean("add_indicator", default: false) {
            let nested = try object.nested("indicator_")
            indicator = try MissingIndicator(nested, inputWidth: inputWidth)
        } else {
            indicator = nil
        }
    }

    /// `statistics_`: floats, or (strategy 'constant' since 1.8) an object array of numbers.
    private static func statistics(_ object: FittedObject, count: Int) throws(EstimatorError)
        -> [Double]
    {
        let array = try object.array("statistics_")
        guard array.dtype.kind == .object else {
            return try object.doubles("statistics_", count: count)
        }
        let cells = try object.reading("statistics_") { () throws(ArrayError) in
            try array.objects()
        }
        var numbers: [Double] = []
        for cell in cells {
            let number = try object.reading("statistics_") { () throws(ArrayError) in
                try ArrayDecoder.number(cell)
            }
            guard let number else {
                throw object.unsupported("statistics_", "text categories are not supported yet")
            }
            numbers.append(number)
        }
        guard numbers.count == count else {
            throw object.error("statistics_", "expected \(count) values, found \(numbers.count)")
        }
        return numbers
    }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        let flags = try indicator?.transform(input)
        var output = Matrix(rows: input.rows, columns: outputWidth)
        for row in 0..<input.rows {
            for (index, column) in kept.enumerated() {
                let cell = input[row, column]
                output[row, index] = marker.isMissing(cell) ? statistics[column] : cell
            }
            if let flags {
                for index in 0..<flags.columns {
                    output[row, kept.count + index] = flags[row, index]
                }
            }
        }
        return output
    }
}
