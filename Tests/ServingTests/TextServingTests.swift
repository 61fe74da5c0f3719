import Estimators
import Serving
import TestSupport
import Testing

/// A text pipeline (TfidfVectorizer then LogisticRegression, string labels) served in every
/// dialect: a bare string is a row, a list of strings is a list of rows, and a number where
/// a document belongs is refused naming its row, as scikit-learn fails on it.
@Suite struct TextServingTests {
    static let fixture = ConformanceFixture.all.first {
        $0.description == "sklearn-1.9.1/text-pipeline-tfidf-logistic"
    }!

    static func respond(
        _ path: String,
        _ body: String,
        contentType: String = "application/json"
    ) throws -> (status: Int, json: TestJSON?) {
        let service = PredictionService(
            models: [
                ServedModel(name: "topics", model: try ModelLoader.load(path: fixture.modelPath))
            ],
            defaultModel: "topics"
        )
        let response = service.respond(
            to: HTTPRequest(
                method: "POST",
                path: path,
                contentType: contentType,
                body: Array(body.utf8)
            )
        )
        return (response.status, try? TestJSON.parse(response.body))
    }

    /// The recorded documents and labels, and the documents as a JSON list.
    static func recorded() throws -> (documents: [String], labels: [TestJSON], list: String) {
        let recorded = try fixture.recorded()
        let documents = try #require(recorded["rows"]?.array).compactMap { $0.string }
        let labels = try #require(recorded["outputs"]?["predict"]?.array)
        #expect(documents.count == labels.count)
        return (documents, labels, "[" + documents.map(json).joined(separator: ", ") + "]")
    }

