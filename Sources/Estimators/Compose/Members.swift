import Pickle

/// A transformer that returns its input: `"passthrough"`, and the identity
/// `FunctionTransformer` scikit-learn fits in its place inside column transformers and
/// feature unions.
struct Passthrough: Transformer {
    let inputWidth: Int
    var outputWidth: Int { inputWidth }
    var acceptsMissing: Bool { true }

    func transform(_ input: Matrix) -> Matrix {
        var output = input
        output.text = [:]
        return output
    }

    /// Whether `object` is a `FunctionTransformer` without functions (the identity).
    static func isIdentity(_ object: FittedObject) -> Bool {
        object.className == "FunctionTransformer" && object.optional("func") == nil
            && object.optional("inverse_func") == nil
    }
}

/// Checks of what a composite hands its members, as each member's own validation in
/// scikit-learn would refuse it.
enum MemberInput {
    /// Refuses text where `step` takes numbers, NaN where it takes no missing values, and
    /// infinity (which only a step before the composite can have made).
    /// `requestColumns[j]` is the request's column for the member's column `j`, nil when a
    /// step before the composite changed the columns.
    static func check(
        _ input: Matrix,
        name: String,
        textColumns: Set<Int>,
        acceptsMissing: Bool,
        requestColumns: (Int) -> Int?
    ) throws(InputError) {
        let width = input.columns
        // Text where the member takes numbers, found by visiting the text cells only; the
        // first in row order is refused unless a cell before it is refused for its value.
        var firstMisplacedText = input.values.count
        for cell in input.text.keys where cell < firstMisplacedText {
            if !textColumns.contains(cell % width) { firstMisplacedText = cell }
        }
        // Only a non-finite value can be refused (text cells read as NaN, and may be text).
        for cell in 0..<firstMisplacedText where !input.values[cell].isFinite {
            if input.text[cell] != nil { continue }
            let (row, column) = cell.quotientAndRemainder(dividingBy: width)
            if input.values[cell].isInfinite {
                throw InputError(
                    row: row,
                    column: requestColumns(column),
                    "an infinite value, which \(name) does not accept"
                )
            }
            if !acceptsMissing {
                throw InputError(
                    row: row,
                    column: requestColumns(column),
                    "missing value (NaN or null), which \(name) does not accept"
                )
            }
        }
        if firstMisplacedText < input.values.count {
            let (row, column) = firstMisplacedText.quotientAndRemainder(dividingBy: width)
            throw InputError(
                row: row,
                column: requestColumns(column),
                "text where \(name) expects a number"
            )
        }
    }

    /// Refuses a value beyond float32's range for a member that reads its input as
    /// float32 (trees): scikit-learn finds it infinite there and raises.
    static func requireFloat32Range(
        _ input: Matrix,
        name: String,
        requestColumns: (Int) -> Int?
    ) throws(InputError) {
        guard let index = input.values.firstIndex(where: { $0.isFinite && Float($0).isInfinite })
        else { return }
        throw InputError(
            row: index / input.columns,
            column: requestColumns(index % input.columns),
            "\(input.values[index]) is too large for \(name), which reads inputs as float32"
        )
    }

    /// Runs `body`, moving the column of a refusal from a member's columns to the
    /// composite's.
    static func mapping<Result>(
        _ columns: (Int) -> Int?,
        _ body: () throws(InputError) -> Result
    ) throws(InputError) -> Result {
        do {
            return try body()
        } catch {
            var moved = error
            moved.column = error.column.flatMap(columns)
            throw moved
        }
    }
}

/// A member estimator of a composite that hands every member the same rows (voting,
/// stacking, one-vs-rest, multi-output): its name for messages and what it accepts.
struct Member<Kind: Sendable>: Sendable {
    let name: String
    let kind: Kind
    let textColumns: Set<Int>
    let acceptsMissing: Bool
    /// Whether the member reads its rows as float32 (a tree, or a pipeline starting with one).
    var castsToFloat32 = false

    /// Refuses what this member would refuse, naming the composite's own columns.
    func check(_ input: Matrix) throws(InputError) {
        try MemberInput.check(
            input,
            name: name,
            textColumns: textColumns,
            acceptsMissing: acceptsMissing,
            requestColumns: { $0 }
        )
        if castsToFloat32 {
            try MemberInput.requireFloat32Range(input, name: name, requestColumns: { $0 })
        }
    }
}

