import Estimators
import Serving
import TestSupport
import Testing

/// The models of cases.md (`Tests/Fixtures/served`), each served alone as `m`, and
/// requests to them in memory through every dialect that predicts from rows.
enum Served {
    static func service(_ name: String) throws -> PredictionService {
        let model = try ModelLoader.load(path: "\(Fixtures.root)/served/\(name)/model.joblib")
        return PredictionService(models: [ServedModel(name: "m", model: model)])
    }

    /// scikit-learn's answers for the case's rows.
    static func recorded(_ name: String) throws -> TestJSON {
        let expected = try TestJSON.read(path: "\(Fixtures.root)/served/\(name)/expected.json")
        return try #require(expected["requests"]?.array?.first)
    }

    struct Reply {
        let status: Int
        let json: TestJSON?
        let response: HTTPResponse

        var text: String { String(decoding: response.body, as: UTF8.self) }
        var predictions: [TestJSON]? { json?["predictions"]?.array }

        /// The error message, in whichever dialect's shape.
        var message: String? { json?["error"]?.string ?? json?["message"]?.string }
    }

    static func get(_ service: PredictionService, _ path: String) -> Reply {
        send(service, path, "", method: "GET")
    }

    static func send(
        _ service: PredictionService,
        _ path: String,
        _ body: String,
        contentType: String? = "application/json",
        method: String = "POST"
    ) -> Reply {
        let response = service.respond(
            to: HTTPRequest(
                method: method,
                path: path,
                contentType: contentType,
                body: Array(body.utf8)
            )
        )
        return Reply(
            status: response.status,
            json: try? TestJSON.parse(response.body),
            response: response
        )
    }
}

/// The three dialects that take `{"instances": [...]}` for model `m`.
enum RowDialect: String, CaseIterable, CustomStringConvertible {
    case native, kserveV1, mlflow

    var path: String {
        switch self {
        case .native: "/predict"
        case .kserveV1: "/v1/models/m:predict"
        case .mlflow: "/invocations"
        }
    }

    var description: String { rawValue }

    /// Whether `reply` is an error in this dialect's shape, with `status`.
    func isError(_ reply: Served.Reply, status: Int) -> Bool {
        guard reply.status == status, let json = reply.json else { return false }
        switch self {
        case .native, .kserveV1:
            return json["error"]?.string?.isEmpty == false && json["code"]?.string != nil
                && json["error_code"] == nil
        case .mlflow:
            let code = status == 404 ? "RESOURCE_DOES_NOT_EXIST" : "BAD_REQUEST"
            return json["error_code"]?.string == code
                && json["message"]?.string?.isEmpty == false && json["error"] == nil
        }
    }
}

/// Whether `actual` predictions are what scikit-learn recorded in `entry`: a classifier's
/// labels exactly, in their JSON type; a regressor's numbers within 1e-12 absolute or 1e-9
/// relative.
func matchesRecorded(_ actual: [TestJSON]?, _ entry: TestJSON) -> Bool {
    guard let actual, let wanted = entry["predict"]?.array, actual.count == wanted.count else {
        return false
    }
    let isClassifier = entry["classes"] != nil
    return zip(actual, wanted).allSatisfy { actual, wanted in
        if !isClassifier, let expected = wanted.double, let value = actual.double {
            return Fixtures.close(value, expected)
        }
        return actual == wanted
    }
}

/// The cases of cases.md that the dialects must pass, against scikit-learn's recorded
/// outputs (Tests/Fixtures/served).
@Suite struct ServingCasesTests {
    // MARK: C14

    @Test(arguments: RowDialect.allCases)
    func c14ColumnsAreMatchedByName(dialect: RowDialect) throws {
        let service = try Served.service("c14_named")
        let recorded = try Served.recorded("c14_named")
        for body in [
            #"{"instances": [{"a": 1, "b": 2, "c": 3, "d": 4}]}"#,
            #"{"instances": [{"d": 4, "c": 3, "b": 2, "a": 1}]}"#,
            #"{"instances": [[1, 2, 3, 4]]}"#,
        ] {
            let reply = Served.send(service, dialect.path, body)
            #expect(reply.status == 200, "\(dialect) \(body): \(reply.text)")
            #expect(matchesRecorded(reply.predictions, recorded), "\(reply.text)")
            #expect(abs((reply.predictions?.first?.double ?? 0) - 4321) <= 1e-9)
        }
    }

