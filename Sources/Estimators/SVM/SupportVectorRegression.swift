/// `sklearn.svm.SVR` and `NuSVR`: `predict` is libsvm's decision value, the weighted
/// kernel values of the support vectors plus the intercept.
struct SupportVectorRegressor: Regressor {
    let model: LibSVMModel
    let className: String

    var inputWidth: Int { model.inputWidth }

    init(_ object: FittedObject) throws(EstimatorError) {
        model = try LibSVMModel(object, classCount: nil)
        className = object.className
    }

    func predict(_ input: Matrix) throws(InputError) -> Matrix {
        Matrix(rows: input.rows, columns: 1, values: try model.decisionValues(input, className))
    }
}

/// `sklearn.svm.OneClassSVM`: `decision_function` is libsvm's decision value,
/// `score_samples` adds `offset_` back, and `predict` is libsvm's own rule, 1 only where
/// the decision value is positive (an exact 0, or NaN, is an outlier).
struct OneClassSVM: OutlierDetector {
    let model: LibSVMModel
    let className: String
    /// `offset_`, the negated intercept.
    let offset: Double

    var inputWidth: Int { model.inputWidth }

    init(_ object: FittedObject) throws(EstimatorError) {
        model = try LibSVMModel(object, classCount: nil)
        className = object.className
        offset = try object.doubles("offset_", count: 1)[0]
    }

    func decisionFunction(_ input: Matrix) throws(InputError) -> [Double] {
        try model.decisionValues(input, className)
    }

    func scoreSamples(_ input: Matrix) throws(InputError) -> [Double] {
        try decisionFunction(input).map { $0 + offset }
    }

    func predict(_ input: Matrix) throws(InputError) -> [Int] {
        try decisionFunction(input).map { $0 > 0 ? 1 : -1 }
    }
}

extension LibSVMModel {
    /// The decision value of each row of a regressor or one-class model, after refusing
    /// NaN as scikit-learn does, naming `estimator`.
    func decisionValues(_ input: Matrix, _ estimator: String) throws(InputError) -> [Double] {
        try input.requireNoMissing(by: estimator)
        var kernelValues = [Double](repeating: 0, count: supportVectors.rows)
        return (0..<input.rows).map { row in
            self.kernelValues(input.row(row), into: &kernelValues)
            return decisionValue(kernelValues)
        }
    }
}
