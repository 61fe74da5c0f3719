/// `sklearn.pipeline.Pipeline`: transformers applied in turn, then the final estimator.
struct Pipeline: Sendable {
    /// The transformers with their class names, for errors about what a step refuses.
    let transformers: [(name: String, step: any Transformer)]
    /// Whether the final estimator reads its input as float32 (trees), so a transformed
    /// value beyond float32's range is refused as scikit-learn refuses it.
    var finalCastsToFloat32 = false

    /// The first step's text columns: only it sees the request's columns.
    var textColumns: Set<Int> { transformers.first?.step.textColumns ?? [] }
    var acceptsMissing: Bool { transformers.first?.step.acceptsMissing ?? true }

    /// Runs every transformer; each step after the first checks its input as scikit-learn
    /// validates it (no infinity; NaN only where the step takes it). The model checks the
    /// first step's. A refusal by a later step names no column of the request (see
    /// ``laterStep(_:_:)``).
    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        var current = input
        for (index, transformer) in transformers.enumerated() {
            if index > 0, transformer.step.validatesInput {
                try current.requireValidStepInput(
                    to: transformer.name,
                    acceptsMissing: transformer.step.acceptsMissing
                )
            }
            if index == 0 {
                current = try transformer.step.transform(current)
            } else {
                let stepInput = current
                current = try Self.laterStep(transformer.name) { () throws(InputError) in
                    try transformer.step.transform(stepInput)
                }
            }
        }
        return current
    }

    /// Runs `body`, a step after the first: its columns are no longer the request's, so a
    /// refusal names no request column but says which column of the step's input it was.
    static func laterStep<Result>(
        _ name: String,
        _ body: () throws(InputError) -> Result
    ) throws(InputError) -> Result {
        do {
            return try body()
        } catch {
            guard let column = error.column else { throw error }
            throw InputError(
                row: error.row,
                column: nil,
                "\(name)'s input column \(column): \(error.message)"
            )
        }
    }

    /// Runs `body` on what the final estimator `name` gets from `finalInput`: as a later
    /// step when a transformer ran before it.
    func final<Result>(
        _ name: String,
        _ body: () throws(InputError) -> Result
    ) throws(InputError) -> Result {
        transformers.isEmpty ? try body() : try Self.laterStep(name, body)
    }

    /// The request's text columns and missing-value rule as the pipeline ending in a final
    /// estimator with `final`'s takes them: the final estimator's own without transformers.
    func textColumns(final: Set<Int>) -> Set<Int> { transformers.isEmpty ? final : textColumns }
    func acceptsMissing(final: Bool) -> Bool { transformers.isEmpty ? final : acceptsMissing }

    /// What the final estimator `name` gets: every transformer's output, checked as the final
    /// estimator checks its input when a transformer ran before it.
    func finalInput(_ input: Matrix, name: String, acceptsMissing: Bool) throws(InputError)
        -> Matrix
    {
        let transformed = try transform(input)
        if !transformers.isEmpty {
            try transformed.requireValidStepInput(to: name, acceptsMissing: acceptsMissing)
        }
        if !transformers.isEmpty, finalCastsToFloat32 {
            try MemberInput.requireFloat32Range(
                transformed,
                name: name,
                requestColumns: { _ in nil }
            )
        }
        return transformed
    }

    /// `transform` of a pipeline whose final estimator also transforms: every step's
    /// `transform` in turn, the final estimator's last.
    func ending(with final: (any Transformer)?, name: String, inputWidth: Int)
        -> (any Transformer)?
    {
        final.map {
            PipelineTransformer(
                pipeline: Pipeline(transformers: transformers + [(name, $0)]),
                inputWidth: inputWidth,
                outputWidth: $0.outputWidth
            )
        }
    }
}

struct PipelineClassifier: Classifier {
    let pipeline: Pipeline
    let final: any Classifier
    let finalName: String
    let inputWidth: Int

    var classes: ClassLabels { final.classes }
    var textColumns: Set<Int> { pipeline.textColumns(final: final.textColumns) }
    var acceptsMissing: Bool { pipeline.acceptsMissing(final: final.acceptsMissing) }
    var hasProbabilities: Bool { final.hasProbabilities }
    var hasDecisionFunction: Bool { final.hasDecisionFunction }
    var transformation: (any Transformer)? {
        pipeline.ending(with: final.transformation, name: finalName, inputWidth: inputWidth)
    }

    private func finalInput(_ input: Matrix) throws(InputError) -> Matrix {
        try pipeline.finalInput(input, name: finalName, acceptsMissing: final.acceptsMissing)
    }

    /// The final estimator when it takes sparse rows and the transformers give them.
    private func sparseFinal(_ input: Matrix) throws(InputError)
        -> (any SparseRowsClassifier, SparseRows)?
    {
        guard let sparse = final as? any SparseRowsClassifier,
            let rows = try pipeline.sparseTransform(input)
        else { return nil }
        return (sparse, rows)
    }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        if let (sparse, rows) = try sparseFinal(input) {
            return sparse.predictClassIndices(sparse: rows)
        }
        let rows = try finalInput(input)
        return try pipeline.final(finalName) { () throws(InputError) in
            try final.predictClassIndices(rows)
        }
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        if let (sparse, rows) = try sparseFinal(input) {
            return sparse.predictProbabilities(sparse: rows)
        }
        let rows = try finalInput(input)
        return try pipeline.final(finalName) { () throws(InputError) in
            try final.predictProbabilities(rows)
        }
    }

    func decisionFunction(_ input: Matrix) throws(InputError) -> Matrix {
        if let (sparse, rows) = try sparseFinal(input) {
            return sparse.decisionFunction(sparse: rows)
        }
        let rows = try finalInput(input)
        return try pipeline.final(finalName) { () throws(InputError) in
            try final.decisionFunction(rows)
        }
    }
}

