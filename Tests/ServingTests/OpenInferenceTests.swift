import Estimators
import Serving
import TestSupport
import Testing

/// The Open Inference (V2) dialect in memory, against the served-case models of cases.md
/// (Tests/Fixtures/served) and what scikit-learn recorded for them.
@Suite struct OpenInferenceTests {
    static let folder = Fixtures.root + "/served"

    static func model(_ fixture: String) throws -> Model {
        try ModelLoader.load(path: "\(folder)/\(fixture)/model.joblib")
    }

    /// The first recorded request of a fixture: its rows and scikit-learn's outputs.
    static func recorded(_ fixture: String) throws -> TestJSON {
        let expected = try TestJSON.read(path: "\(folder)/\(fixture)/expected.json")
        return try #require(expected["requests"]?.array?.first)
    }

    /// A service that serves `fixture` as `m`, the model name cases.md uses.
    static func service(_ fixture: String) throws -> PredictionService {
        PredictionService(models: [ServedModel(name: "m", model: try model(fixture))])
    }

    struct Answer {
        let status: Int
        let json: TestJSON?
        let response: HTTPResponse

        var error: String { json?["error"]?.string ?? "" }
        var code: String? { json?["code"]?.string }

        func output(_ name: String) -> TestJSON? {
            json?["outputs"]?.array?.first { $0["name"]?.string == name }
        }
    }

    static func send(
        _ service: PredictionService,
        _ method: String,
        _ path: String,
        _ body: String = "",
        contentType: String? = "application/json"
    ) -> Answer {
        let response = service.respond(
            to: HTTPRequest(
                method: method,
                path: path,
                contentType: contentType,
                body: Array(body.utf8)
            )
        )
        return Answer(
            status: response.status,
            json: try? TestJSON.parse(response.body),
            response: response
        )
    }

    static func infer(_ fixture: String, _ body: String, path: String = "/v2/models/m/infer")
        throws -> Answer
    {
        send(try service(fixture), "POST", path, body)
    }

