import Estimators

/// The bodies of the V2 metadata, readiness and health routes.
enum OpenInferenceMetadata {
    /// `GET /v2`: the server's name, version and protocol extensions. `parameters` is the
    /// one extension Augur reads (`content_type` "pd").
    static let server: [UInt8] = {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("name")
        writer.string("augur")
        writer.key("version")
        writer.string(AugurVersion.current)
        writer.key("extensions")
        writer.beginArray()
        writer.string("parameters")
        writer.endArray()
        writer.endObject()
        return writer.finish()
    }()

    /// `{"live": true}` or `{"ready": true}`.
    static func flag(_ name: String) -> [UInt8] {
        var writer = JSONWriter(capacity: 24)
        writer.beginObject()
        writer.key(name)
        writer.bool(true)
        writer.endObject()
        return writer.finish()
    }

    static func modelReady(_ served: ServedModel) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("name")
        writer.string(served.name)
        writer.key("version")
        writer.string(served.version ?? "1")
        writer.key("ready")
        writer.bool(true)
        writer.endObject()
        return writer.finish()
    }

    /// `GET /v2/models/{m}[/versions/{v}]`: the protocol's fields, then Augur's own
    /// (feature names, classes, estimator class, scikit-learn version, and the model
    /// generation when the server reloads).
    static func model(
        _ served: ServedModel,
        versions: [ServedModel],
        generation: Int? = nil
    ) -> [UInt8] {
        let model = served.model
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.key("name")
        writer.string(served.name)
        writer.key("versions")
        writer.beginArray()
        for version in versions { writer.string(version.version ?? "1") }
        writer.endArray()
        writer.key("platform")
        writer.string("scikit-learn")
        writer.key("inputs")
        writer.beginArray()
        // A model that takes strings in some columns needs BYTES to carry them.
        let inputType: TensorDataType = model.textColumns.isEmpty ? .fp64 : .bytes
        writeTensor("input-0", inputType, [-1, model.inputWidth], &writer)
        writer.endArray()
        writer.key("outputs")
        writer.beginArray()
        for output in model.outputs {
            let (datatype, shape) = describe(output, of: model)
            writeTensor(output.rawValue, datatype, shape, &writer)
        }
        writer.endArray()
        writer.key("feature_names")
        if let names = model.featureNames {
            writer.beginArray()
            for name in names { writer.string(name) }
            writer.endArray()
        } else {
            writer.null()
        }
        writer.key("classes")
        if let classes = model.classes {
            writer.beginArray()
            InferResponse.writeLabels(classes, &writer)
            writer.endArray()
        } else if let classesPerOutput = model.classesPerOutput {
            writer.beginArray()
            for labels in classesPerOutput {
                writer.beginArray()
                InferResponse.writeLabels(labels, &writer)
                writer.endArray()
            }
            writer.endArray()
        } else {
            writer.null()
        }
        writer.key("estimator_class")
        writer.string(model.estimatorClass)
        writer.key("sklearn_version")
        if let version = model.sklearnVersion { writer.string(version) } else { writer.null() }
        if let generation {
            writer.key("generation")
            writer.integer(Int64(generation))
        }
        writer.endObject()
        return writer.finish()
    }

    static func writeTensor(
        _ name: String,
        _ datatype: TensorDataType,
        _ shape: [Int],
        _ writer: inout JSONWriter
    ) {
        writer.beginObject()
        writer.key("name")
        writer.string(name)
        writer.key("datatype")
        writer.string(datatype.rawValue)
        writer.key("shape")
        writer.beginArray()
        for dimension in shape { writer.integer(Int64(dimension)) }
        writer.endArray()
        writer.endObject()
    }

    /// An output's datatype and shape, -1 standing for the number of rows, as an infer
    /// response will give them.
    static func describe(_ output: ModelOutput, of model: Model) -> (TensorDataType, [Int]) {
        let labelType = TensorDataType(model.labelDataType ?? .int64)
        switch (output, model.estimator) {
        case (.predict, .classifier), (.predict, .outlierDetector):
            return (labelType, [-1])
        case (.predict, .multiOutputClassifier(let classifier)):
            return (labelType, [-1, classifier.classesPerOutput.count])
        case (.predict, .regressor(let regressor)):
            return (.fp64, regressor.targetCount.map { [-1, $0] } ?? [-1])
        case (.predictProba, .classifier(let classifier)):
            return (.fp64, [-1, classifier.classes.count])
        case (.predictProba, .multiOutputClassifier(let classifier)):
            // A multilabel model gives one probability per label; a multi-output one each
            // output's columns after the previous output's.
            if let labels = classifier.targets.indicatorLabels {
                return (.fp64, [-1, labels.count])
            }
            return (.fp64, [-1, classifier.classesPerOutput.reduce(0) { $0 + $1.count }])
        case (.decisionFunction, .multiOutputClassifier(let classifier)):
            return (.fp64, [-1, classifier.classesPerOutput.count])
        case (.decisionFunction, .classifier(let classifier)):
            // Two classes give one score per row, as in scikit-learn.
            let count = classifier.classes.count
            return (.fp64, count == 2 ? [-1] : [-1, count])
        case (.transform, let estimator):
            if estimator.transformation?.transformsToOneValuePerRow == true {
                return (.fp64, [-1])
            }
            return (.fp64, [-1, estimator.transformation?.outputWidth ?? -1])
        default:
            return (.fp64, [-1])
        }
    }
}