    @Test(arguments: RowDialect.allCases)
    func c14MissingAndUnknownColumnsAreNamed(dialect: RowDialect) throws {
        let service = try Served.service("c14_named")
        let missing = Served.send(
            service,
            dialect.path,
            #"{"instances": [{"a": 1, "b": 2, "c": 3}]}"#
        )
        #expect(dialect.isError(missing, status: 422), "\(missing.text)")
        #expect(missing.message?.contains("missing feature \"d\"") == true, "\(missing.text)")
        let unknown = Served.send(
            service,
            dialect.path,
            #"{"instances": [{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}]}"#
        )
        #expect(dialect.isError(unknown, status: 422), "\(unknown.text)")
        #expect(unknown.message?.contains("unknown feature \"e\"") == true, "\(unknown.text)")
    }

    @Test func c14DataframeSplitColumnsAreReorderedByName() throws {
        let service = try Served.service("c14_named")
        let recorded = try Served.recorded("c14_named")
        let reply = Served.send(
            service,
            "/invocations",
            #"{"dataframe_split": {"columns": ["d", "c", "b", "a"], "data": [[4, 3, 2, 1]]}}"#
        )
        #expect(reply.status == 200, "\(reply.text)")
        #expect(matchesRecorded(reply.predictions, recorded), "\(reply.text)")
        // The same through a CSV header, to MLflow and to /predict.
        for path in ["/invocations", "/predict"] {
            let csv = Served.send(service, path, "d,c,b,a\n4,3,2,1\n", contentType: "text/csv")
            #expect(csv.status == 200, "\(path): \(csv.text)")
            #expect(matchesRecorded(csv.predictions, recorded), "\(csv.text)")
        }
    }

