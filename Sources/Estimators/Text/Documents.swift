extension Model {
    /// Whether each row of this model is one text document: its first step is a text
    /// vectorizer, alone or first in a pipeline, so a request may send a bare string as a
    /// row (scikit-learn takes a 1-D list of strings).
    public var takesDocuments: Bool {
        inputWidth == 1 && textColumns == [0] && estimator.leadsWithVectorizer
    }
}

extension Estimator {
    fileprivate var leadsWithVectorizer: Bool {
        let first: (any Transformer)?
        switch self {
        case .transformer(let step):
            first = (step as? PipelineTransformer)?.pipeline.transformers.first?.step ?? step
        case .classifier(let classifier):
            first = (classifier as? PipelineClassifier)?.pipeline.transformers.first?.step
        case .regressor(let regressor):
            first = (regressor as? PipelineRegressor)?.pipeline.transformers.first?.step
        case .outlierDetector(let detector):
            first = (detector as? PipelineOutlierDetector)?.pipeline.transformers.first?.step
        case .multiOutputClassifier(let classifier):
            first =
                (classifier as? PipelineMultiOutputClassifier)?.pipeline.transformers.first?
                .step
        }
        return first is any SparseRowsSource
    }
}
