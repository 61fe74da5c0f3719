import Estimators

/// Encodes the answer to a native request: one key per output asked for.
enum NativeResponse {
    static func encode(_ request: NativeRequest, model: Model) -> [UInt8] {
        var writer = JSONWriter(capacity: 64 + request.rows.rows * 24)
        writer.beginObject()
        for output in request.outputs {
            switch (output, model.estimator) {
            case (.predict, .classifier(let classifier)):
                let labels = classifier.classes.take(classifier.predictClassIndices(request.rows))
                writer.key(request.isSingleRow ? "prediction" : "predictions")
                write(labels, single: request.isSingleRow, into: &writer)
            case (.predict, .regressor(let regressor)):
                let values = regressor.predict(request.rows)
                writer.key(request.isSingleRow ? "prediction" : "predictions")
                if request.isSingleRow, let value = values.first {
                    writer.double(value)
                } else {
                    writer.beginArray()
                    for value in values { writer.double(value) }
                    writer.endArray()
                }
            case (.predictProba, .classifier(let classifier)):
                let probabilities = classifier.predictProbabilities(request.rows)
                writer.key("probabilities")
                writer.beginArray()
                for row in 0..<probabilities.rows {
                    writer.beginArray()
                    for value in probabilities.row(row) { writer.double(value) }
                    writer.endArray()
                }
                writer.endArray()
                writer.key("classes")
                write(classifier.classes, single: false, into: &writer)
            default:
                // The decoder admits only outputs that `model.outputs` lists.
                break
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
