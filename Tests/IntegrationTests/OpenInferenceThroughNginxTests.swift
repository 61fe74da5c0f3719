import Foundation
import TestSupport
import Testing

/// The Open Inference (V2) dialect through real nginx and a real `augur serve` pool: infer,
/// metadata and health with the served-case models, then Triton's own HTTP client.
@Suite(.serialized, .enabled(if: ServedStack.isAvailable, "needs nginx and a built augur"))
struct OpenInferenceThroughNginxTests {
    static let folder = Fixtures.root + "/served"
    /// Models without nulls in their recorded rows: the client sends them as FP64 tensors.
    static let fixtures = [
        "l4", "c18_logistic", "c20_int64", "c20_uint8", "c21_point", "c22_species", "c24_p3",
    ]

    static func startStack(_ names: [String]) throws -> ServedStack {
        try ServedStack(models: names.map { ($0, "\(folder)/\($0)/model.joblib") })
    }

    static func recorded(_ fixture: String) throws -> TestJSON {
        let expected = try TestJSON.read(path: "\(folder)/\(fixture)/expected.json")
        return try #require(expected["requests"]?.array?.first)
    }

    static func output(_ json: TestJSON, _ name: String) -> TestJSON? {
        json["outputs"]?.array?.first { $0["name"]?.string == name }
    }

    @Test func inferMetadataAndHealthThroughNginx() throws {
        let stack = try Self.startStack(["l4", "c16_columns", "c20_uint8", "c24_p3"])
        defer { stack.stop() }
        let client = stack.client

        // C42 (1): a flat FP32 tensor, the id echoed.
        let l4 = try client.send(
            "POST",
            "/v2/models/l4/infer",
            body: Array(
                (#"{"id":"abc-1","inputs":[{"name":"input-0","shape":[2,4],"datatype":"FP32","#
                    + #""data":[1,1,0,0,2,0,0,0]}]}"#).utf8
            )
        )
        #expect(l4.status == 200, "\(l4.text)")
        #expect(l4.header("Content-Type")?.hasPrefix("application/json") == true)
        let l4JSON = try TestJSON.parse(l4.body)
        #expect(l4JSON["id"]?.string == "abc-1")
        #expect(l4JSON["model_name"]?.string == "l4")
        let l4Predict = try #require(Self.output(l4JSON, "predict"))
        #expect(l4Predict["datatype"]?.string == "FP64")
        #expect(l4Predict["data"] == (try Self.recorded("l4")["predict"]))

        // C16: one BYTES and one FP64 column, placed by name.
        let columns = try client.send(
            "POST",
            "/v2/models/c16_columns/versions/1/infer",
            body: Array(
                (#"{"parameters":{"content_type":"pd"},"inputs":[{"name":"x","shape":[2],"#
                    + #""datatype":"FP64","data":[0.3,0.7]},{"name":"color","shape":[2],"#
                    + #""datatype":"BYTES","data":["red","blue"]}]}"#).utf8
            )
        )
        #expect(columns.status == 200, "\(columns.text)")
        let columnsPredict = try #require(Self.output(try TestJSON.parse(columns.body), "predict"))
        #expect(columnsPredict["datatype"]?.string == "BYTES")
        #expect(columnsPredict["data"] == (try Self.recorded("c16_columns")["predict"]))

        // C20 (c) and C24: label datatype, probabilities and their classes.
        for fixture in ["c20_uint8", "c24_p3"] {
            let recorded = try Self.recorded(fixture)
            let rows = try #require(recorded["rows"]?.matrix)
            let body: [String: Any] = [
                "inputs": [
                    [
                        "name": "input-0", "shape": [rows.count, rows[0].count],
                        "datatype": "FP64", "data": rows,
                    ]
                ],
                "outputs": [["name": "predict"], ["name": "predict_proba"]],
            ]
            let response = try client.send(
                "POST",
                "/v2/models/\(fixture)/infer",
                body: Array(try JSONSerialization.data(withJSONObject: body))
            )
            #expect(response.status == 200, "\(fixture): \(response.text)")
            let json = try TestJSON.parse(response.body)
            let predict = try #require(Self.output(json, "predict"))
            #expect(predict["data"] == recorded["predict"], "\(fixture)")
            #expect(
                predict["datatype"]?.string == (fixture == "c20_uint8" ? "UINT8" : "BYTES")
            )
            let proba = try #require(Self.output(json, "predict_proba"))
            let flat = try #require(recorded["predict_proba"]?.matrix).flatMap { $0 }
            #expect(proba["data"]?.array?.map(\.double) == flat.map { Optional($0) }, "\(fixture)")
            #expect(proba["parameters"]?["classes"] == recorded["classes"], "\(fixture)")
        }

        // C42 (3): a client mistake is a JSON 400 from the worker, not nginx's page.
        let short = try client.send(
            "POST",
            "/v2/models/l4/infer",
            body: Array(
                (#"{"inputs":[{"name":"input-0","shape":[2,4],"datatype":"FP32","#
                    + #""data":[1,1,0,0,2,0,0]}]}"#).utf8
            )
        )
        #expect(short.status == 400)
        let shortError = try #require(try TestJSON.parse(short.body)["error"]?.string)
        #expect(shortError.contains("shape [2,4] needs 8 values, got 7"))

        // Metadata, readiness and health (C29's controls), and the 405 for GET on infer.
        let metadata = try client.send("GET", "/v2/models/c20_uint8")
        #expect(metadata.status == 200)
        let metadataJSON = try TestJSON.parse(metadata.body)
        #expect(metadataJSON["outputs"]?.array?.first?["datatype"]?.string == "UINT8")
        #expect(
            metadataJSON["inputs"]?.array?.first?["shape"]?.array?.map(\.double) == [-1, 1]
        )
        let server = try TestJSON.parse(try client.send("GET", "/v2").body)
        #expect(server["name"]?.string == "augur")
        for path in ["/v2/health/live", "/v2/health/ready", "/v2/models/l4/ready"] {
            let response = try client.send("GET", path)
            #expect(response.status == 200, "\(path)")
            #expect((try? TestJSON.parse(response.body)) != nil, "\(path)")
        }
        let unknown = try client.send("GET", "/v2/models/nope/ready")
        #expect(unknown.status == 404)
        #expect(try TestJSON.parse(unknown.body)["error"]?.string?.contains("'l4'") == true)
        let get = try client.send("GET", "/v2/models/l4/infer")
        #expect(get.status == 405)
        #expect(get.header("Allow") == "POST")
        #expect((try? TestJSON.parse(get.body)) != nil)
    }

    @Test(.enabled(if: ClientPython.isAvailable, "needs the client venv (scripts/test)"))
    func tritonClientAgreesWithScikitLearn() throws {
        let stack = try Self.startStack(Self.fixtures)
        defer { stack.stop() }
        let run = try ClientPython.run(
            "Tests/Clients/triton_v2.py",
            [String(stack.port)] + Self.fixtures.map { "\($0)=\(Self.folder)/\($0)" }
        )
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("\n0 failures"), "\(run.output)")
        // Every model was really checked, not skipped.
        for fixture in Self.fixtures {
            #expect(run.output.contains("ok    \(fixture): predict "), "\(run.output)")
        }
    }
}
