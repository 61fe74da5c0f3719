import Estimators
import Serving
import TestSupport
import Testing

/// `--max-rows`, `--max-json-depth`, `--max-string-bytes` and `--request-timeout`, in memory
/// through every dialect: the request just inside a limit is answered, the one just past it
/// is refused in the dialect's shape with the flag and its value in the message.
@Suite struct ServingLimitsTests {
    static func service(_ name: String, _ limits: ServingLimits) throws -> PredictionService {
        let model = try ModelLoader.load(path: "\(Fixtures.root)/served/\(name)/model.joblib")
        return PredictionService(models: [ServedModel(name: "m", model: model)], limits: limits)
    }

    /// `count` rows of model l4 (4 features) in `dialect`'s body.
    static func rows(_ count: Int) -> String {
        "[" + (0..<count).map { "[\($0),1,0,0]" }.joined(separator: ",") + "]"
    }

    static func v2Rows(_ count: Int) -> String {
        #"{"inputs":[{"name":"x","shape":[\#(count),4],"datatype":"FP64","data":"#
            + rows(count) + "}]}"
    }

    /// Whether `reply` refuses with `status` and `code` (or MLflow's shape) and names `flag`
    /// with `value`.
    static func refuses(
        _ reply: Served.Reply,
        status: Int,
        code: String,
        flag: String,
        value: String
    ) -> Bool {
        guard reply.status == status, let message = reply.message else { return false }
        let codeMatches =
            reply.json?["code"]?.string == code || reply.json?["error_code"]?.string != nil
        return codeMatches && message.contains("(\(flag))") && message.contains(value)
    }

    // MARK: - Rows

    @Test(arguments: RowDialect.allCases)
    func rowsUpToTheLimitAreAnsweredAndOneMoreIs413(dialect: RowDialect) throws {
        let service = try Self.service("l4", ServingLimits(maxRows: 3))
        let within = Served.send(service, dialect.path, #"{"instances": \#(Self.rows(3))}"#)
        #expect(within.status == 200, "\(within.text)")
        #expect(within.predictions?.count == 3)
        let over = Served.send(service, dialect.path, #"{"instances": \#(Self.rows(4))}"#)
        #expect(
            Self.refuses(over, status: 413, code: "too_many_rows", flag: "--max-rows", value: "3"),
            "\(over.text)"
        )
    }

    @Test func theRowLimitHoldsForCSVAndV2Tensors() throws {
        let service = try Self.service("l4", ServingLimits(maxRows: 3))
        let csv = { (count: Int) in
            (0..<count).map { "\($0),1,0,0" }.joined(separator: "\n")
        }
        for path in ["/predict", "/invocations"] {
            let header = path == "/invocations" ? "a,b,c,d\n" : ""
            let within = Served.send(service, path, header + csv(3), contentType: "text/csv")
            #expect(within.status == 200, "\(path): \(within.text)")
            let over = Served.send(service, path, header + csv(4), contentType: "text/csv")
            #expect(over.status == 413, "\(path): \(over.text)")
            #expect(over.message?.contains("(--max-rows)") == true, "\(over.text)")
        }
        let within = Served.send(service, "/v2/models/m/infer", Self.v2Rows(3))
        #expect(within.status == 200, "\(within.text)")
        let over = Served.send(service, "/v2/models/m/infer", Self.v2Rows(4))
        #expect(
            Self.refuses(over, status: 413, code: "too_many_rows", flag: "--max-rows", value: "3"),
            "\(over.text)"
        )
    }