extension Member where Kind == any Classifier {
    /// The label values of this member's `classes_` as numbers; scikit-learn's
    /// meta-estimators fit their members on encoded labels 0, 1, … and read them back as
    /// numbers.
    func numericLabels(owner: FittedObject, attribute: String) throws(EstimatorError)
        -> [Double]
    {
        switch kind.classes {
        case .integers(let labels): return labels.map(Double.init)
        case .floats(let labels): return labels
        case .booleans(let labels): return labels.map { $0 ? 1 : 0 }
        default:
            throw owner.error(attribute, "\(name) has non-numeric classes")
        }
    }
}

/// Textual and missing-value rules of a group of members that all see the same rows, and
/// their outputs on those rows.
enum MemberRules {
    /// Each member's `output` on `input`, in member order, every member first refusing what
    /// it would refuse.
    static func outputs<Kind, Output>(
        _ members: [Member<Kind>],
        _ input: Matrix,
        _ output: (Kind) throws(InputError) -> Output
    ) throws(InputError) -> [Output] {
        var outputs: [Output] = []
        for member in members {
            try member.check(input)
            outputs.append(try output(member.kind))
        }
        return outputs
    }

    /// Text is accepted where every member takes it.
    static func textColumns<Kind>(_ members: [Member<Kind>]) -> Set<Int> {
        guard let first = members.first else { return [] }
        return members.dropFirst().reduce(first.textColumns) { $0.intersection($1.textColumns) }
    }

    static func acceptsMissing<Kind>(_ members: [Member<Kind>]) -> Bool {
        members.allSatisfy(\.acceptsMissing)
    }
}

extension EstimatorRegistry {
    /// A list attribute of fitted estimators (`estimators_`), each built to a member.
    static func memberList(_ object: FittedObject, _ attribute: String) throws(EstimatorError)
        -> [FittedObject]
    {
        // OneVsOneClassifier keeps a tuple, the others a list.
        let items: [PickleValue]
        switch try object.value(attribute) {
        case .list(let list): items = list.items
        case .tuple(let tuple): items = tuple
        default: items = []
        }
        guard !items.isEmpty else {
            throw object.error(attribute, "expected a non-empty list of fitted estimators")
        }
        var members: [FittedObject] = []
        for item in items { members.append(try FittedObject(item)) }
        return members
    }

    /// `estimators_`, each built by `member` (``classifierMember(_:depth:owner:)`` or
    /// ``regressorMember(_:depth:owner:)``).
    static func builtMembers<Kind>(
        _ object: FittedObject,
        depth: Int,
        _ member: (FittedObject, Int, FittedObject) throws(EstimatorError) -> Member<Kind>
    ) throws(EstimatorError) -> [Member<Kind>] {
        var members: [Member<Kind>] = []
        for fitted in try memberList(object, "estimators_") {
            members.append(try member(fitted, depth, object))
        }
        return members
    }

    static func classifierMember(_ object: FittedObject, depth: Int, owner: FittedObject)
        throws(EstimatorError) -> Member<any Classifier>
    {
        guard case .classifier(let classifier) = try estimator(object, depth: depth + 1) else {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                "\(owner.className) needs classifiers here"
            )
        }
        return Member(
            name: object.className,
            kind: classifier,
            textColumns: classifier.textColumns,
            acceptsMissing: classifier.acceptsMissing,
            castsToFloat32: castsInputsToFloat32(object)
        )
    }

    static func regressorMember(_ object: FittedObject, depth: Int, owner: FittedObject)
        throws(EstimatorError) -> Member<any Regressor>
    {
        guard case .regressor(let regressor) = try estimator(object, depth: depth + 1),
            regressor.targetCount == nil
        else {
            throw EstimatorError(
                .unsupportedOption,
                className: object.qualifiedName,
                "\(owner.className) needs single-target regressors here"
            )
        }
        return Member(
            name: object.className,
            kind: regressor,
            textColumns: regressor.textColumns,
            acceptsMissing: regressor.acceptsMissing,
            castsToFloat32: castsInputsToFloat32(object)
        )
    }

    /// Every member must take the composite's width.
    static func commonWidth(_ widths: [Int], _ owner: FittedObject) throws(EstimatorError)
        -> Int
    {
        guard let first = widths.first, widths.allSatisfy({ $0 == first }) else {
            throw owner.error("estimators_", "members take different numbers of features")
        }
        return first
    }
}

extension Matrix {
    /// `np.hstack`: the parts' columns side by side in order, in a matrix of `columns`
    /// columns (the parts' total) and `rows` rows (each part's).
    static func sideBySide(_ parts: [Matrix], rows: Int, columns: Int) -> Matrix {
        var result = Matrix(rows: rows, columns: columns)
        var start = 0
        for part in parts {
            for row in 0..<rows {
                for column in 0..<part.columns { result[row, start + column] = part[row, column] }
            }
            start += part.columns
        }
        return result
    }
}
