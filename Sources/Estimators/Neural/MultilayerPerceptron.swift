/// The fitted layers of `MLPClassifier` and `MLPRegressor`: `coefs_` and `intercepts_`,
/// the hidden layers' `activation` and the output layer's `out_activation_`, run as
/// `_forward_pass_fast` runs them in float64.
struct PerceptronLayers: Sendable {
    /// The functions of `sklearn.neural_network._base.ACTIVATIONS`.
    enum Activation: String, Sendable {
        case identity
        case logistic
        case tanh
        case relu
        case softmax
        /// The output of a Poisson-loss regressor (scikit-learn 1.7 on).
        case exp
    }

    /// One matrix per layer: a row per unit of the layer before, a column per unit of the
    /// layer after (`coefs_[i]`, as stored).
    let weights: [Matrix]
    let intercepts: [[Double]]
    let hiddenActivation: Activation
    let outputActivation: Activation

    var inputWidth: Int { weights[0].rows }
    var outputWidth: Int { weights[weights.count - 1].columns }

    init(_ object: FittedObject) throws(EstimatorError) {
        let coefs = try object.arrayList("coefs_")
        let intercepts = try object.arrayList("intercepts_")
        guard coefs.count == intercepts.count else {
            throw object.error(
                "intercepts_",
                "\(intercepts.count) layers of intercepts for \(coefs.count) of weights"
            )
        }
        var weights: [Matrix] = []
        for (index, (coef, intercept)) in zip(coefs, intercepts).enumerated() {
            guard coef.shape.count == 2, coef.shape[0] > 0, coef.shape[1] > 0 else {
                throw object.error("coefs_", "layer \(index) has shape \(coef.shape)")
            }
            if let previous = weights.last, previous.columns != coef.shape[0] {
                throw object.error(
                    "coefs_",
                    "layer \(index) takes \(coef.shape[0]) units, the layer before gives "
                        + "\(previous.columns)"
                )
            }
            guard intercept.values.count == coef.shape[1] else {
                throw object.error(
                    "intercepts_",
                    "layer \(index) has \(intercept.values.count) intercepts for "
                        + "\(coef.shape[1]) units"
                )
            }
            weights.append(Matrix(rows: coef.shape[0], columns: coef.shape[1], values: coef.values))
        }
        self.weights = weights
        self.intercepts = intercepts.map(\.values)
        if object.optional("n_layers_") != nil {
            let layers = try object.integer("n_layers_")
            guard layers == weights.count + 1 else {
                throw object.error("n_layers_", "is \(layers), coefs_ has \(weights.count) layers")
            }
        }
        hiddenActivation = try Self.activation(object, "activation")
        outputActivation = try Self.activation(object, "out_activation_")
        guard hiddenActivation != .softmax, hiddenActivation != .exp else {
            throw object.unsupported("activation", "'\(hiddenActivation)' for hidden layers")
        }
    }

    private static func activation(_ object: FittedObject, _ attribute: String)
        throws(EstimatorError) -> Activation
    {
        let name = object.string(attribute) ?? ""
        guard let activation = Activation(rawValue: name) else {
            throw object.unsupported(attribute, "'\(name)' is not a known activation")
        }
        return activation
    }

    /// `_forward_pass_fast`: each layer's `activation @ coefs_[i] + intercepts_[i]`, the
    /// hidden activation between layers, the output activation after the last.
    func outputs(_ input: Matrix) -> Matrix {
        RowBlocks.map(input, width: widestLayer, blockOutputs)
    }

    /// The most units of a layer, the input included: the width of a block's largest
    /// intermediate matrix.
    private var widestLayer: Int {
        weights.reduce(inputWidth) { max($0, $1.columns) }
    }

    private func blockOutputs(_ input: Matrix) -> Matrix {
        var activation = input
        for (layer, layerWeights) in weights.enumerated() {
            var next = Matrix(rows: activation.rows, columns: layerWeights.columns)
            let fanIn = layerWeights.rows
            let fanOut = layerWeights.columns
            let bias = intercepts[layer]
            activation.values.withUnsafeBufferPointer { source in
                layerWeights.values.withUnsafeBufferPointer { weight in
                    next.values.withUnsafeMutableBufferPointer { target in
                        for row in 0..<activation.rows {
                            for unit in 0..<fanOut {
                                var sum = 0.0
                                for input in 0..<fanIn {
                                    sum +=
                                        source[row * fanIn + input] * weight[input * fanOut + unit]
                                }
                                target[row * fanOut + unit] = sum + bias[unit]
                            }
                        }
                    }
                }
            }
            let isLast = layer == weights.count - 1
            Self.apply(isLast ? outputActivation : hiddenActivation, to: &next)
            activation = next
        }
        return activation
    }

    private static func apply(_ activation: Activation, to matrix: inout Matrix) {
        switch activation {
        case .identity: return
        case .logistic:
            for index in matrix.values.indices {
                matrix.values[index] = LinearAlgebra.expit(matrix.values[index])
            }
        case .tanh:
            for index in matrix.values.indices {
                matrix.values[index] = matrix.values[index].tanh()
            }
        case .relu:
            // numpy's maximum keeps NaN.
            for index in matrix.values.indices where matrix.values[index] < 0 {
                matrix.values[index] = 0
            }
        case .exp:
            for index in matrix.values.indices {
                matrix.values[index] = matrix.values[index].exp()
            }
        case .softmax:
            matrix = softmax(matrix)
        }
    }

