import Estimators

/// Encodes the answer to an infer request: one output tensor per output asked for, its
/// `data` flat in row-major order.
enum InferResponse {
    static func encode(_ computed: InferenceResult, id: String?) -> [UInt8] {
        let served = computed.served
        var writer = JSONWriter(capacity: 128 + computed.rowCount * 24)
        writer.beginObject()
        if let id {
            writer.key("id")
            writer.string(id)
        }
        writer.key("model_name")
        writer.string(served.name)
        writer.key("model_version")
        writer.string(served.version ?? "1")
        writer.key("outputs")
        writer.beginArray()
        for (output, result) in computed.outputs {
            writeTensor(output, result, rowCount: computed.rowCount, model: served.model, &writer)
        }
        writer.endArray()
        writer.endObject()
        return writer.finish()
    }

    static func writeTensor(
        _ output: ModelOutput,
        _ result: ModelResult,
        rowCount: Int,
        model: Model,
        _ writer: inout JSONWriter
    ) {
        writer.beginObject()
        writer.key("name")
        writer.string(output.rawValue)
        writer.key("shape")
        writer.beginArray()
        for dimension in shape(of: result, rowCount: rowCount) { writer.integer(Int64(dimension)) }
        writer.endArray()
        writer.key("datatype")
        writer.string(datatype(of: result, model: model).rawValue)
        let nonFiniteBefore = writer.nonFiniteCount
        writer.key("data")
        writer.beginArray()
        writeData(result, &writer)
        writer.endArray()
        let hasNonFinite = writer.nonFiniteCount > nonFiniteBefore
        let classes = output == .predictProba ? model.classes : nil
        let classesPerOutput = output == .predictProba ? model.classesPerOutput : nil
        if hasNonFinite || classes != nil || classesPerOutput != nil {
            writer.key("parameters")
            writer.beginObject()
            if let classes {
                writer.key("classes")
                writer.beginArray()
                writeLabels(classes, &writer)
                writer.endArray()
            } else if let classesPerOutput {
                writer.key("classes")
                writer.beginArray()
                for labels in classesPerOutput {
                    writer.beginArray()
                    writeLabels(labels, &writer)
                    writer.endArray()
                }
                writer.endArray()
            }
            if hasNonFinite {
                // JSON has no NaN or infinity: they are written as null, and said so.
                writer.key("non_finite")
                writer.bool(true)
            }
            writer.endObject()
        }
        writer.endObject()
    }

    /// The tensor's shape: `[N]` for a value per row, `[N, C]` for a row of values per
    /// row. Multi-output probabilities put each output's columns after the previous
    /// output's: `[N, C1 + C2 + …]`.
    static func shape(of result: ModelResult, rowCount: Int) -> [Int] {
        switch result {
        case .labels, .numbers: [rowCount]
        case .matrix(let matrix): [matrix.rows, matrix.columns]
        case .labelColumns(let columns): [rowCount, columns.count]
        case .matrices(let matrices): [rowCount, matrices.reduce(0) { $0 + $1.columns }]
        }
    }

    /// Labels in the dtype of the model's `classes_`; every number else is FP64.
    static func datatype(of result: ModelResult, model: Model) -> TensorDataType {
        switch result {
        case .labels(let labels):
            TensorDataType(model.labelDataType ?? LabelDataType(labels))
        case .labelColumns(let columns):
            TensorDataType(model.labelDataType ?? columns.first.map(LabelDataType.init) ?? .int64)
        case .numbers, .matrix, .matrices: .fp64
        }
    }

    static func writeData(_ result: ModelResult, _ writer: inout JSONWriter) {
        switch result {
        case .labels(let labels):
            writeLabels(labels, &writer)
        case .numbers(let values):
            for value in values { writer.double(value) }
        case .matrix(let matrix):
            for value in matrix.values { writer.double(value) }
        case .labelColumns(let columns):
            let rows = columns.first?.count ?? 0
            for row in 0..<rows {
                for labels in columns { writeLabel(labels, at: row, &writer) }
            }
        case .matrices(let matrices):
            let rows = matrices.first?.rows ?? 0
            for row in 0..<rows {
                for matrix in matrices {
                    for value in matrix.row(row) { writer.double(value) }
                }
            }
        }
    }

    static func writeLabels(_ labels: ClassLabels, _ writer: inout JSONWriter) {
        switch labels {
        case .integers(let values): for value in values { writer.integer(value) }
        case .unsignedIntegers(let values): for value in values { writer.unsignedInteger(value) }
        case .strings(let values): for value in values { writer.string(value) }
        case .floats(let values): for value in values { writer.double(value) }
        case .booleans(let values): for value in values { writer.bool(value) }
        }
    }

    static func writeLabel(_ labels: ClassLabels, at index: Int, _ writer: inout JSONWriter) {
        switch labels {
        case .integers(let values): writer.integer(values[index])
        case .unsignedIntegers(let values): writer.unsignedInteger(values[index])
        case .strings(let values): writer.string(values[index])
        case .floats(let values): writer.double(values[index])
        case .booleans(let values): writer.bool(values[index])
        }
    }
}
