import Estimators
import TestSupport
import Testing

@testable import Serving

/// A multilabel classifier over every dialect: `predict` is a row of 0s and 1s per row (one
/// per label), `predict_proba` and `decision_function` one row of numbers per row, `classes`
/// naming the columns; the values are scikit-learn's own (conformance fixtures).
@Suite struct MultilabelServingTests {
    typealias Answer = OpenInferenceTests.Answer

    /// `OneVsRestClassifier(LogisticRegression())` on four iris labels: all three outputs.
    static let caseName = "compose-one-vs-rest-multilabel"

    static func fixture(_ environment: String = "sklearn-1.9.1", _ name: String = caseName)
        throws -> ConformanceFixture
    {
        try #require(
            ConformanceFixture.all.first { $0.environment == environment && $0.caseName == name }
        )
    }

    static func service(_ fixture: ConformanceFixture) throws -> PredictionService {
        PredictionService(
            models: [ServedModel(name: "m", model: try ModelLoader.load(path: fixture.modelPath))]
        )
    }

    static func rows(_ recorded: TestJSON) throws -> [[Double]] {
        try #require(recorded["rows"]?.matrix)
    }

    static func jsonRows(_ rows: [[Double]]) -> String {
        "["
            + rows.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(
                separator: ","
            ) + "]"
    }

    static func expectMatrix(_ actual: TestJSON?, _ wanted: TestJSON?) throws {
        let actualRows = try #require(actual?.array)
        let wantedRows = try #require(wanted?.array)
        #expect(actualRows.count == wantedRows.count)
        for (row, expected) in zip(actualRows, wantedRows) {
            try OpenInferenceTests.expectClose(row, expected)
        }
    }

    static let labels: TestJSON = .array((0..<4).map { .number(Double($0), text: "\($0)") })

    @Test(arguments: ["sklearn-1.1.3", "sklearn-1.3.2", "sklearn-1.5.2", "sklearn-1.9.1"])
    func nativeGivesEveryOutputAsScikitLearn(_ environment: String) throws {
        let fixture = try Self.fixture(environment)
        let recorded = try fixture.recorded()
        let body =
            #"{"features": \#(Self.jsonRows(try Self.rows(recorded))), "#
            + #""outputs": ["predict", "predict_proba", "decision_function"]}"#
        let answer = OpenInferenceTests.send(try Self.service(fixture), "POST", "/predict", body)
        #expect(answer.status == 200, "\(answer.error)")
        let outputs = try #require(recorded["outputs"])
        // Exact integers, as scikit-learn's int64 indicator matrix.
        #expect(answer.json?["predictions"] == outputs["predict"])
        try Self.expectMatrix(answer.json?["probabilities"], outputs["predict_proba"])
        #expect(answer.json?["classes"] == Self.labels)
        try Self.expectMatrix(answer.json?["decision_function"], outputs["decision_function"])
    }

    @Test func aSingleRowGivesOneRowOfLabels() throws {
        let fixture = try Self.fixture()
        let recorded = try fixture.recorded()
        let rows = try Self.rows(recorded)
        let service = try Self.service(fixture)
        // The first row has no label, the fifth all four.
        for index in [0, 4] {
            let body = #"{"features": \#(Self.jsonRows([rows[index]]).dropFirst().dropLast())}"#
            let answer = OpenInferenceTests.send(service, "POST", "/predict", body)
            #expect(answer.status == 200, "\(answer.error)")
            let expected = try #require(recorded["outputs"]?["predict"]?.array?[index])
            #expect(answer.json?["prediction"] == expected)
            let sum = expected.array?.compactMap(\.double).reduce(0, +)
            #expect(sum == (index == 0 ? 0 : 4))
        }
    }

    @Test func csvBodiesAnswerAsJSONOnes() throws {
        let fixture = try Self.fixture()
        let recorded = try fixture.recorded()
        let rows = try Self.rows(recorded)
        let csv = rows.map { $0.map { "\($0)" }.joined(separator: ",") }.joined(separator: "\n")
        let service = try Self.service(fixture)
        let native = OpenInferenceTests.send(
            service,
            "POST",
            "/predict",
            csv,
            contentType: "text/csv"
        )
        #expect(native.status == 200, "\(native.error)")
        #expect(native.json?["predictions"] == recorded["outputs"]?["predict"])
        let mlflow = OpenInferenceTests.send(
            service,
            "POST",
            "/invocations",
            "a,b,c,d\n" + csv,
            contentType: "text/csv"
        )
        #expect(mlflow.status == 200, "\(String(decoding: mlflow.response.body, as: UTF8.self))")
        #expect(mlflow.json?["predictions"] == recorded["outputs"]?["predict"])
    }

    @Test func kserveAndMLflowAnswerPredictionsAndProbabilities() throws {
        let fixture = try Self.fixture()
        let recorded = try fixture.recorded()
        let rows = Self.jsonRows(try Self.rows(recorded))
        let service = try Self.service(fixture)
        let outputs = try #require(recorded["outputs"])
        let v1 = OpenInferenceTests.send(
            service,
            "POST",
            "/v1/models/m:predict",
            #"{"instances": \#(rows)}"#
        )
        #expect(v1.status == 200, "\(v1.error)")
        #expect(v1.json?["predictions"] == outputs["predict"])
        let v1Probabilities = OpenInferenceTests.send(
            service,
            "POST",
            "/v1/models/m:predict",
            #"{"instances": \#(rows), "outputs": ["predict_proba"]}"#
        )
        try Self.expectMatrix(v1Probabilities.json?["predictions"], outputs["predict_proba"])
        #expect(v1Probabilities.json?["classes"] == Self.labels)
        let mlflow = OpenInferenceTests.send(
            service,
            "POST",
            "/invocations",
            #"{"dataframe_split": {"columns": ["a", "b", "c", "d"], "data": \#(rows)}}"#
        )
        #expect(mlflow.status == 200)
        #expect(mlflow.json?["predictions"] == outputs["predict"])
    }

    @Test func openInferenceTensorsAreRowsByLabels() throws {
        let fixture = try Self.fixture()
        let recorded = try fixture.recorded()
        let rows = try Self.rows(recorded)
        let data = rows.flatMap { $0 }.map { "\($0)" }.joined(separator: ",")
        let answer = OpenInferenceTests.send(
            try Self.service(fixture),
            "POST",
            "/v2/models/m/infer",
            #"{"inputs":[{"name":"input-0","shape":[\#(rows.count),4],"datatype":"FP64","#
                + #""data":[\#(data)]}],"outputs":[{"name":"predict"},{"name":"predict_proba"},"#
                + #"{"name":"decision_function"}]}"#
        )
        #expect(answer.status == 200, "\(answer.error)")
        let shape: [Double?] = [Double(rows.count), 4]
        let outputs = try #require(recorded["outputs"])
        let predict = try #require(answer.output("predict"))
        #expect(predict["shape"]?.array?.map(\.double) == shape)
        #expect(predict["datatype"]?.string == "INT64")
        #expect(predict["data"]?.array == outputs["predict"]?.array?.flatMap { $0.array ?? [] })
        for name in ["predict_proba", "decision_function"] {
            let tensor = try #require(answer.output(name))
            #expect(tensor["shape"]?.array?.map(\.double) == shape, "\(name)")
            #expect(tensor["datatype"]?.string == "FP64")
            let flat = outputs[name]?.array?.flatMap { $0.array ?? [] }
            try OpenInferenceTests.expectClose(tensor["data"], flat.map(TestJSON.array))
        }
        let probabilities = try #require(answer.output("predict_proba"))
        #expect(probabilities["parameters"]?["classes"] == Self.labels)
    }

    @Test func openInferenceMetadataDescribesEachOutput() throws {
        let answer = OpenInferenceTests.send(
            try Self.service(try Self.fixture()),
            "GET",
            "/v2/models/m"
        )
        #expect(answer.status == 200)
        let outputs = try #require(answer.json?["outputs"]?.array)
        let described = outputs.map { output in
            [
                output["name"]?.string ?? "", output["datatype"]?.string ?? "",
                "\(output["shape"]?.array?.compactMap(\.double) ?? [])",
            ]
        }
        #expect(
            described == [
                ["predict", "INT64", "[-1.0, 4.0]"],
                ["predict_proba", "FP64", "[-1.0, 4.0]"],
                ["decision_function", "FP64", "[-1.0, 4.0]"],
            ]
        )
        #expect(answer.json?["classes"] == Self.labels)
    }

    /// The document says how a multilabel model answers, in each dialect's response, and
    /// lets KServe V1 and V2 carry the `classes` they send.
    @Test func theOpenAPIDocumentDescribesMultilabelAnswers() throws {
        let answer = OpenInferenceTests.send(
            try Self.service(try Self.fixture()),
            "GET",
            "/openapi.json"
        )
        let schemas = try #require(answer.json?["components"]?["schemas"])
        let native = try #require(schemas["NativeResponse"]?["properties"])
        #expect(native["probabilities"]?["description"]?.string?.contains("multilabel") == true)
        #expect(native["classes"]?["description"]?.string?.contains("multilabel") == true)
        #expect(schemas["Entry"]?["description"]?.string?.contains("multilabel") == true)
        #expect(schemas["V1PredictResponse"]?["properties"]?["classes"] != nil)
        let v2Classes = schemas["V2ResponseOutput"]?["properties"]?["parameters"]?["properties"]?[
            "classes"
        ]
        #expect(v2Classes?["description"]?.string?.contains("multilabel") == true)
    }

    /// A ridge classifier has no `predict_proba`: asking for it is the model's error, 422.
    @Test func ridgeOffersPredictAndDecisionFunctionOnly() throws {
        let fixture = try Self.fixture("sklearn-1.5.2", "linear-ridge-classifier-multilabel")
        let recorded = try fixture.recorded()
        let service = try Self.service(fixture)
        let rows = Self.jsonRows(try Self.rows(recorded))
        let answer = OpenInferenceTests.send(
            service,
            "POST",
            "/predict",
            #"{"features": \#(rows), "outputs": ["predict", "decision_function"]}"#
        )
        #expect(answer.status == 200, "\(answer.error)")
        #expect(answer.json?["predictions"] == recorded["outputs"]?["predict"])
        try Self.expectMatrix(
            answer.json?["decision_function"],
            recorded["outputs"]?["decision_function"]
        )
        let refused = OpenInferenceTests.send(
            service,
            "POST",
            "/predict",
            #"{"features": \#(rows), "outputs": ["predict_proba"]}"#
        )
        #expect(refused.status == 422)
    }
}