    @Test(arguments: RowDialect.allCases)
    func c14ModelWithoutNamesTakesRowsAsLists(dialect: RowDialect) throws {
        let service = try Served.service("c14_unnamed")
        let recorded = try Served.recorded("c14_unnamed")
        let lists = Served.send(service, dialect.path, #"{"instances": [[1, 2, 3, 4]]}"#)
        #expect(lists.status == 200)
        #expect(matchesRecorded(lists.predictions, recorded), "\(lists.text)")
        let named = Served.send(
            service,
            dialect.path,
            #"{"instances": [{"a": 1, "b": 2, "c": 3, "d": 4}]}"#
        )
        #expect(dialect.isError(named, status: 422), "\(named.text)")
        #expect(named.json?["code"]?.string ?? "feature_names" == "feature_names")
        #expect(named.message?.contains("fitted without feature names") == true)
    }

    @Test func c14RecordsToAModelWithoutNamesAreRefused() throws {
        let service = try Served.service("c14_unnamed")
        let records = Served.send(
            service,
            "/invocations",
            #"{"dataframe_records": [{"a": 1, "b": 2, "c": 3, "d": 4}]}"#
        )
        #expect(RowDialect.mlflow.isError(records, status: 422), "\(records.text)")
        // Listed columns are placed by position when their count matches.
        let recorded = try Served.recorded("c14_unnamed")
        let split = Served.send(
            service,
            "/invocations",
            #"{"dataframe_split": {"columns": ["w", "x", "y", "z"], "data": [[1, 2, 3, 4]]}}"#
        )
        #expect(matchesRecorded(split.predictions, recorded), "\(split.text)")
        let short = Served.send(
            service,
            "/invocations",
            #"{"dataframe_split": {"columns": ["w", "x", "y"], "data": [[1, 2, 3]]}}"#
        )
        #expect(RowDialect.mlflow.isError(short, status: 422), "\(short.text)")
    }

    // MARK: C17

    @Test(arguments: RowDialect.allCases)
    func c17UnseenCategoriesAreIgnoredOrNamed(dialect: RowDialect) throws {
        let rows = #"[["red"], ["green"], ["blue"]]"#
        let withPurple = #"[["red"], ["green"], ["blue"], ["purple"]]"#
        let ignore = try Served.service("c17_ignore")
        let ignored = Served.send(ignore, dialect.path, #"{"instances": \#(withPurple)}"#)
        #expect(ignored.status == 200, "\(ignored.text)")
        #expect(
            matchesRecorded(ignored.predictions, try Served.recorded("c17_ignore")),
            "\(ignored.text)"
        )
        let refuse = try Served.service("c17_error")
        let refused = Served.send(refuse, dialect.path, #"{"instances": \#(withPurple)}"#)
        #expect(dialect.isError(refused, status: 422), "\(refused.text)")
        let message = try #require(refused.message)
        #expect(message.contains("\"purple\"") && message.contains("column 0"), "\(message)")
        let known = Served.send(refuse, dialect.path, #"{"instances": \#(rows)}"#)
        #expect(
            matchesRecorded(known.predictions, try Served.recorded("c17_error")),
            "\(known.text)"
        )
    }

    @Test func c17CategoriesInCSV() throws {
        let ignore = try Served.service("c17_ignore")
        let recorded = try Served.recorded("c17_ignore")
        // /predict: "red" sits in a text column, so the first line is data.
        let native = Served.send(
            ignore,
            "/predict",
            "red\ngreen\nblue\npurple\n",
            contentType: "text/csv"
        )
        #expect(matchesRecorded(native.predictions, recorded), "\(native.text)")
        // MLflow: the first line is always the header, placed by position here.
        let mlflow = Served.send(
            ignore,
            "/invocations",
            "color\nred\ngreen\nblue\npurple\n",
            contentType: "text/csv"
        )
        #expect(matchesRecorded(mlflow.predictions, recorded), "\(mlflow.text)")
        let refused = Served.send(
            try Served.service("c17_error"),
            "/invocations",
            "color\nred\npurple\n",
            contentType: "text/csv"
        )
        #expect(RowDialect.mlflow.isError(refused, status: 422), "\(refused.text)")
        #expect(refused.message?.contains("\"purple\"") == true)
    }

    // MARK: C18

    @Test(arguments: RowDialect.allCases)
    func c18MissingValues(dialect: RowDialect) throws {
        for name in ["c18_imputer", "c18_tree_nan", "c18_hgb_nan"] {
            let recorded = try Served.recorded(name)
            let rows = try #require(recorded["rows"]?.array).map { row in
                "["
                    + (row.array ?? []).map { $0.double.map { "\($0)" } ?? "null" }
                    .joined(separator: ", ") + "]"
            }
            let reply = Served.send(
                try Served.service(name),
                dialect.path,
                #"{"instances": [\#(rows.joined(separator: ", "))]}"#
            )
            #expect(reply.status == 200, "\(name): \(reply.text)")
            #expect(matchesRecorded(reply.predictions, recorded), "\(name): \(reply.text)")
        }
        let logistic = Served.send(
            try Served.service("c18_logistic"),
            dialect.path,
            #"{"instances": [[null, 3.5, 1.4, 0.2]]}"#
        )
        #expect(dialect.isError(logistic, status: 422), "\(logistic.text)")
        #expect(logistic.message?.contains("NaN") == true, "\(logistic.text)")
    }

    @Test(arguments: RowDialect.allCases)
    func c18NaNTokenIsInvalidJSON(dialect: RowDialect) throws {
        let service = try Served.service("c18_imputer")
        let reply = Served.send(service, dialect.path, #"{"instances": [[NaN]]}"#)
        #expect(dialect.isError(reply, status: 400), "\(reply.text)")
        #expect(reply.message?.contains("invalid JSON at byte 16") == true, "\(reply.text)")
        let next = Served.send(service, dialect.path, #"{"instances": [[1]]}"#)
        #expect(next.status == 200)
    }

    @Test func c18EmptyCSVCellsAreMissing() throws {
        let recorded = try Served.recorded("c18_hgb_nan")
        let service = try Served.service("c18_hgb_nan")
        for (path, body) in [
            ("/predict", ",0.5,-1\n0.2,,\n,,\n1,1,1\n"),
            ("/invocations", "x0,x1,x2\r\n,0.5,-1\r\n0.2,,\r\n\"\",,\r\n1,1,1"),
        ] {
            let reply = Served.send(service, path, body, contentType: "text/csv")
            #expect(reply.status == 200, "\(path): \(reply.text)")
            #expect(matchesRecorded(reply.predictions, recorded), "\(reply.text)")
        }
    }

    // MARK: C22

    @Test(arguments: [RowDialect.kserveV1, .mlflow, .native])
    func c22StringLabelsStayStrings(dialect: RowDialect) throws {
        let reply = Served.send(
            try Served.service("c22_species"),
            dialect.path,
            #"{"instances": [[0.5], [2.5]]}"#
        )
        #expect(reply.status == 200)
        #expect(reply.predictions == [.string("setosa"), .string("virginica")])
        #expect(reply.predictions == (try Served.recorded("c22_species"))["predict"]?.array)
    }

    // MARK: C26

    @Test(arguments: RowDialect.allCases)
    func c26ShapesThatAreNotRowsAreRefused(dialect: RowDialect) throws {
        let l4 = try Served.service("l4")
        for body in [
            #"{"instances": [1, 1, 0, 0]}"#, #"{"instances": 5}"#,
            #"{"instances": [[[1, 1, 0, 0]]]}"#,
        ] {
            let reply = Served.send(l4, dialect.path, body)
            #expect(dialect.isError(reply, status: 400), "\(dialect) \(body): \(reply.text)")
        }
        for body in [#"{"instances": [[1, 1, 0]]}"#, #"{"instances": [[1, 1, 0, 0], [1, 1]]}"#] {
            let reply = Served.send(l4, dialect.path, body)
            #expect(dialect.isError(reply, status: 422), "\(dialect) \(body): \(reply.text)")
            #expect(reply.message?.contains("expects 4 features per row") == true)
        }
        let s1 = Served.send(try Served.service("s1"), dialect.path, #"{"instances": [1, 2, 3]}"#)
        #expect(dialect.isError(s1, status: 400), "\(s1.text)")
        #expect(s1.message?.contains("list of rows") == true)
    }

    // MARK: C27

    @Test(arguments: RowDialect.allCases)
    func c27EmptyInputs(dialect: RowDialect) throws {
        let service = try Served.service("l4")
        let emptyBatch = Served.send(service, dialect.path, #"{"instances": []}"#)
        #expect(dialect.isError(emptyBatch, status: 422), "\(emptyBatch.text)")
        #expect(emptyBatch.json?["code"]?.string ?? "empty_batch" == "empty_batch")
        let emptyBody = Served.send(service, dialect.path, "")
        #expect(dialect.isError(emptyBody, status: 400), "\(emptyBody.text)")
        #expect(emptyBody.json?["code"]?.string ?? "empty_body" == "empty_body")
        #expect(emptyBody.message?.hasPrefix("empty body") == true)
        let next = Served.send(
            service,
            dialect.path,
            #"{"instances": [[1, 1, 0, 0], [2, 0, 0, 0]]}"#
        )
        #expect(matchesRecorded(next.predictions, try Served.recorded("l4")))
    }

    @Test func c27EmptyDataframeAndCSVAreEmptyBatches() throws {
        let service = try Served.service("l4")
        let split = Served.send(
            service,
            "/invocations",
            #"{"dataframe_split": {"columns": ["a", "b", "c", "d"], "data": []}}"#
        )
        #expect(RowDialect.mlflow.isError(split, status: 422), "\(split.text)")
        #expect(split.message?.contains("no rows") == true)
        let headerOnly = Served.send(service, "/invocations", "a,b,c,d\n", contentType: "text/csv")
        #expect(RowDialect.mlflow.isError(headerOnly, status: 422), "\(headerOnly.text)")
        let blank = Served.send(service, "/predict", "\n\n", contentType: "text/csv")
        #expect(RowDialect.native.isError(blank, status: 400), "\(blank.text)")
        #expect(blank.json?["code"]?.string == "empty_body")
    }

    // MARK: C28

    @Test(arguments: RowDialect.allCases)
    func c28ContentTypes(dialect: RowDialect) throws {
        let service = try Served.service("l4")
        let body = #"{"instances": [[1, 1, 0, 0]]}"#
        for contentType in [nil, "application/json; charset=utf-8", "APPLICATION/JSON"] {
            let reply = Served.send(service, dialect.path, body, contentType: contentType)
            #expect(reply.status == 200, "\(contentType ?? "none")")
            #expect(reply.predictions == [.number(3.5, text: "3.5")], "\(reply.text)")
        }
        for contentType in ["application/x-www-form-urlencoded", "text/plain"] {
            let reply = Served.send(service, dialect.path, body, contentType: contentType)
            #expect(dialect.isError(reply, status: 415), "\(contentType): \(reply.text)")
            #expect(reply.message?.contains("Content-Type must be application/json") == true)
        }
    }

    @Test func c28CSVBodies() throws {
        let service = try Served.service("l4")
        for path in ["/invocations", "/predict"] {
            let reply = Served.send(service, path, "a,b,c,d\n1,1,0,0\n", contentType: "text/csv")
            #expect(reply.status == 200, "\(path): \(reply.text)")
            #expect(reply.predictions == [.number(3.5, text: "3.5")], "\(reply.text)")
        }
        // V1 is JSON only.
        let v1 = Served.send(
            service,
            "/v1/models/m:predict",
            "a,b,c,d\n1,1,0,0\n",
            contentType: "text/csv"
        )
        #expect(RowDialect.kserveV1.isError(v1, status: 415), "\(v1.text)")
    }

    // MARK: C30

    @Test(arguments: RowDialect.allCases)
    func c30BadInputIs400WithoutInternals(dialect: RowDialect) throws {
        let service = try Served.service("l4")
        // 10 MB of "[", as the case sends.
        let deep = #"{"instances": "# + String(repeating: "[", count: 10_000_000)
        let cases: [(String, Int)] = [
            (#"{"instances": [[1,1,0,0]]"#, 400),
            ("[]", 400),
            (#"{"instance": [[1,1,0,0]]}"#, 400),
            (deep, 400),
            // PROTOCOLS.md: a value of the wrong type is a body that does not fit (422).
            (#"{"instances": [["a","b","c","d"]]}"#, 422),
            (#"{"instances": [[true,false,1,0]]}"#, 422),
        ]
        for (body, status) in cases {
            let reply = Served.send(service, dialect.path, body)
            #expect(dialect.isError(reply, status: status), "\(body.prefix(40)): \(reply.text)")
            #expect(reply.response.body.count < 400, "\(reply.text)")
            for leak in ["Swift", "ServingError", ".swift", "/work", "Fixtures", "Error("] {
                #expect(!reply.text.contains(leak), "\(reply.text)")
            }
            let next = Served.send(service, dialect.path, #"{"instances": [[1, 1, 0, 0]]}"#)
            #expect(next.predictions == [.number(3.5, text: "3.5")])
        }
    }

    // MARK: C43

    @Test func c43InvocationsInputFormats() throws {
        let service = try Served.service("c14_named")
        let recorded = try Served.recorded("c14_named")
        let accepted: [(String, String)] = [
            (
                #"{"dataframe_split":{"columns":["a","b","c","d"],"data":[[1,2,3,4]]}}"#,
                "application/json"
            ),
            (#"{"dataframe_records":[{"a":1,"b":2,"c":3,"d":4}]}"#, "application/json"),
            (#"{"instances":[[1,2,3,4]]}"#, "application/json"),
            (#"{"inputs":[[1,2,3,4]]}"#, "application/json"),
            ("a,b,c,d\n1,2,3,4\n", "text/csv"),
            (
                #"{"columns":["a","b","c","d"],"data":[[1,2,3,4]]}"#,
                "application/json; format=pandas-split"
            ),
        ]
        for (body, contentType) in accepted {
            let reply = Served.send(service, "/invocations", body, contentType: contentType)
            #expect(reply.status == 200, "\(body): \(reply.text)")
            #expect(matchesRecorded(reply.predictions, recorded), "\(reply.text)")
            #expect(reply.json?["predictions"] != nil && reply.json?["error_code"] == nil)
        }
        let twoKeys = Served.send(
            service,
            "/invocations",
            #"{"instances":[[1,2,3,4]],"inputs":[[1,2,3,4]]}"#
        )
        #expect(RowDialect.mlflow.isError(twoKeys, status: 400), "\(twoKeys.text)")
        #expect(twoKeys.message?.contains("exactly one of") == true)
    }
}