    /// A string as a JSON literal, with every character beyond ASCII escaped.
    static func json(_ text: String) -> String {
        var result = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: result += "\\\""
            case 0x5C: result += "\\\\"
            case 0x20..<0x7F: result.unicodeScalars.append(Unicode.Scalar(unit)!)
            default:
                let hex = String(unit, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return result + "\""
    }

    @Test func theModelTakesDocuments() throws {
        let model = try ModelLoader.load(path: Self.fixture.modelPath)
        #expect(model.takesDocuments)
        #expect(model.inputWidth == 1)
    }

    @Test func nativeTakesABareStringAsOneRow() throws {
        let (documents, labels, _) = try Self.recorded()
        let (status, json) = try Self.respond(
            "/predict",
            #"{"features": "# + Self.json(documents[0]) + "}"
        )
        #expect(status == 200)
        #expect(json?["prediction"] == labels[0])
    }

    @Test func nativeTakesAListOfStringsAsRows() throws {
        let (_, labels, list) = try Self.recorded()
        for key in ["features", "instances"] {
            let (status, json) = try Self.respond("/predict", #"{""# + key + #"": "# + list + "}")
            #expect(status == 200)
            #expect(json?["predictions"]?.array == labels)
        }
    }

    @Test func nativeTakesRowsOfOneString() throws {
        let (documents, labels, _) = try Self.recorded()
        let rows = documents.map { "[" + Self.json($0) + "]" }.joined(separator: ", ")
        let (status, json) = try Self.respond("/predict", #"{"instances": ["# + rows + "]}")
        #expect(status == 200)
        #expect(json?["predictions"]?.array == labels)
    }

    @Test func aNumberIsRefusedNamingItsRow() throws {
        for body in [
            #"{"features": ["the cat", 5]}"#, #"{"instances": ["the cat", null]}"#,
            #"{"instances": [["the cat"], [5]]}"#,
        ] {
            let (status, json) = try Self.respond("/predict", body)
            #expect(status == 422, "\(body)")
            #expect(json?["code"]?.string == "invalid_row", "\(body)")
            #expect(json?["error"]?.string?.contains("row 1") == true, "\(body)")
        }
    }

    @Test func kserveV1TakesAListOfStrings() throws {
        let (_, labels, list) = try Self.recorded()
        let (status, json) = try Self.respond(
            "/v1/models/topics:predict",
            #"{"instances": "# + list + "}"
        )
        #expect(status == 200)
        #expect(json?["predictions"]?.array == labels)
    }

    @Test func openInferenceTakesABytesTensorOfDocuments() throws {
        let (documents, labels, list) = try Self.recorded()
        for shape in ["[\(documents.count)]", "[\(documents.count), 1]"] {
            let body =
                #"{"inputs": [{"name": "text", "datatype": "BYTES", "shape": "# + shape
                + #", "data": "# + list + "}]}"
            let (status, json) = try Self.respond("/v2/models/topics/infer", body)
            #expect(status == 200, "\(shape)")
            #expect(json?["outputs"]?.array?.first?["data"]?.array == labels, "\(shape)")
        }
    }

    @Test func mlflowTakesInstancesAndSplitFrames() throws {
        let (documents, labels, list) = try Self.recorded()
        let rows = documents.map { "[" + Self.json($0) + "]" }.joined(separator: ", ")
        for body in [
            #"{"instances": "# + list + "}", #"{"inputs": "# + list + "}",
            #"{"dataframe_split": {"data": ["# + rows + "]}}",
        ] {
            let (status, json) = try Self.respond("/invocations", body)
            #expect(status == 200, "\(body)")
            #expect(json?["predictions"]?.array == labels, "\(body)")
        }
    }

    @Test func csvTakesOneDocumentPerLine() throws {
        let documents = ["the cat and the dog", "Caf\u{E9}, cr\u{E8}me \"br\u{FB}l\u{E9}e\""]
        let lines = documents.map {
            "\"" + $0.replacingQuoteMarks() + "\""
        }
        let asJSON = "[" + documents.map(Self.json).joined(separator: ", ") + "]"
        let (_, expected) = try Self.respond("/predict", #"{"instances": "# + asJSON + "}")
        let (status, json) = try Self.respond(
            "/predict",
            lines.joined(separator: "\n") + "\n",
            contentType: "text/csv; header=absent"
        )
        #expect(status == 200)
        #expect(json?["predictions"] == expected?["predictions"])
        let (mlflowStatus, mlflow) = try Self.respond(
            "/invocations",
            "text\n" + lines.joined(separator: "\r\n"),
            contentType: "text/csv"
        )
        #expect(mlflowStatus == 200)
        #expect(mlflow?["predictions"] == expected?["predictions"])
    }
}

extension String {
    /// The text with each `"` doubled, as a quoted CSV cell writes it.
    fileprivate func replacingQuoteMarks() -> String {
        var result = ""
        for character in self {
            result.append(character)
            if character == "\"" { result.append("\"") }
        }
        return result
    }
}

/// A union of a word and a character vectorizer also takes a bare string as a row.
@Suite struct TextUnionServingTests {
    @Test func aUnionOfVectorizersTakesDocuments() throws {
        let fixture = try #require(
            ConformanceFixture.all.first {
                $0.description == "sklearn-1.9.1/text-pipeline-union-logistic"
            }
        )
        let recorded = try fixture.recorded()
        let documents = try #require(recorded["rows"]?.array).compactMap { $0.string }
        let labels = try #require(recorded["outputs"]?["predict"]?.array)
        let model = try ModelLoader.load(path: fixture.modelPath)
        #expect(model.takesDocuments)
        let service = PredictionService(
            models: [ServedModel(name: "union", model: model)],
            defaultModel: "union"
        )
        let list = "[" + documents.map(TextServingTests.json).joined(separator: ", ") + "]"
        let response = service.respond(
            to: HTTPRequest(
                method: "POST",
                path: "/predict",
                contentType: "application/json",
                body: Array(#"{"instances": \#(list)}"#.utf8)
            )
        )
        #expect(response.status == 200)
        #expect(try TestJSON.parse(response.body)["predictions"]?.array == labels)
    }
}
