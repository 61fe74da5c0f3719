import Estimators
import Serving
import TestSupport
import Testing

/// Models fitted on pandas DataFrames with string columns, served through the native
/// dialect: rows by name with strings, compared with what scikit-learn recorded for the
/// same rows in a conformance fixture.
@Suite struct NamedCategoryTests {
    /// A pipeline of a ColumnTransformer (one-hot `color` and `size` with
    /// handle_unknown='error', scaled `weight`, `height` passed through) and a
    /// LogisticRegression with string labels, from each scikit-learn version.
    static let fixtures = ConformanceFixture.all.filter { $0.caseName == "compose-columns-by-name" }

    static func post(_ fixture: ConformanceFixture, _ body: String) throws -> (
        status: Int, json: TestJSON?
    ) {
        let service = PredictionService(
            models: [
                ServedModel(name: "shop", model: try ModelLoader.load(path: fixture.modelPath))
            ],
            defaultModel: "shop"
        )
        let response = service.respond(
            to: HTTPRequest(
                method: "POST",
                path: "/predict",
                contentType: "application/json",
                body: Array(body.utf8)
            )
        )
        return (response.status, try? TestJSON.parse(response.body))
    }

    /// The recorded rows as JSON objects, keys in reverse order of the columns.
    static func namedRows(_ recorded: TestJSON) throws -> String {
        let listed = recorded["feature_names"]?.array?.compactMap { $0.string }
        let names = try #require(listed)
        let rows = try #require(recorded["rows"]?.array)
        let objects = try rows.map { row in
            let cells = try #require(row.array)
            let pairs = zip(names, cells).reversed().map { name, cell in
                let value = cell.string.map { "\"\($0)\"" } ?? "\(cell.double ?? .nan)"
                return "\"\(name)\": \(value)"
            }
            return "{" + pairs.joined(separator: ", ") + "}"
        }
        return "[" + objects.joined(separator: ", ") + "]"
    }

    /// Wrappers over pipelines that take text: soft voting, stacking, a target transform,
    /// a multi-output classifier, and a column transformer with a pipeline member.
    static let wrappers = ConformanceFixture.all.filter { $0.caseName.hasPrefix("compose-frame-") }

    @Test func everyEnvironmentHasTheFixture() {
        #expect(Self.fixtures.count == 4)
        #expect(Self.wrappers.count == 4 * 5)
    }