struct PipelineRegressor: Regressor {
    let pipeline: Pipeline
    let final: any Regressor
    let finalName: String
    let inputWidth: Int

    var textColumns: Set<Int> { pipeline.textColumns(final: final.textColumns) }
    var acceptsMissing: Bool { pipeline.acceptsMissing(final: final.acceptsMissing) }
    var targetCount: Int? { final.targetCount }
    var transformation: (any Transformer)? {
        pipeline.ending(with: final.transformation, name: finalName, inputWidth: inputWidth)
    }

    func predict(_ input: Matrix) throws(InputError) -> Matrix {
        if let sparse = final as? any SparseRowsRegressor,
            let rows = try pipeline.sparseTransform(input)
        {
            return sparse.predict(sparse: rows)
        }
        let rows = try pipeline.finalInput(
            input,
            name: finalName,
            acceptsMissing: final.acceptsMissing
        )
        return try pipeline.final(finalName) { () throws(InputError) in try final.predict(rows) }
    }
}

struct PipelineTransformer: Transformer {
    let pipeline: Pipeline
    let inputWidth: Int
    let outputWidth: Int

    var textColumns: Set<Int> { pipeline.textColumns }
    var acceptsMissing: Bool { pipeline.acceptsMissing }
    var transformsToOneValuePerRow: Bool {
        pipeline.transformers.last?.step.transformsToOneValuePerRow ?? false
    }
    /// `score_samples` of the last step, on what the steps before it give.
    var hasScoreSamples: Bool { pipeline.transformers.last?.step.hasScoreSamples ?? false }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        try pipeline.transform(input)
    }

    func scoreSamples(_ input: Matrix) throws(InputError) -> [Double] {
        guard let last = pipeline.transformers.last else {
            preconditionFailure("score_samples called on an empty pipeline")
        }
        let before = Pipeline(transformers: Array(pipeline.transformers.dropLast()))
        let transformed = try before.finalInput(
            input,
            name: last.name,
            acceptsMissing: last.step.acceptsMissing
        )
        return try before.final(last.name) { () throws(InputError) in
            try last.step.scoreSamples(transformed)
        }
    }
}

struct PipelineOutlierDetector: OutlierDetector {
    let pipeline: Pipeline
    let final: any OutlierDetector
    let finalName: String
    let inputWidth: Int

    var textColumns: Set<Int> { pipeline.textColumns(final: final.textColumns) }
    var acceptsMissing: Bool { pipeline.acceptsMissing(final: final.acceptsMissing) }

    private func finalInput(_ input: Matrix) throws(InputError) -> Matrix {
        try pipeline.finalInput(input, name: finalName, acceptsMissing: final.acceptsMissing)
    }

    func scoreSamples(_ input: Matrix) throws(InputError) -> [Double] {
        let rows = try finalInput(input)
        return try pipeline.final(finalName) { () throws(InputError) in
            try final.scoreSamples(rows)
        }
    }

    func decisionFunction(_ input: Matrix) throws(InputError) -> [Double] {
        let rows = try finalInput(input)
        return try pipeline.final(finalName) { () throws(InputError) in
            try final.decisionFunction(rows)
        }
    }
}

struct PipelineMultiOutputClassifier: MultiOutputClassifier {
    let pipeline: Pipeline
    let final: any MultiOutputClassifier
    let finalName: String
    let inputWidth: Int

    var classesPerOutput: [ClassLabels] { final.classesPerOutput }
    var targets: MultiOutputTargets { final.targets }
    var hasProbabilities: Bool { final.hasProbabilities }
    var hasDecisionFunction: Bool { final.hasDecisionFunction }
    var textColumns: Set<Int> { pipeline.textColumns(final: final.textColumns) }
    var acceptsMissing: Bool { pipeline.acceptsMissing(final: final.acceptsMissing) }

    private func finalInput(_ input: Matrix) throws(InputError) -> Matrix {
        try pipeline.finalInput(input, name: finalName, acceptsMissing: final.acceptsMissing)
    }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [[Int]] {
        let rows = try finalInput(input)
        return try pipeline.final(finalName) { () throws(InputError) in
            try final.predictClassIndices(rows)
        }
    }

    func predictProbabilities(_ input: Matrix) throws(InputError) -> [Matrix] {
        let rows = try finalInput(input)
        return try pipeline.final(finalName) { () throws(InputError) in
            try final.predictProbabilities(rows)
        }
    }

    func predictLabelProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        try final.predictLabelProbabilities(try finalInput(input))
    }

    func decisionFunction(_ input: Matrix) throws(InputError) -> Matrix {
        try final.decisionFunction(try finalInput(input))
    }
}
