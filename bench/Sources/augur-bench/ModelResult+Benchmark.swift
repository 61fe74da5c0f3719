import Estimators
import Serving

extension ModelResult {
    /// The sum of every number in the output, labels read as numbers (a string label counts
    /// its UTF-8 bytes, a boolean 1 or 0). bench/inprocess sums its engines' predictions the
    /// same way, as a first check that the engines agree.
    var checksum: Double {
        switch self {
        case .labels(let labels): labels.checksum
        case .numbers(let numbers): numbers.reduce(0, +)
        case .matrix(let matrix): matrix.values.reduce(0, +)
        case .labelColumns(let columns): columns.reduce(0) { $0 + $1.checksum }
        case .matrices(let matrices): matrices.reduce(0) { $0 + $1.values.reduce(0, +) }
        }
    }

    /// One number standing for the output, cheap enough to take after every timed call, so
    /// the optimiser cannot drop a call whose result is never read.
    var firstNumber: Double {
        switch self {
        case .labels(let labels): labels.checksumOfFirst
        case .numbers(let numbers): numbers.first ?? 0
        case .matrix(let matrix): matrix.values.first ?? 0
        case .labelColumns(let columns): columns.first?.checksumOfFirst ?? 0
        case .matrices(let matrices): matrices.first?.values.first ?? 0
        }
    }

    /// Writes the output as JSON: a list with one entry per row (a list of numbers for
    /// matrices); multi-output results as a list of such lists.
    func write(to writer: inout JSONWriter) {
        switch self {
        case .labels(let labels):
            labels.write(to: &writer)
        case .numbers(let numbers):
            writer.beginArray()
            for number in numbers { writer.double(number) }
            writer.endArray()
        case .matrix(let matrix):
            matrix.write(to: &writer)
        case .labelColumns(let columns):
            writer.beginArray()
            for column in columns { column.write(to: &writer) }
            writer.endArray()
        case .matrices(let matrices):
            writer.beginArray()
            for matrix in matrices { matrix.write(to: &writer) }
            writer.endArray()
        }
    }
}

extension ClassLabels {
    fileprivate var checksum: Double {
        switch self {
        case .integers(let labels): labels.reduce(0) { $0 + Double($1) }
        case .unsignedIntegers(let labels): labels.reduce(0) { $0 + Double($1) }
        case .strings(let labels): labels.reduce(0) { $0 + Double($1.utf8.count) }
        case .floats(let labels): labels.reduce(0, +)
        case .booleans(let labels): Double(labels.filter { $0 }.count)
        }
    }

    fileprivate var checksumOfFirst: Double {
        switch self {
        case .integers(let labels): labels.first.map(Double.init) ?? 0
        case .unsignedIntegers(let labels): labels.first.map(Double.init) ?? 0
        case .strings(let labels): labels.first.map { Double($0.utf8.count) } ?? 0
        case .floats(let labels): labels.first ?? 0
        case .booleans(let labels): labels.first == true ? 1 : 0
        }
    }

    fileprivate func write(to writer: inout JSONWriter) {
        writer.beginArray()
        switch self {
        case .integers(let labels): for label in labels { writer.integer(label) }
        case .unsignedIntegers(let labels): for label in labels { writer.unsignedInteger(label) }
        case .strings(let labels): for label in labels { writer.string(label) }
        case .floats(let labels): for label in labels { writer.double(label) }
        case .booleans(let labels): for label in labels { writer.bool(label) }
        }
        writer.endArray()
    }
}

extension Matrix {
    fileprivate func write(to writer: inout JSONWriter) {
        writer.beginArray()
        for index in 0..<rows {
            writer.beginArray()
            for value in row(index) { writer.double(value) }
            writer.endArray()
        }
        writer.endArray()
    }
}