    /// A request of one FP64 tensor holding the recorded rows.
    static func recordedRowsBody(_ fixture: String, outputs: [String] = []) throws -> String {
        let rows = try #require(try recorded(fixture)["rows"]?.array)
        let cells = try rows.map { row in
            try #require(row.array).map { cell in
                cell.double.map { "\($0)" } ?? "null"
            }
        }
        let width = cells.first?.count ?? 0
        let requested = outputs.map { #"{"name": "\#($0)"}"# }.joined(separator: ", ")
        return #"{"inputs": [{"name": "input-0", "shape": [\#(rows.count), \#(width)], "#
            + #""datatype": "FP64", "data": [\#(cells.flatMap { $0 }.joined(separator: ", "))]}]"#
            + (outputs.isEmpty ? "}" : #", "outputs": [\#(requested)]}"#)
    }

    static func expectClose(_ actual: TestJSON?, _ wanted: TestJSON?, exact: Bool = false) throws {
        let actualValues = try #require(actual?.array).map { $0.double ?? .nan }
        let wantedValues = try #require(wanted?.array).map { try #require($0.double) }
        #expect(actualValues.count == wantedValues.count)
        for (value, expected) in zip(actualValues, wantedValues) {
            #expect(exact ? value == expected : Fixtures.close(value, expected), "\(value)")
        }
    }

    /// The recorded probabilities, flattened row by row as V2 `data` is.
    static func flatProbabilities(_ fixture: String) throws -> TestJSON {
        .array(
            try #require(try recorded(fixture)["predict_proba"]?.array).flatMap { $0.array ?? [] }
        )
    }

    // MARK: - C42: tensor formats

    static let l4Flat =
        #"{"id":"abc-1","inputs":[{"name":"input-0","shape":[2,4],"datatype":"FP32","#
        + #""data":[1,1,0,0,2,0,0,0]}]}"#

    @Test func c42FlatFP32TensorIsAnswered() throws {
        let answer = try Self.infer("l4", Self.l4Flat)
        #expect(answer.status == 200)
        let json = try #require(answer.json)
        #expect(json["id"]?.string == "abc-1")
        #expect(json["model_name"]?.string == "m")
        #expect(json["model_version"]?.string == "1")
        let outputs = try #require(json["outputs"]?.array)
        #expect(outputs.count == 1)
        let predict = try #require(answer.output("predict"))
        #expect(predict["shape"]?.array?.map(\.double) == [2])
        #expect(predict["datatype"]?.string == "FP64")
        #expect(predict["parameters"] == nil)
        // cases.md: exactly [3.5, 2.5], as scikit-learn recorded.
        try Self.expectClose(predict["data"], try Self.recorded("l4")["predict"], exact: true)
    }

    @Test(arguments: [
        #"{"id":"abc-1","inputs":[{"name":"input-0","shape":[2,4],"datatype":"FP32","#
            + #""data":[[1,1,0,0],[2,0,0,0]]}]}"#,
        #"{"id":"abc-1","inputs":[{"name":"input-0","shape":[2,4],"datatype":"INT64","#
            + #""data":[1,1,0,0,2,0,0,0]}]}"#,
        #"{"inputs":[{"data":[[1,1,0,0],[2,0,0,0]],"datatype":"FP64","shape":[2,4],"#
            + #""name":"input-0"}],"id":"abc-1"}"#,
        #"{"id":"abc-1","inputs":[{"name":"input-0","shape":[2,4],"datatype":"FP64","#
            + #""data":[1,1,0,0,2,0,0,0]}],"outputs":[{"name":"predict","#
            + #""parameters":{"binary_data":true}}]}"#,
    ])
    func c42NestedIntegerAndReorderedTensorsGiveTheSameAnswer(body: String) throws {
        let flat = try Self.infer("l4", Self.l4Flat)
        let other = try Self.infer("l4", body)
        #expect(other.status == 200, "\(other.error)")
        #expect(other.json == flat.json)
    }

    @Test func c42ShapeThatDisagreesWithTheValuesIs400() throws {
        let answer = try Self.infer(
            "l4",
            #"{"inputs":[{"name":"input-0","shape":[2,4],"datatype":"FP32","#
                + #""data":[1,1,0,0,2,0,0]}]}"#
        )
        #expect(answer.status == 400)
        #expect(answer.code == "bad_request")
        #expect(answer.error.contains("shape [2,4] needs 8 values, got 7"), "\(answer.error)")
    }

    @Test func c42ShapeAsAStringIs400() throws {
        let answer = try Self.infer(
            "l4",
            #"{"inputs":[{"name":"input-0","shape":"2,4","datatype":"FP32","#
                + #""data":[1,1,0,0,2,0,0,0]}]}"#
        )
        #expect(answer.status == 400)
        #expect(answer.error.contains("\"shape\" must be a list of non-negative integers"))
    }

    @Test func c42KServeV1BodyIs400NamingTheV2Fields() throws {
        let answer = try Self.infer("l4", #"{"instances": [[1,1,0,0],[2,0,0,0]]}"#)
        #expect(answer.status == 400)
        #expect(answer.code == "bad_request")
        for field in ["\"inputs\"", "\"name\"", "\"shape\"", "\"datatype\"", "\"data\""] {
            #expect(answer.error.contains(field), "\(answer.error)")
        }
        #expect(answer.error.contains("\"instances\""))
    }

    @Test func v1RowsUnderInputsAre400() throws {
        let answer = try Self.infer("l4", #"{"inputs": [[1,1,0,0],[2,0,0,0]]}"#)
        #expect(answer.status == 400)
        #expect(answer.error.contains("tensor"), "\(answer.error)")
    }

    // MARK: - C16: one tensor per column, BYTES

    static let c16Columns =
        #"{"inputs":[{"name":"x","shape":[2],"datatype":"FP64","data":[0.3,0.7]},"#
        + #"{"name":"color","shape":[2],"datatype":"BYTES","parameters":{"content_type":"str"},"#
        + #""data":["red","blue"]}]"#

    @Test(arguments: [
        #"{"parameters":{"content_type":"pd"},"# + c16Columns.dropFirst() + "}",
        c16Columns + "}",
        // Reversed columns, [N, 1] shapes: placed by name all the same.
        #"{"parameters":{"content_type":"pd"},"inputs":[{"name":"color","shape":[2,1],"#
            + #""datatype":"BYTES","data":[["red"],["blue"]]},{"name":"x","shape":[2,1],"#
            + #""datatype":"FP64","data":[[0.3],[0.7]]}]}"#,
    ])
    func c16ColumnsArePlacedByName(body: String) throws {
        let answer = try Self.infer("c16_columns", body)
        #expect(answer.status == 200, "\(answer.error)")
        #expect(answer.json?["model_name"]?.string == "m")
        let predict = try #require(answer.output("predict"))
        #expect(predict["datatype"]?.string == "BYTES")
        #expect(predict["shape"]?.array?.map(\.double) == [2])
        #expect(predict["data"] == (try Self.recorded("c16_columns")["predict"]))
        #expect(predict["data"]?.array?.map(\.string) == ["no", "yes"])
    }

    @Test func c16ProbabilitiesCarryTheirClasses() throws {
        let body =
            #"{"parameters":{"content_type":"pd"},"# + Self.c16Columns.dropFirst()
            + #","outputs":[{"name":"predict"},{"name":"predict_proba"}]}"#
        let answer = try Self.infer("c16_columns", String(body))
        #expect(answer.status == 200, "\(answer.error)")
        let proba = try #require(answer.output("predict_proba"))
        #expect(proba["shape"]?.array?.map(\.double) == [2, 2])
        #expect(proba["datatype"]?.string == "FP64")
        try Self.expectClose(proba["data"], try Self.flatProbabilities("c16_columns"), exact: true)
        #expect(proba["parameters"]?["classes"] == (try Self.recorded("c16_columns")["classes"]))
    }

    @Test func c16NamesThatAreNotTheFeaturesAre400ListingThem() throws {
        let body =
            #"{"inputs":[{"name":"a","shape":[2],"datatype":"FP64","data":[0.3,0.7]},"#
            + #"{"name":"b","shape":[2],"datatype":"BYTES","data":["red","blue"]}]}"#
        let answer = try Self.infer("c16_columns", body)
        #expect(answer.status == 400)
        #expect(answer.error.contains("\"x\", \"color\""), "\(answer.error)")
    }

    @Test func c16PandasColumnsWithAnUnknownNameAre422ListingTheNames() throws {
        let body =
            #"{"parameters":{"content_type":"pd"},"inputs":[{"name":"x","shape":[2],"#
            + #""datatype":"FP64","data":[0.3,0.7]},{"name":"colour","shape":[2],"#
            + #""datatype":"BYTES","data":["red","blue"]}]}"#
        let answer = try Self.infer("c16_columns", body)
        #expect(answer.status == 422)
        #expect(answer.code == "feature_names")
        #expect(answer.error.contains("\"colour\"") || answer.error.contains("'colour'"))
        #expect(answer.error.contains("\"x\", \"color\""), "\(answer.error)")
    }

    @Test func c16PandasColumnMissingIs422NamingIt() throws {
        let body =
            #"{"parameters":{"content_type":"pd"},"inputs":[{"name":"x","shape":[2],"#
            + #""datatype":"FP64","data":[0.3,0.7]}]}"#
        let answer = try Self.infer("c16_columns", body)
        #expect(answer.status == 422)
        #expect(answer.error.contains("missing column \"color\""), "\(answer.error)")
    }

    @Test func columnsOfDifferentLengthsAre400() throws {
        let body =
            #"{"parameters":{"content_type":"pd"},"inputs":[{"name":"x","shape":[3],"#
            + #""datatype":"FP64","data":[0.3,0.7,1]},{"name":"color","shape":[2],"#
            + #""datatype":"BYTES","data":["red","blue"]}]}"#
        let answer = try Self.infer("c16_columns", body)
        #expect(answer.status == 400)
        #expect(answer.error.contains("differ in length"), "\(answer.error)")
    }

    @Test func pandasColumnsNeedAModelWithFeatureNames() throws {
        let body =
            #"{"parameters":{"content_type":"pd"},"inputs":[{"name":"a","shape":[1],"#
            + #""datatype":"FP64","data":[1]}]}"#
        let answer = try Self.infer("l4", body)
        #expect(answer.status == 422)
        #expect(answer.code == "feature_names")
    }

    @Test func c14NamedColumnsInAnyOrder() throws {
        let body =
            #"{"inputs":[{"name":"d","shape":[1],"datatype":"INT64","data":[4]},"#
            + #"{"name":"c","shape":[1],"datatype":"INT64","data":[3]},"#
            + #"{"name":"b","shape":[1],"datatype":"INT64","data":[2]},"#
            + #"{"name":"a","shape":[1],"datatype":"INT64","data":[1]}]}"#
        let answer = try Self.infer("c14_named", body)
        #expect(answer.status == 200, "\(answer.error)")
        try Self.expectClose(
            answer.output("predict")?["data"],
            try Self.recorded("c14_named")["predict"]
        )
    }

    @Test func bytesWhereTheModelTakesNoStringsIs422() throws {
        let body =
            #"{"inputs":[{"name":"input-0","shape":[1,4],"datatype":"BYTES","data":["a","b","c","#
            + #""d"]}]}"#
        let answer = try Self.infer("l4", body)
        #expect(answer.status == 422)
        #expect(answer.code == "value_type")
    }

    @Test func oneBytesTensorCarriesRowsThatMixNumbersAndStrings() throws {
        let body =
            #"{"inputs":[{"name":"input-0","shape":[2,2],"datatype":"BYTES","#
            + #""data":[[0.3,"red"],[0.7,"blue"]]}]}"#
        let answer = try Self.infer("c16_columns", body)
        #expect(answer.status == 200, "\(answer.error)")
        #expect(answer.output("predict")?["data"] == (try Self.recorded("c16_columns")["predict"]))
    }

    // MARK: - C20, C21, C22, C24: output types and values

    @Test(arguments: [("c20_int64", "INT64"), ("c20_uint8", "UINT8")])
    func c20LabelDatatypeFollowsTheClassesDtype(fixture: String, datatype: String) throws {
        let answer = try Self.infer(
            fixture,
            try Self.recordedRowsBody(fixture, outputs: ["predict", "predict_proba"])
        )
        #expect(answer.status == 200, "\(answer.error)")
        let predict = try #require(answer.output("predict"))
        #expect(predict["datatype"]?.string == datatype)
        #expect(predict["data"] == (try Self.recorded(fixture)["predict"]))
        #expect(predict["data"]?.array?.allSatisfy(\.isIntegerLiteral) == true)
        let proba = try #require(answer.output("predict_proba"))
        try Self.expectClose(proba["data"], try Self.flatProbabilities(fixture), exact: true)
        #expect(proba["parameters"]?["classes"] == (try Self.recorded(fixture)["classes"]))
    }

    /// C20 (b): KMeans predicts int32 cluster labels. Turns itself on once KMeans is served.
    static let kmeansIsServed = (try? model("c01_kmeans_np1")) != nil

    @Test(.enabled(if: kmeansIsServed, "C20 (b) needs KMeans, which is not served yet"))
    func c20KMeansLabelsAreINT32() throws {
        let answer = try Self.infer("c01_kmeans_np1", try Self.recordedRowsBody("c01_kmeans_np1"))
        #expect(answer.status == 200, "\(answer.error)")
        let predict = try #require(answer.output("predict"))
        #expect(predict["datatype"]?.string == "INT32")
        #expect(predict["data"] == (try Self.recorded("c01_kmeans_np1")["predict"]))
    }

    @Test func labelDataTypeIsReadFromTheClassesDtype() throws {
        #expect(try Self.model("c20_int64").labelDataType == .int64)
        #expect(try Self.model("c20_uint8").labelDataType == .uint8)
        #expect(try Self.model("c22_species").labelDataType == .string)
        #expect(try Self.model("c16_columns").labelDataType == .string)
        #expect(try Self.model("l4").labelDataType == nil)
    }

    @Test func c21PointThreeIsWrittenInShortestRoundTripForm() throws {
        let answer = try Self.infer("c21_point", try Self.recordedRowsBody("c21_point"))
        let value = try #require(answer.output("predict")?["data"]?.array?.first)
        #expect(value == .number(0.1 + 0.2, text: "0.30000000000000004"))
        try Self.expectClose(
            answer.output("predict")?["data"],
            try Self.recorded("c21_point")["predict"],
            exact: true
        )
    }

    @Test(arguments: ["FP32", "FP64"])
    func c21Float32CoefficientsGiveAnFP64Number(datatype: String) throws {
        let answer = try Self.infer(
            "c21_float32",
            #"{"inputs":[{"name":"input-0","shape":[1,1],"datatype":"\#(datatype)","data":[1.5]}]}"#
        )
        #expect(answer.status == 200)
        let predict = try #require(answer.output("predict"))
        #expect(predict["datatype"]?.string == "FP64")
        let value = try #require(predict["data"]?.array?.first?.double)
        let recorded = try #require(
            try Self.recorded("c21_float32")["predict"]?.array?.first?.double
        )
        #expect(abs(value - recorded) <= 1e-6)
    }

    @Test func c21TreeThirdIsExact() throws {
        let answer = try Self.infer("c21_tree", try Self.recordedRowsBody("c21_tree"))
        let value = try #require(answer.output("predict")?["data"]?.array?.first)
        #expect(value == .number(1.0 / 3.0, text: "0.3333333333333333"))
    }

    @Test func c22StringLabelsAreBYTES() throws {
        let answer = try Self.infer(
            "c22_species",
            #"{"inputs":[{"name":"input-0","shape":[2,1],"datatype":"FP64","data":[0.5,2.5]}]}"#
        )
        #expect(answer.status == 200)
        let predict = try #require(answer.output("predict"))
        #expect(predict["datatype"]?.string == "BYTES")
        #expect(predict["data"] == (try Self.recorded("c22_species")["predict"]))
        #expect(predict["data"]?.array?.map(\.string) == ["setosa", "virginica"])
    }

    @Test func c24ThreeClassProbabilitiesFollowTheSortedClasses() throws {
        let answer = try Self.infer(
            "c24_p3",
            #"{"inputs":[{"name":"input-0","shape":[3,1],"datatype":"FP64","data":[0,1,2]}],"#
                + #""outputs":[{"name":"predict_proba"},{"name":"predict"}]}"#
        )
        #expect(answer.status == 200)
        let proba = try #require(answer.output("predict_proba"))
        #expect(proba["shape"]?.array?.map(\.double) == [3, 3])
        try Self.expectClose(proba["data"], try Self.flatProbabilities("c24_p3"), exact: true)
        let classes = try #require(proba["parameters"]?["classes"])
        #expect(classes == (try Self.recorded("c24_p3")["classes"]))
        #expect(classes.array?.map(\.string) == ["eggs", "ham", "spam"])
        // The outputs come in the order asked for.
        #expect(answer.json?["outputs"]?.array?.first?["name"]?.string == "predict_proba")
        let predict = try #require(answer.output("predict")?["data"]?.array)
        #expect(predict == (try Self.recorded("c24_p3")["predict"])?.array)
        let values = try #require(proba["data"]?.array?.compactMap { $0.double })
        let labels = try #require(classes.array)
        for row in 0..<3 {
            let scores = values[(row * 3)..<(row * 3 + 3)]
            let best = try #require(scores.indices.max { scores[$0] < scores[$1] })
            #expect(labels[best - row * 3] == predict[row])
        }
    }

    @Test func c24TwoClassProbabilitiesAreLabelledMinusOneAndOne() throws {
        let answer = try Self.infer(
            "c24_p2",
            #"{"inputs":[{"name":"input-0","shape":[1,1],"datatype":"FP64","data":[[0]]}],"#
                + #""outputs":[{"name":"predict"},{"name":"predict_proba"}]}"#
        )
        #expect(answer.status == 200)
        let proba = try #require(answer.output("predict_proba"))
        try Self.expectClose(proba["data"], try Self.flatProbabilities("c24_p2"), exact: true)
        #expect(proba["parameters"]?["classes"] == (try Self.recorded("c24_p2")["classes"]))
        let predict = try #require(answer.output("predict"))
        #expect(predict["data"] == (try Self.recorded("c24_p2")["predict"]))
        #expect(predict["datatype"]?.string == "INT64")
    }

    /// A `MultiOutputClassifier` (conformance fixture): labels `[N, outputs]`, and each
    /// row's probabilities output after output, `[N, C1 + C2]`, with one class list each.
    @Test func multiOutputClassifierTensors() throws {
        let fixture = try #require(
            ConformanceFixture.all.first {
                $0.environment == "sklearn-1.5.2" && $0.caseName == "compose-multioutput-classifier"
            }
        )
        let recorded = try fixture.recorded()
        let rows = try #require(recorded["rows"]?.matrix).prefix(7)
        let data = rows.flatMap { $0 }.map { "\($0)" }.joined(separator: ",")
        let service = PredictionService(
            models: [ServedModel(name: "m", model: try ModelLoader.load(path: fixture.modelPath))]
        )
        let answer = Self.send(
            service,
            "POST",
            "/v2/models/m/infer",
            #"{"inputs":[{"name":"input-0","shape":[7,4],"datatype":"FP64","data":[\#(data)]}],"#
                + #""outputs":[{"name":"predict"},{"name":"predict_proba"}]}"#
        )
        #expect(answer.status == 200, "\(answer.error)")
        let predict = try #require(answer.output("predict"))
        #expect(predict["shape"]?.array?.map(\.double) == [7, 2])
        #expect(predict["datatype"]?.string == "INT64")
        let labels = try #require(recorded["outputs"]?["predict"]?.array).prefix(7)
        #expect(predict["data"]?.array == labels.flatMap { $0.array ?? [] })
        let proba = try #require(answer.output("predict_proba"))
        #expect(proba["shape"]?.array?.map(\.double) == [7, 6])
        let perOutput = try #require(recorded["outputs"]?["predict_proba"]?.array)
        let flat: [TestJSON] = (0..<7).flatMap { row in
            perOutput.flatMap { $0.array?[row].array ?? [] }
        }
        try Self.expectClose(proba["data"], .array(flat))
        #expect(proba["parameters"]?["classes"] == recorded["classes_per_output"])
    }

    // MARK: - C18, C27: missing values and empty batches

    @Test(arguments: ["c18_imputer", "c18_tree_nan", "c18_hgb_nan"])
    func c18NullsAreMissingValuesForModelsThatTakeThem(fixture: String) throws {
        let recorded = try Self.recorded(fixture)
        let hasProbabilities = recorded["predict_proba"] != nil
        let answer = try Self.infer(
            fixture,
            try Self.recordedRowsBody(
                fixture,
                outputs: hasProbabilities ? ["predict", "predict_proba"] : ["predict"]
            )
        )
        #expect(answer.status == 200, "\(answer.error)")
        let predict = try #require(answer.output("predict"))
        if hasProbabilities {
            #expect(predict["data"] == recorded["predict"])
            let proba = try #require(answer.output("predict_proba"))
            try Self.expectClose(
                proba["data"],
                try Self.flatProbabilities(fixture),
                exact: fixture.contains("tree")
            )
        } else {
            try Self.expectClose(predict["data"], recorded["predict"])
        }
    }

    @Test func c18NullForAModelWithoutMissingValuesIs422() throws {
        let answer = try Self.infer(
            "c18_logistic",
            #"{"inputs":[{"name":"input-0","shape":[1,4],"datatype":"FP64","#
                + #""data":[null,3.5,1.4,0.2]}]}"#
        )
        #expect(answer.status == 422)
        #expect(answer.code == "invalid_row")
        #expect(answer.error.contains("missing value"), "\(answer.error)")
        #expect(answer.error.contains("row 0, column 0"), "\(answer.error)")
    }

    @Test func c27EmptyBatchIs422() throws {
        let answer = try Self.infer(
            "l4",
            #"{"inputs":[{"name":"input-0","shape":[0,4],"datatype":"FP64","data":[]}]}"#
        )
        #expect(answer.status == 422)
        #expect(answer.code == "empty_batch")
    }

    // MARK: - Datatypes and shapes

    /// ECHO predicts its first feature, so each value comes back as the model saw it.
    @Test(arguments: [
        ("BOOL", "[true, false]", 1.0),
        ("INT8", "[-128, 0]", -128), ("INT16", "[-32768, 0]", -32768),
        ("INT32", "[2147483647, 0]", 2_147_483_647), ("INT64", "[-5, 0]", -5),
        ("UINT8", "[255, 0]", 255), ("UINT16", "[65535, 0]", 65535),
        ("UINT32", "[4294967295, 0]", 4_294_967_295), ("UINT64", "[7, 0]", 7),
        // The 64-bit bounds themselves, which a double alone cannot tell from 2^63 and 2^64.
        ("INT64", "[9223372036854775807, 0]", 0x1p63),
        ("INT64", "[-9223372036854775808, 0]", -0x1p63),
        ("UINT64", "[18446744073709551615, 0]", 0x1p64),
        ("FP16", "[0.1, 0]", Double(Float16(0.1))), ("FP32", "[0.1, 0]", Double(Float(0.1))),
        ("FP64", "[0.1, 0]", 0.1), ("FP64", "[1.0e2, -0]", 100),
    ])
    func everyNumericDatatypeIsRead(datatype: String, data: String, first: Double) throws {
        let answer = try Self.infer(
            "echo",
            #"{"inputs":[{"name":"input-0","shape":[2],"datatype":"\#(datatype)","#
                + #""data":\#(data)}]}"#
        )
        #expect(answer.status == 200, "\(datatype): \(answer.error)")
        #expect(answer.output("predict")?["data"]?.array?.first?.double == first, "\(datatype)")
    }

    @Test(arguments: [
        ("INT64", "[1.5, 0]", "not an integer"),
        ("UINT8", "[300, 0]", "outside 0 to 255"),
        ("UINT8", "[-1, 0]", "outside 0 to 255"),
        ("INT8", "[-129, 0]", "outside -128 to 127"),
        ("INT64", "[9223372036854775808, 0]", "outside -9223372036854775808"),
        ("INT64", "[-9223372036854775809, 0]", "outside -9223372036854775808"),
        ("UINT64", "[18446744073709551616, 0]", "outside 0 to 18446744073709551615"),
        ("UINT64", "[-1, 0]", "outside 0 to 18446744073709551615"),
        ("FP16", "[70000, 0]", "too large for FP16"),
        ("FP32", "[1e39, 0]", "too large for FP32"),
        ("BOOL", "[1, 0]", "is a number"),
        ("FP64", "[\"a\", 0]", "is a string"),
        ("FP64", "[true, 0]", "is a boolean"),
        ("BYTES", "[true, 0]", "is a boolean"),
        ("FLOAT", "[1, 0]", "unknown datatype"),
    ])
    func valuesThatDoNotFitTheDatatypeAre400(datatype: String, data: String, message: String)
        throws
    {
        let answer = try Self.infer(
            "echo",
            #"{"inputs":[{"name":"input-0","shape":[1,2],"datatype":"\#(datatype)","#
                + #""data":\#(data)}]}"#
        )
        #expect(answer.status == 400, "\(datatype) \(data)")
        #expect(answer.code == "bad_request")
        #expect(answer.error.contains(message), "\(answer.error)")
    }

    @Test(arguments: [
        (#""shape":[-1,4],"data":[1,1,0,0]"#, "non-negative integers"),
        (#""shape":[2,4.5],"data":[1,1,0,0]"#, "non-negative integers"),
        (#""shape":[1.0,4],"data":[1,1,0,0]"#, "non-negative integers"),
        (#""shape":[1,4e0],"data":[1,1,0,0]"#, "non-negative integers"),
        (
            #""shape":[9007199254740993,4],"data":[1,1,0,0]"#,
            "dimension 9007199254740993 is too large"
        ),
        (#""shape":[1,2,4],"data":[1,1,0,0,2,0,0,0]"#, "send [N, 4]"),
        (#""shape":[2,4],"data":[[1,1,0,0,2,0,0,0]]"#, "nests as [1,8] but shape is [2,4]"),
        (#""shape":[2,4],"data":[[1,1,0,0],[2,0,0]]"#, "differ in length or depth"),
        (#""shape":[2,4],"data":[[1,1,0,0],2,0,0,0]"#, "differ in length or depth"),
        (#""shape":[2,4],"data":[[1,1,0,{}],[2,0,0,0]]"#, "holds an object"),
        (#""shape":[2,4],"data":5"#, "\"data\" must be a list"),
    ])
    func badShapesAndNestingAre400(fields: String, message: String) throws {
        let answer = try Self.infer(
            "l4",
            #"{"inputs":[{"name":"input-0","datatype":"FP64",\#(fields)}]}"#
        )
        #expect(answer.status == 400, "\(fields)")
        #expect(answer.error.contains(message), "\(answer.error)")
    }

    @Test func aRowOfTheWrongWidthIs422() throws {
        let answer = try Self.infer(
            "l4",
            #"{"inputs":[{"name":"input-0","shape":[2,3],"datatype":"FP64","data":[1,1,0,2,0,0]}]}"#
        )
        #expect(answer.status == 422)
        #expect(answer.code == "feature_count")
        #expect(
            answer.error == "model 'm' expects 4 features per row; input 'input-0' has shape [2,3]"
        )
    }

    @Test func aOneDimensionalShapeIsOneRow() throws {
        let answer = try Self.infer(
            "l4",
            #"{"inputs":[{"name":"input-0","shape":[4],"datatype":"FP64","data":[1,1,0,0]}]}"#
        )
        #expect(answer.status == 200)
        #expect(answer.output("predict")?["shape"]?.array?.map(\.double) == [1])
        #expect(answer.output("predict")?["data"]?.array?.map(\.double) == [3.5])
    }

    @Test func c26ThreeValuesForAOneFeatureModelAreNeverOneRow() throws {
        let asOneRow = try Self.infer(
            "s1",
            #"{"inputs":[{"name":"input-0","shape":[3],"datatype":"FP64","data":[1,2,3]}]}"#
        )
        #expect(asOneRow.status == 422)
        #expect(asOneRow.error.contains("send shape [3, 1]"), "\(asOneRow.error)")
        let asRows = try Self.infer(
            "s1",
            #"{"inputs":[{"name":"input-0","shape":[3,1],"datatype":"FP64","data":[1,2,3]}]}"#
        )
        try Self.expectClose(asRows.output("predict")?["data"], try Self.recorded("s1")["predict"])
    }

    @Test func aValueTooLargeForADoubleIs422() throws {
        let answer = try Self.infer(
            "l4",
            #"{"inputs":[{"name":"input-0","shape":[4],"datatype":"FP64","data":[1e400,1,0,0]}]}"#
        )
        #expect(answer.status == 422)
        #expect(answer.code == "value_type")
    }

    @Test func nonFiniteOutputsAreNullAndFlagged() throws {
        let answer = try Self.infer(
            "l4",
            #"{"inputs":[{"name":"input-0","shape":[2,4],"datatype":"FP64","#
                + #""data":[1e308,1e308,0,0,1,1,0,0]}]}"#
        )
        #expect(answer.status == 200)
        let predict = try #require(answer.output("predict"))
        #expect(predict["data"]?.array?.first == .null)
        #expect(predict["data"]?.array?.last?.double == 3.5)
        #expect(predict["parameters"]?["non_finite"] == .bool(true))
        let text = String(decoding: answer.response.body, as: UTF8.self)
        #expect(!text.contains("inf") && !text.contains("nan"))
    }

    // MARK: - Outputs, ids and bodies that are not V2

    @Test func outputsOmittedMeansPredictOnly() throws {
        let answer = try Self.infer("c18_logistic", try Self.recordedRowsBody("c18_logistic"))
        #expect(answer.json?["outputs"]?.array?.count == 1)
        #expect(answer.output("predict")?["data"] == (try Self.recorded("c18_logistic")["predict"]))
        #expect(answer.json?["id"] == nil)
    }

    @Test func decisionFunctionOfThreeClassesIsAMatrix() throws {
        let answer = try Self.infer(
            "c18_logistic",
            try Self.recordedRowsBody(
                "c18_logistic",
                outputs: ["decision_function", "predict_proba"]
            )
        )
        #expect(answer.status == 200, "\(answer.error)")
        let scores = try #require(answer.output("decision_function"))
        #expect(scores["shape"]?.array?.map(\.double) == [1, 3])
        #expect(scores["datatype"]?.string == "FP64")
        #expect(scores["parameters"] == nil)
        try Self.expectClose(
            answer.output("predict_proba")?["data"],
            try Self.flatProbabilities("c18_logistic")
        )
    }

    @Test(arguments: ["transform", "score_samples", "predict_log_proba"])
    func anOutputTheModelLacksIs422(output: String) throws {
        let answer = try Self.infer(
            "l4",
            #"{"inputs":[{"name":"input-0","shape":[4],"datatype":"FP64","data":[1,1,0,0]}],"#
                + #""outputs":[{"name":"\#(output)"}]}"#
        )
        #expect(answer.status == 422)
        #expect(answer.code == "unknown_output")
        #expect(answer.error.contains("\"predict\""))
    }

    @Test(arguments: [
        ("", "empty_body", 400),
        (#"{"inputs": [{"name": "input-0""#, "invalid_json", 400),
        ("[]", "bad_request", 400),
        (#"{"id": "1"}"#, "bad_request", 400),
        (#"{"inputs": []}"#, "bad_request", 400),
        (#"{"inputs": {}}"#, "bad_request", 400),
        (
            #"{"id": 7, "inputs": [{"name":"input-0","shape":[4],"datatype":"FP64","#
                + #""data":[1,1,0,0]}]}"#,
            "bad_request", 400
        ),
        (#"{"inputs": [{"name":"input-0","shape":[4],"data":[1,1,0,0]}]}"#, "bad_request", 400),
        (#"{"inputs": [{"shape":[4],"datatype":"FP64","data":[1,1,0,0]}]}"#, "bad_request", 400),
        (
            #"{"inputs": [{"name":"input-0","shape":[4],"datatype":"FP64","data":[1,1,0,0],"#
                + #""values":1}]}"#,
            "bad_request", 400
        ),
        (
            #"{"inputs": [{"name":"input-0","shape":[4],"datatype":"FP64","#
                + #""data":[1,1,0,0]}], "outputs": ["predict"]}"#,
            "bad_request", 400
        ),
        (
            #"{"parameters": {"content_type": "csv"}, "inputs": [{"name":"input-0","shape":[4],"#
                + #""datatype":"FP64","data":[1,1,0,0]}]}"#,
            "bad_request", 400
        ),
        (
            #"{"inputs": [{"name":"input-0","shape":[4],"datatype":"FP64","#
                + #""data":[1,1,0,0]}], "inputs": []}"#,
            "bad_request", 400
        ),
        (
            #"{"inputs": [{"name":"input-0","shape":[4],"datatype":"FP64","data":[1,1,0,0]},"#
                + #"{"name":"input-1","shape":[4],"datatype":"FP64","data":[1,1,0,0]}]}"#,
            "bad_request", 400
        ),
    ])
    func bodiesThatAreNotV2RequestsAre400(body: String, code: String, status: Int) throws {
        let answer = try Self.infer("l4", body)
        #expect(answer.status == status, "\(body)")
        #expect(answer.code == code, "\(body): \(answer.error)")
        #expect(!answer.error.isEmpty)
    }

    @Test func binaryTensorDataIsRefusedByName() throws {
        let answer = try Self.infer(
            "l4",
            #"{"inputs":[{"name":"input-0","shape":[1,4],"datatype":"FP64","#
                + #""parameters":{"binary_data_size":32}}]}"# + "\u{1}\u{2}\u{3}"
        )
        #expect(answer.status == 400)
        #expect(answer.error.contains("binary tensor data is not supported"))
    }

    @Test func syntaxErrorsWinOverShapeErrors() throws {
        let answer = try Self.infer(
            "l4",
            #"{"inputs":[{"name":"input-0","shape":"2","datatype":"FP64","data":[1,1,0,0]}]"#
        )
        #expect(answer.code == "invalid_json")
    }

    @Test func shapeErrorsWinOverErrorsOfFit() throws {
        let answer = try Self.infer(
            "l4",
            #"{"inputs":[{"name":"input-0","shape":[2,3],"datatype":"FP64","data":[1,1,0,2,0]}],"#
                + #""outputs":[{"name":"transform"}]}"#
        )
        #expect(answer.status == 400)
        #expect(answer.error.contains("needs 6 values, got 5"))
    }

    @Test func errorsDoNotEchoLongNames() throws {
        let long = String(repeating: "n", count: 5000)
        let answer = try Self.infer(
            "l4",
            #"{"\#(long)": 1, "inputs":[{"name":"\#(long)","shape":[4],"datatype":"X\#(long)","#
                + #""data":[1,1,0,0]}]}"#
        )
        #expect(answer.status == 400)
        #expect(answer.error.count < 600, "\(answer.error.count)")
    }

    @Test func otherContentTypesAre415() throws {
        let answer = Self.send(
            try Self.service("l4"),
            "POST",
            "/v2/models/m/infer",
            Self.l4Flat,
            contentType: "text/plain"
        )
        #expect(answer.status == 415)
    }

    // MARK: - Routes: versions, metadata, health (C29's controls)

    static func versionedService() throws -> PredictionService {
        PredictionService(models: [
            ServedModel(name: "m", version: "1", model: try model("l4")),
            ServedModel(name: "m", version: "2", model: try model("echo")),
            ServedModel(name: "species", model: try model("c22_species")),
        ])
    }

    @Test func versionsAreServedByPath() throws {
        let service = try Self.versionedService()
        let first = Self.send(
            service,
            "POST",
            "/v2/models/m/versions/1/infer",
            #"{"inputs":[{"name":"input-0","shape":[4],"datatype":"FP64","data":[1,1,0,0]}]}"#
        )
        #expect(first.status == 200)
        #expect(first.json?["model_version"]?.string == "1")
        #expect(first.output("predict")?["data"]?.array?.map(\.double) == [3.5])
        let newest = Self.send(
            service,
            "POST",
            "/v2/models/m/infer",
            #"{"inputs":[{"name":"input-0","shape":[2],"datatype":"FP64","data":[3.25,7]}]}"#
        )
        #expect(newest.json?["model_version"]?.string == "2")
        #expect(newest.output("predict")?["data"]?.array?.map(\.double) == [3.25])
    }

    @Test(arguments: [
        "/v2/models/m/versions/3/infer", "/v2/models/m/versions/3", "/v2/models/m/versions/3/ready",
    ])
    func anUnknownVersionIs404NamingTheVersions(path: String) throws {
        let method = path.hasSuffix("infer") ? "POST" : "GET"
        let answer = Self.send(try Self.versionedService(), method, path, Self.l4Flat)
        #expect(answer.status == 404)
        #expect(answer.code == "model_not_found")
        #expect(answer.error.contains("'1', '2'"), "\(answer.error)")
    }

    @Test(arguments: ["/v2/models/nope/infer", "/v2/models/nope", "/v2/models/nope/ready"])
    func anUnknownModelIs404NamingTheModels(path: String) throws {
        let method = path.hasSuffix("infer") ? "POST" : "GET"
        let answer = Self.send(try Self.versionedService(), method, path, Self.l4Flat)
        #expect(answer.status == 404)
        #expect(answer.error.contains("'m', 'species'"), "\(answer.error)")
    }

    @Test func modelMetadataDescribesInputsOutputsAndTheFile() throws {
        let service = PredictionService(models: [
            ServedModel(name: "m", model: try Self.model("c20_uint8"))
        ])
        let answer = Self.send(service, "GET", "/v2/models/m")
        #expect(answer.status == 200)
        let json = try #require(answer.json)
        let expected = try TestJSON.read(path: "\(Self.folder)/c20_uint8/expected.json")
        #expect(json["name"]?.string == "m")
        #expect(json["versions"] == .array([.string("1")]))
        #expect(json["platform"]?.string == "scikit-learn")
        let inputs = try #require(json["inputs"]?.array)
        #expect(inputs.count == 1)
        #expect(inputs[0]["name"]?.string == "input-0")
        #expect(inputs[0]["datatype"]?.string == "FP64")
        #expect(inputs[0]["shape"]?.array?.map(\.double) == [-1, 1])
        let outputs = try #require(json["outputs"]?.array)
        #expect(outputs.map { $0["name"]?.string } == ["predict", "predict_proba"])
        #expect(outputs[0]["datatype"]?.string == "UINT8")
        #expect(outputs[0]["shape"]?.array?.map(\.double) == [-1])
        #expect(outputs[1]["datatype"]?.string == "FP64")
        #expect(outputs[1]["shape"]?.array?.map(\.double) == [-1, 3])
        #expect(json["classes"] == expected["requests"]?.array?.first?["classes"])
        #expect(json["feature_names"] == .null)
        #expect(json["estimator_class"]?.string?.hasSuffix(".DecisionTreeClassifier") == true)
        #expect(json["sklearn_version"] == expected["sklearn"])
    }

    /// A server that reloads says which load its models come from; one that never reloads
    /// (`augur predict`, tests) says nothing of it.
    @Test func metadataCarriesTheGenerationWhenGiven() throws {
        let model = try Self.model("c20_uint8")
        let reloaded = PredictionService(
            models: [ServedModel(name: "m", model: model)],
            generation: 3
        )
        let json = try #require(Self.send(reloaded, "GET", "/v2/models/m").json)
        #expect(json["generation"]?.double == 3)
        let fixed = PredictionService(models: [ServedModel(name: "m", model: model)])
        #expect(try #require(Self.send(fixed, "GET", "/v2/models/m").json)["generation"] == nil)
    }

    @Test func metadataOfANamedTextModel() throws {
        let answer = Self.send(try Self.service("c16_columns"), "GET", "/v2/models/m")
        let json = try #require(answer.json)
        #expect(json["feature_names"] == (try Self.recorded("c16_columns")["feature_names"]))
        #expect(json["inputs"]?.array?.first?["datatype"]?.string == "BYTES")
        #expect(json["outputs"]?.array?.first?["datatype"]?.string == "BYTES")
        let regressor = Self.send(try Self.service("l4"), "GET", "/v2/models/m/versions/1")
        #expect(regressor.status == 200)
        #expect(regressor.json?["classes"] == .null)
        #expect(regressor.json?["outputs"]?.array?.first?["datatype"]?.string == "FP64")
    }

    @Test func metadataListsEveryVersion() throws {
        let answer = Self.send(try Self.versionedService(), "GET", "/v2/models/m/versions/1")
        #expect(answer.json?["versions"] == .array([.string("1"), .string("2")]))
        #expect(answer.json?["inputs"]?.array?.first?["shape"]?.array?.map(\.double) == [-1, 4])
    }

    @Test func serverMetadataNamesAugur() throws {
        let answer = Self.send(try Self.service("l4"), "GET", "/v2")
        #expect(answer.status == 200)
        #expect(answer.json?["name"]?.string == "augur")
        #expect(answer.json?["version"]?.string == AugurVersion.current)
        #expect(answer.json?["extensions"]?.array != nil)
    }

    @Test func c29HealthReadinessAndMetadataControlsAre200() throws {
        let service = try Self.versionedService()
        let live = Self.send(service, "GET", "/v2/health/live")
        #expect(live.status == 200)
        #expect(live.json == .object(["live": .bool(true)]))
        let ready = Self.send(service, "GET", "/v2/health/ready")
        #expect(ready.status == 200)
        #expect(ready.json == .object(["ready": .bool(true)]))
        let modelReady = Self.send(service, "GET", "/v2/models/m/versions/2/ready")
        #expect(modelReady.status == 200)
        #expect(modelReady.json?["ready"] == .bool(true))
        #expect(modelReady.json?["version"]?.string == "2")
        #expect(Self.send(service, "GET", "/v2/models/m").status == 200)
    }

    @Test func readinessWithoutModelsIs503() {
        let answer = Self.send(PredictionService(models: []), "GET", "/v2/health/ready")
        #expect(answer.status == 503)
        #expect(answer.code == "model_not_ready")
    }

    @Test func c29InferAnswersOnlyPost() throws {
        for method in ["GET", "PUT", "HEAD"] {
            let answer = Self.send(try Self.service("l4"), method, "/v2/models/m/infer")
            #expect(answer.status == 405)
            #expect(answer.response.headers.contains { $0.name == "Allow" && $0.value == "POST" })
        }
        let post = Self.send(try Self.service("l4"), "POST", "/v2/models/m")
        #expect(post.status == 405)
    }
}
