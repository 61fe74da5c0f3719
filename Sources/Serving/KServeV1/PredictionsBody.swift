import Estimators

/// `{"predictions": [...]}`, the answer of KServe V1 and MLflow: one entry per row, labels
/// in their JSON type.
enum PredictionsBody {
    /// Encodes the first (and only) output of `computed`. Probabilities come with
    /// `"classes"` naming their columns, and a NaN or infinite output, written as `null`,
    /// with `"non_finite": true` (both Augur's; other clients can ignore them).
    static func encode(_ computed: InferenceResult) -> [UInt8] {
        var writer = JSONWriter(capacity: 64 + computed.rowCount * 24)
        writer.beginObject()
        writer.key("predictions")
        if let (output, result) = computed.outputs.first {
            NativeResponse.write(result, single: false, into: &writer)
            if output == .predictProba {
                let model = computed.served.model
                if let classes = model.classes {
                    writer.key("classes")
                    NativeResponse.write(classes, single: false, into: &writer)
                } else if let classes = model.classesPerOutput {
                    writer.key("classes")
                    writer.beginArray()
                    for labels in classes {
                        NativeResponse.write(labels, single: false, into: &writer)
                    }
                    writer.endArray()
                }
            }
        } else {
            writer.beginArray()
            writer.endArray()
        }
        if writer.nonFiniteCount > 0 {
            writer.key("non_finite")
            writer.bool(true)
        }
        writer.endObject()
        return writer.finish()
    }

    /// A small JSON object of string values, for status routes.
    static func object(_ members: [(String, String)]) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        for (key, value) in members {
            writer.key(key)
            writer.string(value)
        }
        writer.endObject()
        return writer.finish()
    }
}