    /// `inplace_softmax`: subtract the row maximum (NaN when the row has one, as
    /// `ndarray.max`), exponentiate, divide by the row sum in numpy's order.
    private static func softmax(_ scores: Matrix) -> Matrix {
        var result = scores
        for row in 0..<scores.rows {
            let start = row * scores.columns
            let end = start + scores.columns
            let cells = scores.values[start..<end]
            let maximum = cells.contains(where: \.isNaN) ? .nan : cells.max() ?? 0
            for index in start..<end {
                result.values[index] = (scores.values[index] - maximum).exp()
            }
            let sum = NumpyReductions.sum(result.values[start..<end])
            for index in start..<end {
                result.values[index] /= sum
            }
        }
        return result
    }
}

extension EstimatorRegistry {
    /// `MLPClassifier`: a classifier, or a multilabel one when its `_label_binarizer` was
    /// fitted on a label indicator matrix.
    static func perceptronClassifier(_ object: FittedObject) throws(EstimatorError)
        -> Estimator
    {
        let layers = try PerceptronLayers(object)
        let binarizer = try FittedLabelBinarizer(object.nested("_label_binarizer"))
        if binarizer.targetType == .multilabelIndicator {
            return .multiOutputClassifier(
                try PerceptronMultilabelClassifier(object, layers: layers, binarizer: binarizer)
            )
        }
        return .classifier(
            try PerceptronClassifier(object, layers: layers, binarizer: binarizer)
        )
    }
}

/// `MLPClassifier` for binary and multiclass targets: the labels come from its
/// `_label_binarizer`.
struct PerceptronClassifier: Classifier {
    let layers: PerceptronLayers
    let binarizer: FittedLabelBinarizer

    var inputWidth: Int { layers.inputWidth }
    var classes: ClassLabels { binarizer.classes }

    init(
        _ object: FittedObject,
        layers: PerceptronLayers,
        binarizer: FittedLabelBinarizer
    ) throws(EstimatorError) {
        let classCount = binarizer.classes.count
        switch binarizer.targetType {
        case .multilabelIndicator:
            preconditionFailure("a multilabel MLPClassifier is a PerceptronMultilabelClassifier")
        case .binary:
            guard classCount == 2, layers.outputWidth == 1 else {
                throw object.error(
                    "coefs_",
                    "\(layers.outputWidth) output units for a binary target of "
                        + "\(classCount) classes"
                )
            }
        case .multiclass:
            guard classCount > 2, layers.outputWidth == classCount else {
                throw object.error(
                    "coefs_",
                    "\(layers.outputWidth) output units for \(classCount) classes"
                )
            }
        }
        self.layers = layers
        self.binarizer = binarizer
    }

    func predictClassIndices(_ input: Matrix) -> [Int] {
        let outputs = layers.outputs(input)
        if outputs.columns == 1 {
            return outputs.values.map(binarizer.classIndex(binaryOutput:))
        }
        return Probability.argmaxOfRows(outputs)
    }

    /// `predict_proba`: the output layer, with `1 - p` before a binary model's one column.
    func predictProbabilities(_ input: Matrix) -> Matrix {
        let outputs = layers.outputs(input)
        if outputs.columns == 1 {
            return Probability.complement(outputs.values)
        }
        return outputs
    }
}

/// `MLPClassifier` fitted on a label indicator matrix: a logistic output unit per label,
/// each label present where its unit's output exceeds the binarizer's threshold (0.5).
struct PerceptronMultilabelClassifier: MultiOutputClassifier {
    let layers: PerceptronLayers
    let binarizer: FittedLabelBinarizer

    var inputWidth: Int { layers.inputWidth }
    var targets: MultiOutputTargets { .labelIndicator(labels: binarizer.classes) }
    /// Each label is predicted as numpy's integer 0 or 1.
    var classesPerOutput: [ClassLabels] {
        Array(repeating: .integers([0, 1]), count: binarizer.classes.count)
    }

    init(
        _ object: FittedObject,
        layers: PerceptronLayers,
        binarizer: FittedLabelBinarizer
    ) throws(EstimatorError) {
        guard layers.outputWidth == binarizer.classes.count else {
            throw object.error(
                "coefs_",
                "\(layers.outputWidth) output units for \(binarizer.classes.count) labels"
            )
        }
        // scikit-learn fits a multilabel network with a logistic output; another would not
        // give probabilities.
        guard layers.outputActivation == .logistic else {
            throw object.unsupported(
                "out_activation_",
                "'\(layers.outputActivation)' for a multilabel classifier"
            )
        }
        self.layers = layers
        self.binarizer = binarizer
    }

    func predictClassIndices(_ input: Matrix) -> [[Int]] {
        let outputs = layers.outputs(input)
        return (0..<outputs.columns).map { label in
            (0..<outputs.rows).map { row in
                binarizer.classIndex(binaryOutput: outputs[row, label])
            }
        }
    }

    func predictLabelProbabilities(_ input: Matrix) -> Matrix {
        layers.outputs(input)
    }
}

/// `MLPRegressor`: the output layer as it is, one column per target.
struct PerceptronRegressor: Regressor {
    let layers: PerceptronLayers

    var inputWidth: Int { layers.inputWidth }
    /// scikit-learn flattens a single output, even for a model fitted on a column.
    var targetCount: Int? { layers.outputWidth == 1 ? nil : layers.outputWidth }

    init(_ object: FittedObject) throws(EstimatorError) {
        layers = try PerceptronLayers(object)
    }

    func predict(_ input: Matrix) -> Matrix {
        layers.outputs(input)
    }
}
