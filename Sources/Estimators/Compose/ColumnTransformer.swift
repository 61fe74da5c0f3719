import Arrays
import Pickle

/// One member of a `ColumnTransformer` or `FeatureUnion`: a fitted transformer, the input
/// columns it reads (all of them in a union) and its `transformer_weights` entry.
struct RoutedStep: Sendable {
    let name: String
    let step: any Transformer
    let columns: [Int]
    let weight: Double?

    /// The composite's input columns that may hold text: the step's, mapped back.
    var textColumns: Set<Int> { Set(step.textColumns.map { columns[$0] }) }

    /// Runs the step on its columns; refusals name the composite's columns.
    func apply(_ input: Matrix) throws(InputError) -> Matrix {
        let selected = input.selecting(columns: columns)
        let map: (Int) -> Int? = { columns[$0] }
        try MemberInput.check(
            selected,
            name: name,
            textColumns: step.textColumns,
            acceptsMissing: step.acceptsMissing,
            requestColumns: map
        )
        var output = try MemberInput.mapping(map) { () throws(InputError) in
            try step.transform(selected)
        }
        if let weight {
            for index in output.values.indices { output.values[index] *= weight }
        }
        return output
    }
}

/// `sklearn.compose.ColumnTransformer` and `sklearn.pipeline.FeatureUnion`: each member's
/// output side by side, in the fitted order. The columns each member reads are those
/// resolved at fit time (`_transformer_to_input_indices`), so names, masks, slices and
/// `make_column_selector` all arrive as indices and no selector runs again.
struct ColumnRouter: Transformer {
    let steps: [RoutedStep]
    let inputWidth: Int
    let outputWidth: Int

    var textColumns: Set<Int> { steps.reduce(into: []) { $0.formUnion($1.textColumns) } }
    /// Each member checks its own cells for missing values.
    var acceptsMissing: Bool { true }

    init(steps: [RoutedStep], inputWidth: Int) {
        self.steps = steps
        self.inputWidth = inputWidth
        outputWidth = steps.reduce(0) { $0 + $1.step.outputWidth }
    }

    func transform(_ input: Matrix) throws(InputError) -> Matrix {
        var parts: [Matrix] = []
        for step in steps { parts.append(try step.apply(input)) }
        return .sideBySide(parts, rows: input.rows, columns: outputWidth)
    }
}