    @Test(arguments: wrappers)
    func wrappersTakeNamedRowsWithStrings(_ fixture: ConformanceFixture) throws {
        let recorded = try fixture.recorded()
        guard case .object(let outputs) = recorded["outputs"] else {
            Issue.record("\(fixture): no outputs")
            return
        }
        let (status, json) = try Self.post(
            fixture,
            #"{"instances": "# + (try Self.namedRows(recorded)) + #", "outputs": ["#
                + outputs.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ") + "]}"
        )
        #expect(status == 200, "\(fixture): \(String(describing: json))")
        if let labels = outputs["predict"], labels.array?.first?.double == nil {
            #expect(json?["predictions"] == labels, "\(fixture)")
        } else if let values = outputs["predict"]?.array {
            let ours = try #require(json?["predictions"]?.array)
            #expect(ours.count == values.count)
            for (value, reference) in zip(ours, values) {
                let (a, b) = (value.double ?? .nan, reference.double ?? .nan)
                #expect(abs(a - b) <= 1e-9 * max(1, abs(b)), "\(fixture)")
            }
        }
        if let transformed = outputs["transform"]?.matrix {
            let ours = try #require(json?["transform"]?.matrix)
            #expect(ours.count == transformed.count)
            for (row, reference) in zip(ours, transformed) {
                for (a, b) in zip(row, reference) {
                    #expect(abs(a - b) <= 1e-9 * max(1, abs(b)), "\(fixture)")
                }
            }
        }
    }

    @Test(arguments: fixtures)
    func namedRowsWithStringsGetScikitLearnsAnswers(_ fixture: ConformanceFixture) throws {
        let recorded = try fixture.recorded()
        let (status, json) = try Self.post(
            fixture,
            #"{"instances": "# + (try Self.namedRows(recorded))
                + #", "outputs": ["predict", "predict_proba"]}"#
        )
        #expect(status == 200)
        let expected = try #require(recorded["outputs"]?["predict"]?.array)
        #expect(json?["predictions"]?.array == expected)
        let probabilities = try #require(json?["probabilities"]?.matrix)
        let recordedProbabilities = try #require(recorded["outputs"]?["predict_proba"]?.matrix)
        #expect(probabilities.count == recordedProbabilities.count)
        for (ours, theirs) in zip(probabilities, recordedProbabilities) {
            #expect(ours.count == theirs.count)
            for (value, reference) in zip(ours, theirs) {
                #expect(abs(value - reference) <= 1e-9 * max(1, abs(reference)))
            }
        }
        #expect(json?["classes"] == recorded["classes"])
    }

    @Test(arguments: fixtures)
    func unknownCategoryIsRefusedNamingRowAndColumn(_ fixture: ConformanceFixture) throws {
        let (status, json) = try Self.post(
            fixture,
            #"{"instances": [{"color": "red", "size": "S", "weight": 70, "height": 170}, "#
                + #"{"height": 170, "weight": 70, "size": "M", "color": "purple"}]}"#
        )
        #expect(status == 422)
        #expect(json?["code"]?.string == "invalid_row")
        let message = try #require(json?["error"]?.string)
        #expect(message.contains("row 1"))
        #expect(message.contains("column 0"))
        #expect(message.contains("'color'"))
        #expect(message.contains("\"purple\""))
    }

    /// A missing value is not a category: the message calls it what it is.
    @Test(arguments: fixtures)
    func missingCategoryIsRefusedAsAMissingValue(_ fixture: ConformanceFixture) throws {
        let (status, json) = try Self.post(
            fixture,
            #"{"features": {"color": null, "size": "S", "weight": 70, "height": 170}}"#
        )
        #expect(status == 422)
        #expect(json?["code"]?.string == "invalid_row")
        let message = try #require(json?["error"]?.string)
        #expect(
            message.hasSuffix(
                ": a missing value in feature 'color', which OneHotEncoder refuses "
                    + "(handle_unknown='error')"
            ),
            "\(message)"
        )
        #expect(!message.contains("unknown category"))
        let unknown = try Self.post(
            fixture,
            #"{"features": {"color": "purple", "size": "S", "weight": 70, "height": 170}}"#
        )
        #expect(
            unknown.json?["error"]?.string?.hasSuffix(
                ": unknown category \"purple\" in feature 'color', which OneHotEncoder "
                    + "refuses (handle_unknown='error')"
            ) == true,
            "\(String(describing: unknown.json))"
        )
    }

    /// A column that takes text says so when it gets a boolean or a list; a number column
    /// asks for a number only.
    @Test(arguments: fixtures)
    func wrongValueTypeNamesWhatTheColumnTakes(_ fixture: ConformanceFixture) throws {
        for value in ["true", "[1]"] {
            let (_, json) = try Self.post(
                fixture,
                #"{"features": {"color": "# + value + #", "size": "S", "weight": 70, "height": 1}}"#
            )
            let message = try #require(json?["error"]?.string)
            #expect(message.contains("feature \"color\": expected a string or a number, found"))
        }
        let (_, json) = try Self.post(
            fixture,
            #"{"features": {"color": "red", "size": "S", "weight": true, "height": 170}}"#
        )
        let message = try #require(json?["error"]?.string)
        #expect(message.contains("feature \"weight\": expected a number, found"), "\(message)")
    }

    /// The scaler passes NaN on and the classifier after it refuses it, as in
    /// scikit-learn; by then the columns are no longer the request's.
    @Test(arguments: fixtures)
    func missingNumberIsRefusedNamingItsRow(_ fixture: ConformanceFixture) throws {
        let (status, json) = try Self.post(
            fixture,
            #"{"features": {"color": "red", "size": "S", "weight": null, "height": 170}}"#
        )
        #expect(status == 422)
        #expect(json?["code"]?.string == "invalid_row")
        #expect(json?["error"]?.string?.hasPrefix("row 0") == true)
    }

    @Test(arguments: fixtures)
    func stringsOnlyWhereTheModelTakesText(_ fixture: ConformanceFixture) throws {
        let (status, json) = try Self.post(
            fixture,
            #"{"features": {"color": "red", "size": "S", "weight": "heavy", "height": 170}}"#
        )
        #expect(status == 422)
        #expect(json?["code"]?.string == "value_type")
    }

    @Test(arguments: fixtures)
    func positionalRowsTakeStringsToo(_ fixture: ConformanceFixture) throws {
        let recorded = try fixture.recorded()
        let first = try #require(recorded["rows"]?.array?.first?.array)
        let cells = first.map { cell in cell.string.map { "\"\($0)\"" } ?? "\(cell.double ?? 0)" }
        let (status, json) = try Self.post(
            fixture,
            #"{"features": ["# + cells.joined(separator: ", ") + "]}"
        )
        #expect(status == 200)
        #expect(json?["prediction"] == recorded["outputs"]?["predict"]?.array?.first)
    }
}
