/// `sklearn.pipeline.Pipeline`: transformers applied in turn, then the final estimator.
struct Pipeline {
    let transformers: [any Transformer]

    func transform(_ input: Matrix) -> Matrix {
        transformers.reduce(input) { $1.transform($0) }
    }
}

struct PipelineClassifier: Classifier {
    let pipeline: Pipeline
    let final: any Classifier
    let inputWidth: Int

    var classes: ClassLabels { final.classes }

    func predictClassIndices(_ input: Matrix) -> [Int] {
        final.predictClassIndices(pipeline.transform(input))
    }

    func predictProbabilities(_ input: Matrix) -> Matrix {
        final.predictProbabilities(pipeline.transform(input))
    }
}

struct PipelineRegressor: Regressor {
    let pipeline: Pipeline
    let final: any Regressor
    let inputWidth: Int

    func predict(_ input: Matrix) -> [Double] {
        final.predict(pipeline.transform(input))
    }
}

struct PipelineTransformer: Transformer {
    let pipeline: Pipeline
    let inputWidth: Int
    let outputWidth: Int

    func transform(_ input: Matrix) -> Matrix {
        pipeline.transform(input)
    }
}