    @Test func namedRowsAndDataframesCountToo() throws {
        let service = try Self.service("c14_named", ServingLimits(maxRows: 2))
        let row = #"{"a": 1, "b": 2, "c": 3, "d": 4}"#
        let native = Served.send(service, "/predict", #"{"instances": [\#(row),\#(row),\#(row)]}"#)
        #expect(native.status == 413, "\(native.text)")
        let records = Served.send(
            service,
            "/invocations",
            #"{"dataframe_records": [\#(row),\#(row),\#(row)]}"#
        )
        #expect(records.status == 413, "\(records.text)")
        let split = Served.send(
            service,
            "/invocations",
            #"{"dataframe_split": {"columns": ["a","b","c","d"], "data": "#
                + #"[[1,2,3,4],[1,2,3,4],[1,2,3,4]]}}"#
        )
        #expect(split.status == 413, "\(split.text)")
        #expect(split.json?["error_code"]?.string == "BAD_REQUEST", "\(split.text)")
    }

    // MARK: - Nesting

    @Test(arguments: RowDialect.allCases)
    func nestingPastTheLimitIs400NamingIt(dialect: RowDialect) throws {
        let service = try Self.service("l4", ServingLimits(maxJSONDepth: 8))
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        let reply = Served.send(service, dialect.path, #"{"instances": \#(deep)}"#)
        #expect(
            Self.refuses(
                reply,
                status: 400,
                code: "nesting_too_deep",
                flag: "--max-json-depth",
                value: "8"
            ),
            "\(reply.text)"
        )
        let deepKey =
            #"{"x": "# + String(repeating: #"{"a":"#, count: 40) + "1"
            + String(repeating: "}", count: 41)
        let unknownField = Served.send(service, dialect.path, deepKey)
        #expect(unknownField.status == 400, "\(unknownField.text)")
        #expect(unknownField.message?.contains("--max-json-depth") == true)
    }

    /// The body's object is level 1: with a limit of 8, seven more levels pass and eight do
    /// not, whether the nesting is in the rows, in a field the dialect refuses, or in V2
    /// `parameters` it ignores.
    @Test func theDepthLimitIsTheSameWhereverTheNestingIs() throws {
        let service = try Self.service("l4", ServingLimits(maxJSONDepth: 8))
        func nested(_ levels: Int) -> String {
            String(repeating: "[", count: levels) + "1" + String(repeating: "]", count: levels)
        }
        let row = #"[[1,1,0,0]]"#
        let within = Served.send(
            service,
            "/predict",
            #"{"instances": \#(row), "zz": \#(nested(7))}"#
        )
        #expect(within.json?["code"]?.string == "bad_request", "\(within.text)")
        let past = Served.send(service, "/predict", #"{"instances": \#(row), "zz": \#(nested(8))}"#)
        #expect(past.json?["code"]?.string == "nesting_too_deep", "\(past.text)")
        let tensor =
            #""inputs":[{"name":"input-0","shape":[1,4],"datatype":"FP64","data":[1,1,0,0]}]"#
        let v2Within = Served.send(
            service,
            "/v2/models/m/infer",
            #"{"parameters": {"a": \#(nested(6))}, \#(tensor)}"#
        )
        #expect(v2Within.status == 200, "\(v2Within.text)")
        let v2Past = Served.send(
            service,
            "/v2/models/m/infer",
            #"{"parameters": {"a": \#(nested(7))}, \#(tensor)}"#
        )
        #expect(v2Past.json?["code"]?.string == "nesting_too_deep", "\(v2Past.text)")
        // Brackets inside strings are text, not nesting.
        let quoted = Served.send(
            service,
            "/predict",
            #"{"instances": \#(row), "outputs": ["[[[[[[[[[[[["]}"#
        )
        #expect(quoted.json?["code"]?.string == "unknown_output", "\(quoted.text)")
    }

    @Test func theDefaultDepthStillReadsOrdinaryBodies() throws {
        let service = try Self.service("l4", ServingLimits())
        let reply = Served.send(service, "/predict", #"{"instances": \#(Self.rows(2))}"#)
        #expect(reply.status == 200)
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let refused = Served.send(service, "/predict", #"{"instances": \#(deep)}"#)
        #expect(refused.status == 400)
        #expect(refused.message?.contains("256") == true, "\(refused.text)")
    }

    // MARK: - Strings

    @Test func aStringOrCellPastTheLimitIs413InEveryDialect() throws {
        let service = try Self.service("c16_columns", ServingLimits(maxStringBytes: 16))
        let fits = String(repeating: "r", count: 16)
        let long = String(repeating: "r", count: 17)
        for path in ["/predict", "/v1/models/m:predict", "/invocations"] {
            let longKey = Served.send(service, path, #"{"\#(long)": 1}"#)
            #expect(
                Self.refuses(
                    longKey,
                    status: 413,
                    code: "string_too_long",
                    flag: "--max-string-bytes",
                    value: "16"
                ),
                "\(path): \(longKey.text)"
            )
            let cell = Served.send(service, path, #"{"instances": [[0.3, "\#(long)"]]}"#)
            #expect(cell.status == 413, "\(path): \(cell.text)")
            // Escapes count as the bytes they stand for: 17 of them decode to 17 bytes.
            let escaped = String(repeating: #"\u0072"#, count: 17)
            let decoded = Served.send(service, path, #"{"instances": [[0.3, "\#(escaped)"]]}"#)
            #expect(decoded.status == 413, "\(path): \(decoded.text)")
            let within = Served.send(service, path, #"{"instances": [[0.3, "\#(fits)"]]}"#)
            #expect(within.status != 413, "\(path): \(within.text)")
        }
        for path in ["/predict", "/invocations"] {
            let csv = Served.send(service, path, "x,color\n0.3,\(long)\n", contentType: "text/csv")
            #expect(csv.status == 413, "\(path): \(csv.text)")
            #expect(csv.message?.contains("(--max-string-bytes)") == true, "\(csv.text)")
        }
        let bytes =
            #"{"inputs":[{"name":"x","shape":[1],"datatype":"FP64","data":[0.3]},"#
            + #"{"name":"color","shape":[1],"datatype":"BYTES","data":["\#(long)"]}]}"#
        let v2 = Served.send(service, "/v2/models/m/infer", bytes)
        #expect(
            Self.refuses(
                v2,
                status: 413,
                code: "string_too_long",
                flag: "--max-string-bytes",
                value: "16"
            ),
            "\(v2.text)"
        )
    }

    // MARK: - Deadline

    @Test func aRequestPastTheDeadlineIs503NamingIt() throws {
        let service = try Self.service("l4", ServingLimits(requestTimeout: .zero))
        for dialect in RowDialect.allCases {
            let reply = Served.send(service, dialect.path, #"{"instances": \#(Self.rows(2))}"#)
            #expect(reply.status == 503, "\(dialect): \(reply.text)")
            #expect(reply.message?.contains("(--request-timeout)") == true, "\(reply.text)")
            if dialect == .mlflow {
                #expect(reply.json?["error_code"]?.string == "TEMPORARILY_UNAVAILABLE")
            } else {
                #expect(reply.json?["code"]?.string == "deadline_exceeded")
            }
        }
        let v2 = Served.send(service, "/v2/models/m/infer", Self.v2Rows(2))
        #expect(v2.status == 503, "\(v2.text)")
        // Reads that predict nothing have no deadline to miss.
        #expect(Served.get(service, "/v2/models/m").status == 200)
    }

    @Test func aGenerousDeadlineAnswersAsUsual() throws {
        let service = try Self.service("l4", ServingLimits(requestTimeout: .seconds(30)))
        let reply = Served.send(service, "/predict", #"{"instances": \#(Self.rows(500))}"#)
        #expect(reply.status == 200)
        #expect(reply.predictions?.count == 500)
    }

    @Test func theSummaryNamesTheRefusal() throws {
        let service = try Self.service("l4", ServingLimits(maxRows: 1))
        let (response, summary) = service.answer(
            HTTPRequest(
                method: "POST",
                path: "/predict",
                contentType: "application/json",
                body: Array(#"{"instances": \#(Self.rows(2))}"#.utf8)
            )
        )
        #expect(response.status == 413)
        #expect(summary.error == .tooManyRows)
        #expect(summary.model == "m")
    }
}
