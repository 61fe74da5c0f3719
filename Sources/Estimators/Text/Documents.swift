import Pickle

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
        if let union = first as? ColumnRouter {
            return union.inputWidth == 1
                && union.steps.allSatisfy { $0.step is any SparseRowsSource }
        }
        return first is any SparseRowsSource
    }
}

extension EstimatorRegistry {
    /// The width of a text vectorizer's input, which records no `n_features_in_`: one
    /// column of documents. Nil for any other class.
    static func documentWidth(_ object: FittedObject) -> Int? {
        ["CountVectorizer", "TfidfVectorizer", "HashingVectorizer"].contains(object.className)
            ? 1 : nil
    }

    /// A `ColumnTransformer` must give a text vectorizer one column by a scalar (`"text"`
    /// or `0`): given a list, scikit-learn hands it a 2-D table, whose iteration yields the
    /// column names, so every row is counted as the same words. A `FeatureUnion` passes its
    /// one column as it is (`selection` nil). Either writes the vectorizer's output dense.
    static func checkTextRouting(
        _ step: any Transformer,
        selection: PickleValue?,
        owner: FittedObject,
        name: String
    ) throws(EstimatorError) {
        guard step is any SparseRowsSource else { return }
        // A union or column transformer writes its members' output side by side, dense.
        if step.outputWidth > Pipeline.denseWidthLimit {
            throw owner.unsupported(
                "transformers_",
                "'\(name)' gives \(step.outputWidth) columns, which \(owner.className) would "
                    + "write out dense; Augur writes out at most \(Pipeline.denseWidthLimit)"
            )
        }
        switch selection {
        case nil, .string?, .int?: return
        default:
            throw owner.unsupported(
                "transformers_",
                "'\(name)' gives a text vectorizer a list of columns; scikit-learn then "
                    + "vectorizes the column names, not the text. Select one column by its "
                    + "name or index, not a list"
            )
        }
    }
}
