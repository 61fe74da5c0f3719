/// A fitted classifier of one output or several (a decision tree, a forest), served as the
/// single-output estimator or the multi-output one, as its `y` made it.
protocol OutputsClassification: Sendable {
    /// `classes_`: one list per output.
    var classesPerOutput: [ClassLabels] { get }
    var inputWidth: Int { get }
    var acceptsMissing: Bool { get }
    func predictClassIndices(_ input: Matrix, output: Int) -> [Int]
    func predictProbabilities(_ input: Matrix, output: Int) -> Matrix
}

extension OutputsClassification {
    /// This model as the kind of estimator its `y` made it.
    func estimator(multiOutput: Bool) -> Estimator {
        multiOutput
            ? .multiOutputClassifier(MultiOutputClassification(model: self))
            : .classifier(SingleOutputClassification(model: self))
    }
}

/// A model fitted on a 1-D `y` (`DecisionTreeClassifier`, `RandomForestClassifier`, …).
struct SingleOutputClassification<Model: OutputsClassification>: Classifier {
    let model: Model

    var classes: ClassLabels { model.classesPerOutput[0] }
    var inputWidth: Int { model.inputWidth }
    var acceptsMissing: Bool { model.acceptsMissing }

    func predictClassIndices(_ input: Matrix) -> [Int] {
        model.predictClassIndices(input, output: 0)
    }

    func predictProbabilities(_ input: Matrix) -> Matrix {
        model.predictProbabilities(input, output: 0)
    }
}

/// A model fitted on a 2-D `y`.
struct MultiOutputClassification<Model: OutputsClassification>: MultiOutputClassifier {
    let model: Model

    var classesPerOutput: [ClassLabels] { model.classesPerOutput }
    var inputWidth: Int { model.inputWidth }
    var acceptsMissing: Bool { model.acceptsMissing }

    func predictClassIndices(_ input: Matrix) -> [[Int]] {
        classesPerOutput.indices.map { model.predictClassIndices(input, output: $0) }
    }

    func predictProbabilities(_ input: Matrix) -> [Matrix] {
        classesPerOutput.indices.map { model.predictProbabilities(input, output: $0) }
    }
}
