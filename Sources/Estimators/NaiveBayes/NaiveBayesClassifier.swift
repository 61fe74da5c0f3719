/// The part of a naive Bayes model that differs between the five classes:
/// `_joint_log_likelihood`, `log P(c) + log P(x | c)` for every row and class.
protocol JointLogLikelihood: Sendable {
    var inputWidth: Int { get }
    var classCount: Int { get }
    /// One row per input row, one column per class, in the order of `classes_`.
    func jointLogLikelihood(_ input: Matrix) throws(InputError) -> Matrix
}

/// `sklearn.naive_bayes._BaseNB`: `predict` is the argmax of the joint log likelihood,
/// `predict_proba` the joint log likelihood normalised by its log-sum-exp and exponentiated.
struct NaiveBayesClassifier<Likelihood: JointLogLikelihood>: Classifier {
    let likelihood: Likelihood
    let classes: ClassLabels
    let normalisation: LogSumExp

    var inputWidth: Int { likelihood.inputWidth }

    /// Checks that the likelihood has one column per class of `object`'s `classes_`.
    init(_ object: FittedObject, likelihood: Likelihood) throws(EstimatorError) {
        let classes = try object.classLabels()
        guard classes.count == likelihood.classCount, classes.count >= 1 else {
            throw object.error(
                "classes_",
                "\(classes.count) classes, but the fitted state has \(likelihood.classCount)"
            )
        }
        self.likelihood = likelihood
        self.classes = classes
        normalisation = LogSumExp(writtenBy: object)
    }

    func predictClassIndices(_ input: Matrix) throws(InputError) -> [Int] {
        Probability.argmaxOfRows(try likelihood.jointLogLikelihood(input))
    }

    /// `exp(predict_log_proba)`: `jll - logsumexp(jll, axis=1)`, exponentiated.
    func predictProbabilities(_ input: Matrix) throws(InputError) -> Matrix {
        probabilities(jointLogLikelihood: try likelihood.jointLogLikelihood(input))
    }

    /// Normalises joint log likelihoods however they were computed (a sparse row's too).
    func probabilities(jointLogLikelihood: Matrix) -> Matrix {
        var result = jointLogLikelihood
        let width = result.columns
        for row in 0..<result.rows {
            let start = row * width
            let total = normalisation.apply(result.values[start..<(start + width)])
            for index in start..<(start + width) {
                result.values[index] = (result.values[index] - total).exp()
            }
        }
        return result
    }
}

/// `logsumexp` of one row, as the scikit-learn that wrote the model computes it. Before
/// 1.8 naive Bayes called `scipy.special.logsumexp`; from 1.8 its own `_logsumexp`, which
/// takes every copy of the maximum out of the sum and adds `log(count)` back.
enum LogSumExp: Sendable {
    /// scipy's: `log(sum(exp(a - max))) + max`, with a non-finite max taken as 0.
    case scipy
    /// `sklearn.utils._array_api._logsumexp`.
    case scikitLearn

    init(writtenBy object: FittedObject) {
        self = object.version >= ScikitLearnVersion(1, 8) ? .scikitLearn : .scipy
    }

    func apply(_ row: ArraySlice<Double>) -> Double {
        let maximum = Self.maximum(row)
        let shift = maximum.isFinite ? maximum : 0
        switch self {
        case .scipy:
            var terms = row
            for index in terms.indices { terms[index] = (terms[index] - shift).exp() }
            return NumpyReductions.sum(terms).log() + shift
        case .scikitLearn:
            var terms = row
            var copies = 0.0
            for index in terms.indices {
                if terms[index] == maximum {
                    copies += 1
                    terms[index] = 0
                } else {
                    terms[index] = (terms[index] - shift).exp()
                }
            }
            var sum = NumpyReductions.sum(terms)
            if sum != 0 { sum /= copies }
            return sum.log1p() + copies.log() + maximum
        }
    }

    /// `numpy.max`: NaN when the row has one.
    static func maximum(_ row: ArraySlice<Double>) -> Double {
        var result = -Double.infinity
        for value in row {
            if value.isNaN { return value }
            if value > result { result = value }
        }
        return result
    }
}
