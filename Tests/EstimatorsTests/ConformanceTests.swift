import Arrays
import Estimators
import TestSupport
import Testing

/// Every conformance case, in every scikit-learn environment: the model offers exactly the
/// outputs scikit-learn's estimator has, each equal to what scikit-learn returned (bit for
/// bit for trees and their ensembles, else within 1e-9 relative, 1e-9 absolute below 1), and
/// refuses the rows scikit-learn refused.
@Suite struct ConformanceTests {
    @Test(arguments: ConformanceFixture.all)
    func outputsMatchScikitLearn(_ fixture: ConformanceFixture) throws {
        let recorded = try fixture.recorded()
        let module = try #require(recorded["module"]?.string)
        let estimator = try #require(recorded["estimator"]?.string)
        for (path, className) in fixture.modelFiles(recorded) {
            let model = try EstimatorRegistry.model(from: try ModelFile.load(path: path))
            #expect(model.estimatorClass == className ?? "\(module).\(estimator)", "\(path)")
            try Self.check(model, against: recorded, fixture)
        }
    }

    /// Compares one loaded model's classes and outputs with the recorded ones.
    static func check(_ model: Model, against recorded: TestJSON, _ fixture: ConformanceFixture)
        throws
    {
        if let names = recorded["feature_names"]?.array {
            #expect(model.featureNames == names.compactMap(\.string))
        }
        if let classes = recorded["classes"]?.array {
            #expect(Self.same(model.classes.map(ClassLabels.result) ?? .numbers([]), classes))
            // One list of classes and a row of labels per row: scikit-learn's multilabel
            // classifier, whose classes name the columns of its indicator matrix.
            let predictsRows = recorded["outputs"]?["predict"]?.array?.first?.array != nil
            #expect(model.isMultilabel == predictsRows, "\(fixture): multilabel")
        }
        if let perOutput = recorded["classes_per_output"]?.array {
            let ours = model.classesPerOutput ?? []
            #expect(ours.count == perOutput.count)
            for (labels, listed) in zip(ours, perOutput) {
                #expect(Self.same(.labels(labels), listed, exact: true))
            }
        }
        let exact = recorded["exact"] == .bool(true)
        let rows = ConformanceFixture.matrix(try #require(recorded["rows"]?.array))
        guard case .object(let outputs) = recorded["outputs"] else {
            Issue.record("\(fixture): no outputs recorded")
            return
        }
        #expect(
            Set(model.outputs.map(\.rawValue)) == Set(outputs.keys),
            "\(fixture): offers \(model.outputs.map(\.rawValue))"
        )
        for (name, expected) in outputs.sorted(by: { $0.key < $1.key }) {
            guard let output = ModelOutput(rawValue: name), model.outputs.contains(output) else {
                continue
            }
            let result = try model.compute(output, rows)
            #expect(
                Self.same(result, expected, exact: exact),
                "\(fixture) \(name): \(result)"
            )
        }
    }

    @Test(arguments: ConformanceFixture.all)
    func refusesWhatScikitLearnRefuses(_ fixture: ConformanceFixture) throws {
        let recorded = try fixture.recorded()
        let refused = recorded["refused"]?.array ?? []
        guard !refused.isEmpty else { return }
        for (path, _) in fixture.modelFiles(recorded) {
            let model = try EstimatorRegistry.model(from: try ModelFile.load(path: path))
            for entry in refused {
                let row = ConformanceFixture.matrix([try #require(entry["row"])])
                let output = try #require(model.outputs.first)
                #expect(throws: InputError.self, "\(path): \(entry)") {
                    _ = try model.compute(output, row)
                }
            }
        }
    }

    @Test func everyEnvironmentHasCases() {
        let environments = Set(ConformanceFixture.all.map(\.environment))
        #expect(
            environments == ["sklearn-1.1.3", "sklearn-1.3.2", "sklearn-1.5.2", "sklearn-1.9.1"]
        )
    }

    /// Whether a result equals what scikit-learn recorded, in shape and value.
    static func same(_ result: ModelResult, _ expected: [TestJSON], exact: Bool = true) -> Bool {
        switch result {
        case .labels(let labels):
            return labels.testJSON.count == expected.count
                && zip(labels.testJSON, expected).allSatisfy(sameLabel)
        case .numbers(let values):
            return values.count == expected.count
                && zip(values, expected).allSatisfy { value, listed in
                    guard let recorded = ConformanceFixture.double(listed) else { return false }
                    return close(value, recorded, exact: exact)
                }
        case .matrix(let matrix):
            guard matrix.rows == expected.count else { return false }
            for (row, listed) in expected.enumerated() {
                guard let cells = listed.array, cells.count == matrix.columns else { return false }
                for (column, cell) in cells.enumerated() {
                    guard let recorded = ConformanceFixture.double(cell),
                        close(matrix[row, column], recorded, exact: exact)
                    else { return false }
                }
            }
            return true
        case .labelColumns(let columns):
            // scikit-learn's 2-D array: a row of labels, one per output, per input row.
            return expected.enumerated().allSatisfy { row, listed in
                guard let cells = listed.array, cells.count == columns.count else { return false }
                return zip(columns, cells).allSatisfy { labels, cell in
                    row < labels.count && sameLabel(labels.take([row]).testJSON[0], cell)
                }
            } && columns.allSatisfy { $0.count == expected.count }
        case .matrices(let matrices):
            return matrices.count == expected.count
                && zip(matrices, expected).allSatisfy { matrix, listed in
                    same(.matrix(matrix), listed, exact: exact)
                }
        }
    }

    static func same(_ result: ModelResult, _ expected: TestJSON, exact: Bool) -> Bool {
        guard let items = expected.array else { return false }
        return same(result, items, exact: exact)
    }

    /// Labels compare by value: the generator writes floats with 17 digits, Swift with the
    /// fewest that round-trip.
    static func sameLabel(_ ours: TestJSON, _ theirs: TestJSON) -> Bool {
        switch (ours, theirs) {
        case (.number(let left, _), .number(let right, _)): left == right
        default: ours == theirs
        }
    }

    /// The parity rule: bit for bit where `exact`, else 1e-9 relative, absolute below 1.
    static func close(_ actual: Double, _ expected: Double, exact: Bool) -> Bool {
        if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN }
        if exact || actual.isInfinite || expected.isInfinite { return actual == expected }
        return abs(actual - expected) <= 1e-9 * max(1, abs(expected))
    }
}

extension ClassLabels {
    fileprivate static func result(_ labels: ClassLabels) -> ModelResult { .labels(labels) }
}
