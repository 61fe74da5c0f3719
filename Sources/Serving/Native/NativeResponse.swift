import Estimators

/// Encodes the answer to a native request: one key per output asked for.
enum NativeResponse {
    static func encode(_ computed: InferenceResult, isSingleRow: Bool) -> [UInt8] {
        let model = computed.served.model
        var writer = JSONWriter(capacity: 64 + computed.rowCount * 24)
        writer.beginObject()
        for (output, result) in computed.outputs {
            switch output {
            case .predict:
                writer.key(isSingleRow ? "prediction" : "predictions")
                write(result, single: isSingleRow, into: &writer)
            case .predictProba:
                writer.key("probabilities")
                write(result, single: false, into: &writer)
                if let classes = model.classes {
                    writer.key("classes")
                    write(classes, single: false, into: &writer)
                } else if let classes = model.classesPerOutput {
                    writer.key("classes")
                    writer.beginArray()
                    for labels in classes { write(labels, single: false, into: &writer) }
                    writer.endArray()
                }
            case .decisionFunction, .transform, .scoreSamples:
                writer.key(output.rawValue)
                write(result, single: false, into: &writer)
            }
        }
        if writer.nonFiniteCount > 0 {
            // JSON has no NaN or infinity: they are written as null, and said so.
            writer.key("non_finite")
            writer.bool(true)
        }
        writer.endObject()
        return writer.finish()
    }

    /// Writes a result as a list with one entry per row, or, for `single`, the one entry.
    static func write(_ result: ModelResult, single: Bool, into writer: inout JSONWriter) {
        switch result {
        case .labels(let labels):
            write(labels, single: single, into: &writer)
        case .numbers(let values):
            if single, let value = values.first {
                writer.double(value)
            } else {
                writer.beginArray()
                for value in values { writer.double(value) }
                writer.endArray()
            }
        case .matrix(let matrix):
            write(matrix, single: single, into: &writer)
        case .labelColumns(let columns):
            // A row of labels (one per output) for each input row.
            let rows = columns.first?.count ?? 0
            if !single { writer.beginArray() }
            for row in 0..<(single ? min(1, rows) : rows) {
                writer.beginArray()
                for labels in columns { write(labels.take([row]), single: true, into: &writer) }
                writer.endArray()
            }
            if !single { writer.endArray() }
        case .matrices(let matrices):
            // One entry per output, as scikit-learn's list of arrays.
            writer.beginArray()
            for matrix in matrices { write(matrix, single: false, into: &writer) }
            writer.endArray()
        }
    }

    static func write(_ matrix: Matrix, single: Bool, into writer: inout JSONWriter) {
        if !single { writer.beginArray() }
        for row in 0..<(single ? min(1, matrix.rows) : matrix.rows) {
            writer.beginArray()
            for value in matrix.row(row) { writer.double(value) }
            writer.endArray()
        }
        if !single { writer.endArray() }
    }

    static func write(_ labels: ClassLabels, single: Bool, into writer: inout JSONWriter) {
        if !single { writer.beginArray() }
        switch labels {
        case .integers(let values): for value in values { writer.integer(value) }
        case .unsignedIntegers(let values): for value in values { writer.unsignedInteger(value) }
        case .strings(let values): for value in values { writer.string(value) }
        case .floats(let values): for value in values { writer.double(value) }
        case .booleans(let values): for value in values { writer.bool(value) }
        }
        if !single { writer.endArray() }
    }
}
