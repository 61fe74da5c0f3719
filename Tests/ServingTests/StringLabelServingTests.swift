import Estimators
import Serving
import TestSupport
import Testing

/// String labels that start with a NUL or hold quotes, backslashes, newlines and non-ASCII
/// text, answered through the native JSON dialect (Tests/Fixtures/labels).
@Suite struct StringLabelServingTests {
    static let folder = "\(Fixtures.root)/labels"

    @Test(arguments: ["nul_labels.joblib", "nul_labels_big_endian.pkl"])
    func labelsTravelWholeThroughJSON(_ file: String) throws {
        let expected = try TestJSON.read(path: "\(Self.folder)/expected.json")
        let service = PredictionService(
            models: [
                ServedModel(
                    name: "labels",
                    model: try ModelLoader.load(path: "\(Self.folder)/\(file)")
                )
            ],
            defaultModel: "labels"
        )
        let rows = try #require(expected["rows"]?.array).map { row in
            try #require(row.array).map { "\(try #require($0.double))" }
        }
        let body =
            #"{"instances": ["#
            + rows.map { "[\($0.joined(separator: ", "))]" }
            .joined(separator: ", ") + #"], "outputs": ["predict", "predict_proba"]}"#
        let response = service.respond(
            to: HTTPRequest(
                method: "POST",
                path: "/predict",
                contentType: "application/json",
                body: Array(body.utf8)
            )
        )
        #expect(response.status == 200)
        let json = try TestJSON.parse(response.body)
        #expect(json["classes"] == expected["classes"])
        #expect(json["predictions"] == expected["predict"])
        #expect(json["classes"]?.array?.first?.string == "\u{0}x")
    }
}
