/// `sklearn.discriminant_analysis.LinearDiscriminantAnalysis`: a linear classifier
/// (`X @ coef_.T + intercept_`) whose `predict_proba` is a sigmoid of the one decision value
/// for two classes and a softmax otherwise, plus `transform` for the svd and eigen solvers.
struct LinearDiscriminant: Classifier {
    let linear: LinearClassifier
    /// The projection of `transform`; nil for the lsqr solver, which has none.
    let projection: DiscriminantProjection?

    var inputWidth: Int { linear.inputWidth }
    var classes: ClassLabels { linear.classes }
    var hasDecisionFunction: Bool { true }
    var transformation: (any Transformer)? { projection }

    init(_ object: FittedObject) throws(EstimatorError) {
        let classes = try object.classLabels()
        // A single column: scipy's expit, stacked as (1 - p, p).
        let rule: LinearClassifier.ProbabilityRule =
            classes.count == 2 ? .oneVsRest(uniformWhenAllZero: false) : .softmax
        linear = try LinearClassifier(object, classes: classes, probabilities: rule)
        let solver = object.string("solver") ?? "svd"
        switch solver {
        case "svd", "eigen":
            projection = try DiscriminantProjection(
                object,
                centred: solver == "svd",
                inputWidth: linear.inputWidth
            )
        case "lsqr":
            projection = nil
        default:
            throw object.unsupported("solver", "'\(solver)' is not a solver Augur knows")
        }
    }

    func predictClassIndices(_ input: Matrix) -> [Int] {
        linear.predictClassIndices(input)
    }

    func predictProbabilities(_ input: Matrix) -> Matrix {
        linear.predictProbabilities(input)
    }

    func decisionFunction(_ input: Matrix) -> Matrix {
        linear.decisionFunction(input)
    }
}

/// `LinearDiscriminantAnalysis.transform`: `(X - xbar_) @ scalings_` for the svd solver,
/// `X @ scalings_` for eigen, keeping the first `_max_components` columns.
struct DiscriminantProjection: Transformer {
    /// `xbar_` for the svd solver.
    let centre: [Double]?
    /// The kept columns of `scalings_`: one row per input feature.
    let scalings: Matrix

    var inputWidth: Int { scalings.rows }
    var outputWidth: Int { scalings.columns }

    init(_ object: FittedObject, centred: Bool, inputWidth: Int) throws(EstimatorError) {
        let all = try object.floatMatrix("scalings_")
        guard all.rows == inputWidth else {
            throw object.error(
                "scalings_",
                "has \(all.rows) rows for \(inputWidth) features"
            )
        }
        let components = try object.integer("_max_components")
        guard components >= 0 else {
            throw object.error("_max_components", "is negative (\(components))")
        }
        let kept = Swift.min(components, all.columns)
        var scalings = Matrix(rows: all.rows, columns: kept)
        for row in 0..<all.rows {
            for column in 0..<kept {
                scalings[row, column] = all[row, column]
            }
        }
        self.scalings = scalings
        centre = centred ? try object.doubles("xbar_", count: inputWidth) : nil
    }

    func transform(_ input: Matrix) -> Matrix {
        var rows = input
        if let centre {
            for index in rows.values.indices {
                rows.values[index] -= centre[index % inputWidth]
            }
        }
        return MatrixProduct.multiply(rows, scalings)
    }
}

/// Matrix products as a plain loop: each cell a sum from 0 in index order. numpy hands
/// them to BLAS, whose order differs, by a few ulps at most for these small sizes.
enum MatrixProduct {
    /// `a @ b` for `a.columns == b.rows`.
    static func multiply(_ a: Matrix, _ b: Matrix) -> Matrix {
        var result = Matrix(rows: a.rows, columns: b.columns)
        for row in 0..<a.rows {
            for column in 0..<b.columns {
                var sum = 0.0
                for inner in 0..<a.columns {
                    sum += a.values[row * a.columns + inner] * b.values[inner * b.columns + column]
                }
                result.values[row * b.columns + column] = sum
            }
        }
        return result
    }
}