extension EstimatorRegistry {
    /// A member of a column transformer or union: `"passthrough"`, an identity
    /// `FunctionTransformer`, or any fitted transformer; `width` is the number of columns
    /// routed to it.
    static func routedTransformer(
        _ value: PickleValue,
        width: Int,
        owner: FittedObject,
        depth: Int
    ) throws(EstimatorError) -> (name: String, step: any Transformer) {
        if case .string("passthrough") = value {
            return ("passthrough", Passthrough(inputWidth: width))
        }
        let object = try FittedObject(value)
        if Passthrough.isIdentity(object) {
            return (object.className, Passthrough(inputWidth: width))
        }
        // A member that records no width of its own takes the columns routed to it.
        let built: Estimator
        if ElementwiseFunction.takesAnyWidth(object) {
            built = .transformer(try ElementwiseFunction(object, width: width))
        } else if object.className == "Pipeline", depth + 1 < maxNesting {
            built = try pipeline(object, depth: depth + 1, width: width)
        } else {
            built = try estimator(object, depth: depth + 1)
        }
        guard let step = built.transformation else {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                "\(owner.className) needs transformers"
            )
        }
        guard step.inputWidth == width else {
            throw EstimatorError(
                .invalidAttribute,
                className: object.qualifiedName,
                "takes \(step.inputWidth) features, \(owner.className) gives it \(width)"
            )
        }
        return (object.className, step)
    }

    /// `transformer_weights`: a dict from member name to weight, or None.
    static func transformerWeights(_ object: FittedObject) throws(EstimatorError)
        -> [String: Double]
    {
        guard let value = object.optional("transformer_weights") else { return [:] }
        guard case .dict(let dict) = value else {
            throw object.error("transformer_weights", "expected a dict")
        }
        var weights: [String: Double] = [:]
        for entry in dict.entries {
            let number = try object.reading("transformer_weights") { () throws(ArrayError) in
                try ArrayDecoder.number(entry.value)
            }
            guard case .string(let name) = entry.key, let number else {
                throw object.error("transformer_weights", "expected names and numbers")
            }
            weights[name] = number
        }
        return weights
    }

    static func columnTransformer(_ object: FittedObject, depth: Int) throws(EstimatorError)
        -> Estimator
    {
        let width = try object.integer("n_features_in_")
        guard case .dict(let resolved) = try object.value("_transformer_to_input_indices")
        else {
            throw object.error("_transformer_to_input_indices", "expected a dict")
        }
        guard case .list(let fitted) = try object.value("transformers_") else {
            throw object.error("transformers_", "expected a list of (name, transformer, columns)")
        }
        let weights = try transformerWeights(object)
        var steps: [RoutedStep] = []
        for item in fitted.items {
            guard case .tuple(let triple) = item, triple.count == 3,
                case .string(let name) = triple[0]
            else {
                throw object.error("transformers_", "expected (name, transformer, columns)")
            }
            if case .string("drop") = triple[1] { continue }
            guard let indexValue = resolved[name] else {
                throw object.error("_transformer_to_input_indices", "has no entry for \(name)")
            }
            let columns = try indexList(indexValue, object, width: width)
            if columns.isEmpty { continue }
            let member = try routedTransformer(
                triple[1],
                width: columns.count,
                owner: object,
                depth: depth
            )
            try checkTextRouting(member.step, selection: triple[2], owner: object, name: name)
            steps.append(
                RoutedStep(
                    name: "\(member.name) '\(name)'",
                    step: member.step,
                    columns: columns,
                    weight: weights[name]
                )
            )
        }
        return .transformer(ColumnRouter(steps: steps, inputWidth: width))
    }

    /// Column indices stored as a list of ints or an integer array, each below `width`.
    static func indexList(_ value: PickleValue, _ object: FittedObject, width: Int)
        throws(EstimatorError) -> [Int]
    {
        let attribute = "_transformer_to_input_indices"
        var numbers: [Int64] = []
        switch value {
        case .list(let list):
            for item in list.items {
                guard case .int(let index) = item else {
                    throw object.error(attribute, "expected integer indices")
                }
                numbers.append(index)
            }
        default:
            let array = try object.reading(attribute) { () throws(ArrayError) in
                try ArrayDecoder.array(value)?.integers()
            }
            guard let array else { throw object.error(attribute, "expected integer indices") }
            numbers = array
        }
        var columns: [Int] = []
        for number in numbers {
            guard number >= 0, number < width else {
                throw object.error(attribute, "index \(number) of \(width) columns")
            }
            columns.append(Int(number))
        }
        return columns
    }

    static func featureUnion(_ object: FittedObject, depth: Int) throws(EstimatorError)
        -> Estimator
    {
        guard case .list(let list) = try object.value("transformer_list") else {
            throw object.error("transformer_list", "expected a list of (name, transformer)")
        }
        let weights = try transformerWeights(object)
        var members: [(name: String, value: PickleValue)] = []
        for item in list.items {
            guard case .tuple(let pair) = item, pair.count == 2, case .string(let name) = pair[0]
            else {
                throw object.error("transformer_list", "expected (name, transformer) pairs")
            }
            if case .string("drop") = pair[1] { continue }
            if case .none = pair[1] { continue }
            members.append((name, pair[1]))
        }
        // The width comes from the first fitted member (a union records none of its own
        // before scikit-learn 1.x's n_features_in_, which then mirrors that member's).
        var width: Int?
        if object.optional("n_features_in_") != nil { width = try object.integer("n_features_in_") }
        if width == nil {
            for member in members {
                guard case .object = member.value else { continue }
                let fitted = try FittedObject(member.value)
                if fitted.optional("n_features_in_") != nil {
                    width = try fitted.integer("n_features_in_")
                    break
                }
                if let documents = documentWidth(fitted) {
                    width = documents
                    break
                }
            }
        }
        guard let width else {
            throw object.error("transformer_list", "no member records its number of features")
        }
        var steps: [RoutedStep] = []
        for member in members {
            let built = try routedTransformer(
                member.value,
                width: width,
                owner: object,
                depth: depth
            )
            try checkTextRouting(built.step, selection: nil, owner: object, name: member.name)
            steps.append(
                RoutedStep(
                    name: "\(built.name) '\(member.name)'",
                    step: built.step,
                    columns: Array(0..<width),
                    weight: weights[member.name]
                )
            )
        }
        return .transformer(ColumnRouter(steps: steps, inputWidth: width))
    }
}
