import Estimators
import Serving
import TestSupport
import Testing

/// KServe V1 in memory: predict, model status and list, and Augur's one-output extension.
@Suite struct KServeV1Tests {
    static func twoModels() throws -> PredictionService {
        let load = { (name: String) in
            try ModelLoader.load(path: "\(Fixtures.root)/served/\(name)/model.joblib")
        }
        return PredictionService(models: [
            ServedModel(name: "p3", model: try load("c24_p3")),
            ServedModel(name: "l4", model: try load("l4")),
        ])
    }

    @Test func modelListNamesEveryModel() throws {
        let reply = Served.get(try Self.twoModels(), "/v1/models")
        #expect(reply.status == 200)
        #expect(reply.json == .object(["models": .array([.string("l4"), .string("p3")])]))
    }

    @Test func modelStatusIsReady() throws {
        let reply = Served.get(try Self.twoModels(), "/v1/models/p3")
        #expect(reply.status == 200)
        #expect(reply.json == .object(["name": .string("p3"), "ready": .bool(true)]))
        let unknown = Served.get(try Self.twoModels(), "/v1/models/nope")
        #expect(RowDialect.kserveV1.isError(unknown, status: 404))
        #expect(unknown.message?.contains("'l4', 'p3'") == true, "\(unknown.text)")
    }

    @Test func predictAnswersPredictionsOnly() throws {
        let reply = Served.send(
            try Self.twoModels(),
            "/v1/models/p3:predict",
            #"{"instances": [[0], [1], [2]]}"#
        )
        #expect(reply.status == 200)
        #expect(reply.json?["predictions"] == (try Served.recorded("c24_p3"))["predict"])
        #expect(reply.json.map { if case .object(let o) = $0 { o.count } else { 0 } } == 1)
    }

    @Test func inputsIsReadLikeInstances() throws {
        let reply = Served.send(
            try Self.twoModels(),
            "/v1/models/l4:predict",
            #"{"inputs": [[1, 1, 0, 0], [2, 0, 0, 0]]}"#
        )
        #expect(matchesRecorded(reply.predictions, try Served.recorded("l4")), "\(reply.text)")
        let both = Served.send(
            try Self.twoModels(),
            "/v1/models/l4:predict",
            #"{"inputs": [[1, 1, 0, 0]], "instances": [[1, 1, 0, 0]]}"#
        )
        #expect(RowDialect.kserveV1.isError(both, status: 400))
    }

    /// C24: probabilities follow the sorted classes, which the answer names.
    @Test func probabilitiesThroughTheOutputsExtension() throws {
        let recorded = try Served.recorded("c24_p3")
        let reply = Served.send(
            try Self.twoModels(),
            "/v1/models/p3:predict",
            #"{"instances": [[0], [1], [2]], "outputs": ["predict_proba"]}"#
        )
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json?["predictions"]?.matrix == recorded["predict_proba"]?.matrix)
        #expect(reply.json?["classes"] == recorded["classes"])
        #expect(
            reply.json?["classes"] == .array([.string("eggs"), .string("ham"), .string("spam")])
        )
    }

    @Test func outputsExtensionTakesOneKnownOutput() throws {
        let service = try Self.twoModels()
        let several = Served.send(
            service,
            "/v1/models/p3:predict",
            #"{"instances": [[0]], "outputs": ["predict", "predict_proba"]}"#
        )
        #expect(RowDialect.kserveV1.isError(several, status: 400), "\(several.text)")
        let unknown = Served.send(
            service,
            "/v1/models/l4:predict",
            #"{"instances": [[1, 1, 0, 0]], "outputs": ["predict_proba"]}"#
        )
        #expect(RowDialect.kserveV1.isError(unknown, status: 422), "\(unknown.text)")
        #expect(unknown.json?["code"]?.string == "unknown_output")
    }

    @Test func unknownFieldsAndModelsAreRefused() throws {
        let service = try Self.twoModels()
        let field = Served.send(
            service,
            "/v1/models/l4:predict",
            #"{"instances": [[1, 1, 0, 0]], "signature": "x"}"#
        )
        #expect(RowDialect.kserveV1.isError(field, status: 400))
        #expect(field.message?.contains("unknown field \"signature\"") == true)
        let model = Served.send(service, "/v1/models/nope:predict", #"{"instances": [[1]]}"#)
        #expect(RowDialect.kserveV1.isError(model, status: 404))
    }

    @Test func predictIsPostOnly() throws {
        let reply = Served.get(try Self.twoModels(), "/v1/models/l4:predict")
        #expect(RowDialect.kserveV1.isError(reply, status: 405))
        #expect(reply.response.headers.contains { $0.name == "Allow" && $0.value == "POST" })
    }

    @Test func namedRowsAndStringsReachTheModel() throws {
        let recorded = try Served.recorded("c16_columns")
        let reply = Served.send(
            try Served.service("c16_columns"),
            "/v1/models/m:predict",
            #"{"instances": [{"color": "red", "x": 0.3}, {"x": 0.7, "color": "blue"}]}"#
        )
        #expect(reply.status == 200, "\(reply.text)")
        #expect(matchesRecorded(reply.predictions, recorded))
    }
}
