import Estimators
import Serving
import TestSupport
import Testing

/// MLflow's scoring protocol in memory: `/invocations` bodies beyond the cases, status
/// routes and errors in MLflow's shape.
@Suite struct MLflowTests {
    @Test func statusRoutes() throws {
        let service = try Served.service("l4")
        for path in ["/ping", "/health"] {
            let reply = Served.get(service, path)
            #expect(reply.status == 200)
            #expect(reply.json == .object(["status": .string("ok")]))
        }
        let version = Served.get(service, "/version")
        #expect(version.json == .object(["version": .string(AugurVersion.current)]))
    }

    @Test func invocationsIsPostOnly() throws {
        let reply = Served.get(try Served.service("l4"), "/invocations")
        #expect(RowDialect.mlflow.isError(reply, status: 405), "\(reply.text)")
        #expect(reply.response.headers.contains { $0.name == "Allow" && $0.value == "POST" })
    }

    @Test func paramsAreIgnoredWhenAnObject() throws {
        let service = try Served.service("l4")
        let reply = Served.send(
            service,
            "/invocations",
            #"{"params": {"k": 1}, "instances": [[1, 1, 0, 0]]}"#
        )
        #expect(reply.predictions == [.number(3.5, text: "3.5")], "\(reply.text)")
        let wrong = Served.send(
            service,
            "/invocations",
            #"{"params": 3, "instances": [[1, 1, 0, 0]]}"#
        )
        #expect(RowDialect.mlflow.isError(wrong, status: 400))
    }

    @Test func unknownKeysNameTheAcceptedOnes() throws {
        let reply = Served.send(
            try Served.service("l4"),
            "/invocations",
            #"{"rows": [[1, 1, 0, 0]]}"#
        )
        #expect(RowDialect.mlflow.isError(reply, status: 400))
        #expect(reply.message?.contains("\"dataframe_split\", \"dataframe_records\"") == true)
    }

    @Test func inputsAsColumns() throws {
        let service = try Served.service("c14_named")
        let reply = Served.send(
            service,
            "/invocations",
            #"{"inputs": {"d": [4, 0], "b": [2, 0], "a": [1, 1], "c": [3, 0]}}"#
        )
        #expect(reply.status == 200, "\(reply.text)")
        let values = reply.predictions?.compactMap(\.double) ?? []
        #expect(values.count == 2)
        #expect(Fixtures.close(values.first ?? 0, 4321) && Fixtures.close(values.last ?? 0, 1))
        let ragged = Served.send(
            service,
            "/invocations",
            #"{"inputs": {"a": [1, 1], "b": [2], "c": [3, 3], "d": [4, 4]}}"#
        )
        #expect(RowDialect.mlflow.isError(ragged, status: 400), "\(ragged.text)")
        #expect(ragged.message?.contains("differ in length") == true)
        let missing = Served.send(service, "/invocations", #"{"inputs": {"a": [1], "b": [2]}}"#)
        #expect(RowDialect.mlflow.isError(missing, status: 422), "\(missing.text)")
        #expect(missing.message?.contains("\"c\", \"d\"") == true)
    }

    @Test func dataMayComeBeforeColumns() throws {
        let reply = Served.send(
            try Served.service("c14_named"),
            "/invocations",
            #"{"dataframe_split": {"data": [[4, 3, 2, 1]], "index": [7], "#
                + #""columns": ["d", "c", "b", "a"]}}"#
        )
        #expect(
            matchesRecorded(reply.predictions, try Served.recorded("c14_named")),
            "\(reply.text)"
        )
    }

