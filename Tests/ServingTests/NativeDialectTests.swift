import Estimators
import Serving
import TestSupport
import Testing

/// The native `/predict` dialect, driven in memory against the bundled example models.
@Suite struct NativeDialectTests {
    static let exampleModels = Result {
        (
            iris: try ModelLoader.load(path: Fixtures.packageRoot + "/examples/models/iris.joblib"),
            diabetes: try ModelLoader.load(
                path: Fixtures.packageRoot + "/examples/models/diabetes.joblib"
            )
        )
    }

    static func service() throws -> PredictionService {
        let models = try exampleModels.get()
        return PredictionService(
            models: [
                ServedModel(name: "iris", model: models.iris),
                ServedModel(name: "diabetes", model: models.diabetes),
            ],
            defaultModel: "iris"
        )
    }

    func post(_ body: String, path: String = "/predict", contentType: String? = "application/json")
        throws -> (status: Int, json: TestJSON?, response: HTTPResponse)
    {
        let response = try Self.service().respond(
            to: HTTPRequest(
                method: "POST",
                path: path,
                contentType: contentType,
                body: Array(body.utf8)
            )
        )
        return (response.status, try? TestJSON.parse(response.body), response)
    }

    @Test func oneRowGetsOnePrediction() throws {
        let (status, json, _) = try post(#"{"features": [5.1, 3.5, 1.4, 0.2]}"#)
        #expect(status == 200)
        #expect(json == .object(["prediction": .number(0, text: "0")]))
    }

    @Test func manyRowsGetPredictionsProbabilitiesAndClasses() throws {
        let (status, json, _) = try post(
            #"{"features": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]], "outputs": ["predict", "predict_proba"]}"#
        )
        #expect(status == 200)
        let predictions = try #require(json?["predictions"]?.array)
        #expect(predictions.map(\.double) == [0, 2])
        #expect(predictions.allSatisfy { $0.isIntegerLiteral })
        let probabilities = try #require(json?["probabilities"]?.matrix)
        #expect(probabilities.count == 2)
        for row in probabilities {
            #expect(row.count == 3)
            #expect(abs(row.reduce(0, +) - 1) < 1e-12)
        }
        #expect(json?["classes"]?.array?.map(\.double) == [0, 1, 2])
    }

    @Test func namedFeaturesMayComeInAnyOrder() throws {
        let ordered = try post(
            #"{"instances": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "#
                + #""petal_width": 0.2}], "outputs": ["predict_proba"]}"#
        )
        let shuffled = try post(
            #"{"instances": [{"petal_width": 0.2, "sepal_length": 5.1, "sepal_width": 3.5, "#
                + #""petal_length": 1.4}], "outputs": ["predict_proba"]}"#
        )
        let positional = try post(
            #"{"instances": [[5.1, 3.5, 1.4, 0.2]], "outputs": ["predict_proba"]}"#
        )
        #expect(ordered.status == 200)
        #expect(ordered.json == shuffled.json)
        #expect(ordered.json == positional.json)
    }

    @Test func singleNamedRowUnderFeatures() throws {
        let (status, json, _) = try post(
            #"{"features": {"petal_width": 2.3, "sepal_length": 6.7, "sepal_width": 3.0, "petal_length": 5.2}}"#
        )
        #expect(status == 200)
        #expect(json?["prediction"]?.double == 2)
    }

    @Test func namedModelRouteAndRegressorOutput() throws {
        let body =
            #"{"features": [[0.03, 0.05, 0.06, 0.02, -0.04, -0.03, -0.04, -0.002, 0.02, -0.017]]}"#
        let (status, json, _) = try post(body, path: "/predict/diabetes")
        #expect(status == 200)
        let value = try #require(json?["predictions"]?.array?.first?.double)
        #expect(value > 0)
    }

    @Test func emptyBatchIsRefused() throws {
        let (status, json, _) = try post(#"{"instances": []}"#)
        #expect(status == 422)
        #expect(json?["code"]?.string == "empty_batch")
    }

    @Test(arguments: [
        (#"{"features": [5.1, 3.5, 1.4, 0.2]"#, "invalid_json"),
        (#"{"features": [5.1, 3.5, 1.4, 0.2]} x"#, "invalid_json"),
        (#"{"features": [5.1, 3.5, 1.4, 0.2,]}"#, "invalid_json"),
        (#"{"features": [01, 3.5, 1.4, 0.2]}"#, "invalid_json"),
        (#"{"features": [NaN, 3.5, 1.4, 0.2]}"#, "invalid_json"),
        (#"{'features': [5.1, 3.5, 1.4, 0.2]}"#, "invalid_json"),
        ("   ", "empty_body"),
        ("[]", "bad_request"),
        (#"{"instance": [[5.1, 3.5, 1.4, 0.2]]}"#, "bad_request"),
        (#"{"instances": [5.1, 3.5, 1.4, 0.2]}"#, "bad_request"),
        (#"{"instances": 5}"#, "bad_request"),
        (#"{"instances": [[[5.1, 3.5, 1.4, 0.2]]]}"#, "bad_request"),
        (#"{"features": [1, 2, 3, 4], "instances": [[1, 2, 3, 4]]}"#, "bad_request"),
        (#"{"features": [1, 2, 3, 4], "outputs": "predict"}"#, "bad_request"),
    ])
    func malformedBodiesAre400(body: String, code: String) throws {
        let (status, json, _) = try post(body)
        #expect(status == 400, "\(body)")
        #expect(json?["code"]?.string == code, "\(body)")
        #expect(json?["error"]?.string?.isEmpty == false)
    }

    @Test(arguments: [
        (#"{"features": [5.1, 3.5]}"#, "feature_count"),
        (#"{"instances": [[1, 1, 0, 0], [1, 1]]}"#, "feature_count"),
        (#"{"features": [1, 2, "x", 4]}"#, "value_type"),
        (#"{"features": [1, 2, null, 4]}"#, "invalid_row"),
        (#"{"features": [true, false, 1, 0]}"#, "value_type"),
        (
            #"{"instances": [{"sepal_length": 1, "sepal_width": 2, "petal_length": 3}]}"#,
            "feature_names"
        ),
        (
            #"{"instances": [{"sepal_length": 1, "sepal_width": 2, "petal_length": 3, "petal_width": 4, "e": 5}]}"#,
            "feature_names"
        ),
        (#"{"features": [1, 2, 3, 4], "outputs": ["transform"]}"#, "unknown_output"),
        (#"{"features": [1, 2, 3, 4], "outputs": ["score_samples"]}"#, "unknown_output"),
    ])
    func rowsThatDoNotFitAre422(body: String, code: String) throws {
        let (status, json, _) = try post(body)
        #expect(status == 422, "\(body)")
        #expect(json?["code"]?.string == code, "\(body)")
    }

    @Test func featureCountErrorNamesModelAndRow() throws {
        let (_, json, _) = try post(#"{"features": [5.1, 3.5]}"#)
        #expect(json?["error"]?.string == "model 'iris' expects 4 features per row, row 0 has 2")
    }

    @Test func missingAndUnknownFeaturesAreNamed() throws {
        let missing = try post(
            #"{"instances": [{"sepal_length": 1, "sepal_width": 2, "petal_length": 3}]}"#
        )
        #expect(try #require(missing.json?["error"]?.string).contains("\"petal_width\""))
        let unknown = try post(
            #"{"instances": [{"sepal_length": 1, "sepal_width": 2, "petal_length": 3, "petal_width": 4, "color": 5}]}"#
        )
        #expect(try #require(unknown.json?["error"]?.string).contains("\"color\""))
    }

    @Test func regressorHasNoProbabilities() throws {
        let (status, json, _) = try post(
            #"{"features": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "outputs": ["predict_proba"]}"#,
            path: "/predict/diabetes"
        )
        #expect(status == 422)
        #expect(json?["code"]?.string == "unknown_output")
    }

    @Test func syntaxErrorsWinOverRowErrors() throws {
        // The row is too short, but the document is cut off: the client must fix the JSON first.
        let (status, json, _) = try post(#"{"features": [[1, 2]"#)
        #expect(status == 400)
        #expect(json?["code"]?.string == "invalid_json")
    }

    @Test func otherMethodsAre405WithAllow() throws {
        for method in ["GET", "PUT", "DELETE", "HEAD"] {
            let response = try Self.service().respond(
                to: HTTPRequest(method: method, path: "/predict")
            )
            #expect(response.status == 405)
            #expect(response.headers.contains { $0.name == "Allow" && $0.value == "POST" })
        }
    }

    @Test func unknownModelIs404NamingTheModels() throws {
        let (status, json, _) = try post(#"{"features": [1, 2, 3, 4]}"#, path: "/predict/nope")
        #expect(status == 404)
        let message = try #require(json?["error"]?.string)
        #expect(message.contains("'diabetes'") && message.contains("'iris'"))
        #expect(try post("{}", path: "/other").status == 404)
    }

    @Test(arguments: [
        ("application/json", 200), ("application/json; charset=utf-8", 200),
        ("APPLICATION/JSON", 200),
        ("application/vnd.api+json", 200), ("text/plain", 415),
        ("application/x-www-form-urlencoded", 415),
        // Parameters with no media type before them: once a worker trap.
        (";;;", 415), ("; charset=utf-8", 415), (" ;", 415),
    ])
    func contentTypes(contentType: String, status: Int) throws {
        #expect(try post(#"{"features": [1, 2, 3, 4]}"#, contentType: contentType).status == status)
    }

    @Test func missingContentTypeIsReadAsJSON() throws {
        #expect(try post(#"{"features": [1, 2, 3, 4]}"#, contentType: nil).status == 200)
    }

    @Test func deepNestingIsRefusedWithoutCrashing() throws {
        let body = #"{"features": [1, 2, 3, 4], "x": "# + String(repeating: "[", count: 100_000)
        let (status, _, _) = try post(body)
        #expect(status == 400)
    }

    @Test func errorBodiesNeverEchoLongInput() throws {
        let name = String(repeating: "n", count: 10_000)
        let (_, json, response) = try post(#"{"instances": [{"\#(name)": 1}]}"#)
        #expect(response.body.count < 1_000)
        #expect(json?["code"]?.string == "feature_names")
    }

    @Test func stringEscapesAndUnicodeInNamesAreDecoded() throws {
        let body =
            #"{"instances": [{"sepal\u005flength": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}]}"#
        #expect(try post(body).status == 200)
    }
}

/// Numbers no estimator accepts, and outputs JSON cannot hold.
@Suite struct NumberRangeTests {
    static func service(_ relativePath: String) throws -> PredictionService {
        let model = try ModelLoader.load(path: Fixtures.root + "/models/" + relativePath)
        return PredictionService(models: [ServedModel(name: "m", model: model)])
    }

    static func post(_ service: PredictionService, _ body: String) throws -> (Int, TestJSON) {
        let response = service.respond(
            to: HTTPRequest(method: "POST", path: "/predict", body: Array(body.utf8))
        )
        return (response.status, try TestJSON.parse(response.body))
    }

    @Test func numbersBeyondADoubleAreRefused() throws {
        let service = try Self.service("sklearn-1.9.1/linear_regression/model.joblib")
        let (status, json) = try Self.post(
            service,
            #"{"features": [1e400, 0, 0, 0, 0, 0, 0, 0, 0, 0]}"#
        )
        #expect(status == 422)
        #expect(json["code"]?.string == "value_type")
    }

    @Test func treesRefuseNumbersBeyondFloat32() throws {
        let service = try Self.service("sklearn-1.9.1/decision_tree_classifier/model.joblib")
        let (tooLarge, json) = try Self.post(service, #"{"features": [3.5e38, 0, 0, 0]}"#)
        #expect(tooLarge == 422)
        #expect(json["error"]?.string?.contains("float32") == true)
        // The largest float32, and a double that rounds down to it, are fine.
        let (largest, _) = try Self.post(
            service,
            #"{"features": [3.4028234663852886e38, 0, 0, 0]}"#
        )
        #expect(largest == 200)
        let (roundsDown, _) = try Self.post(service, #"{"features": [3.4028235e38, 0, 0, 0]}"#)
        #expect(roundsDown == 200)
    }

    @Test func linearModelsAcceptLargeFiniteNumbers() throws {
        let service = try Self.service("sklearn-1.9.1/logistic_regression_multiclass/model.joblib")
        let (status, _) = try Self.post(service, #"{"features": [3.5e38, 0, 0, 0]}"#)
        #expect(status == 200)
    }

    @Test func nonFiniteOutputsAreNullAndFlagged() throws {
        let service = try Self.service("sklearn-1.9.1/linear_regression/model.joblib")
        let row = Array(repeating: "1e308", count: 10).joined(separator: ", ")
        let (status, json) = try Self.post(
            service,
            #"{"features": [[\#(row)], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]}"#
        )
        #expect(status == 200)
        #expect(json["predictions"]?.array?.first == .null)
        #expect(json["predictions"]?.array?.last?.double != nil)
        #expect(json["non_finite"] == .bool(true))
        let (_, finite) = try Self.post(service, #"{"features": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}"#)
        #expect(finite["non_finite"] == nil)
    }

    @Test func aKeyGivenTwiceIsNamed() throws {
        let service = try Self.service("sklearn-1.9.1/decision_tree_classifier/model.joblib")
        let (status, json) = try Self.post(
            service,
            #"{"features": [1, 2, 3, 4], "features": [1, 2, 3, 4]}"#
        )
        #expect(status == 400)
        #expect(json["error"]?.string?.contains("twice") == true)
    }
}

/// Feature names match byte for byte, as in scikit-learn, not up to Unicode equivalence.
@Suite struct FeatureNameMatchingTests {
    @Test func namesThatDifferOnlyInNormalisationAreDifferentFeatures() throws {
        let model = try ModelLoader.load(
            path: Fixtures.root + "/inconsistent/canonically_equivalent_names.pkl"
        )
        let service = PredictionService(models: [ServedModel(name: "m", model: model)])
        // "\u00e9" is the first feature (weight 1), "e\u0301" the second (weight 10).
        let body = #"{"instances": [{"\u00e9": 2, "e\u0301": 3}, {"e\u0301": 2, "\u00e9": 3}]}"#
        let response = service.respond(
            to: HTTPRequest(method: "POST", path: "/predict", body: Array(body.utf8))
        )
        #expect(response.status == 200)
        let json = try TestJSON.parse(response.body)
        #expect(json["predictions"]?.array?.map(\.double) == [32, 23])
    }
}