    @Test func splitRowsMustMatchTheColumns() throws {
        let reply = Served.send(
            try Served.service("c14_named"),
            "/invocations",
            #"{"dataframe_split": {"columns": ["a", "b", "c", "d"], "data": [[1, 2, 3]]}}"#
        )
        #expect(RowDialect.mlflow.isError(reply, status: 400), "\(reply.text)")
        let unknown = Served.send(
            try Served.service("c14_named"),
            "/invocations",
            #"{"dataframe_split": {"columns": ["a", "b", "c", "e"], "data": [[1, 2, 3, 4]]}}"#
        )
        #expect(RowDialect.mlflow.isError(unknown, status: 422), "\(unknown.text)")
        #expect(
            unknown.message?.contains("\"e\"") == true && unknown.message?.contains("\"d\"") == true
        )
    }

    @Test func splitWithNumberedColumnsForAModelWithoutNames() throws {
        let reply = Served.send(
            try Served.service("l4"),
            "/invocations",
            #"{"dataframe_split": {"columns": [0, 1, 2, 3], "data": [[1, 1, 0, 0], [2, 0, 0, 0]]}}"#
        )
        #expect(matchesRecorded(reply.predictions, try Served.recorded("l4")), "\(reply.text)")
    }

    @Test func recordsWithStringsAndPandasRecordsFormat() throws {
        let service = try Served.service("c16_columns")
        let recorded = try Served.recorded("c16_columns")
        let records = #"[{"color": "red", "x": 0.3}, {"x": 0.7, "color": "blue"}]"#
        let envelope = Served.send(service, "/invocations", #"{"dataframe_records": \#(records)}"#)
        #expect(matchesRecorded(envelope.predictions, recorded), "\(envelope.text)")
        let bare = Served.send(
            service,
            "/invocations",
            records,
            contentType: "application/json; format=pandas-records"
        )
        #expect(matchesRecorded(bare.predictions, recorded), "\(bare.text)")
        let lists = Served.send(
            service,
            "/invocations",
            #"{"dataframe_records": [[0.3, "red"]]}"#
        )
        #expect(RowDialect.mlflow.isError(lists, status: 400), "\(lists.text)")
        let format = Served.send(
            service,
            "/invocations",
            records,
            contentType: "application/json; format=pandas-index"
        )
        #expect(RowDialect.mlflow.isError(format, status: 400), "\(format.text)")
    }

    @Test func bareSplitNeedsTheFormatParameter() throws {
        let reply = Served.send(
            try Served.service("c14_named"),
            "/invocations",
            #"{"columns": ["a", "b", "c", "d"], "data": [[1, 2, 3, 4]]}"#
        )
        #expect(RowDialect.mlflow.isError(reply, status: 400), "\(reply.text)")
    }

    @Test func severalModelsWithoutADefaultIs404() throws {
        let load = { (name: String) in
            try ModelLoader.load(path: "\(Fixtures.root)/served/\(name)/model.joblib")
        }
        let service = PredictionService(models: [
            ServedModel(name: "a", model: try load("l4")),
            ServedModel(name: "b", model: try load("echo")),
        ])
        let reply = Served.send(service, "/invocations", #"{"instances": [[1, 1, 0, 0]]}"#)
        #expect(RowDialect.mlflow.isError(reply, status: 404), "\(reply.text)")
        let chosen = PredictionService(
            models: [
                ServedModel(name: "a", model: try load("l4")),
                ServedModel(name: "b", model: try load("echo")),
            ],
            defaultModel: "a"
        )
        let answered = Served.send(chosen, "/invocations", #"{"instances": [[1, 1, 0, 0]]}"#)
        #expect(answered.predictions == [.number(3.5, text: "3.5")])
    }

    @Test func nonFiniteOutputsAreNullAndFlagged() throws {
        let reply = Served.send(
            try Served.service("echo"),
            "/invocations",
            #"{"instances": [[1e308, 0], [1, 0]]}"#
        )
        #expect(reply.status == 200)
        let huge = Served.send(
            try Served.service("l4"),
            "/invocations",
            #"{"instances": [[1e308, 1e308, 0, 0]]}"#
        )
        #expect(huge.predictions == [.null], "\(huge.text)")
        #expect(huge.json?["non_finite"] == .bool(true))
        #expect(reply.json?["non_finite"] == nil)
    }
}
