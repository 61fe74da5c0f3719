import Estimators
import Serving
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `text/csv` bodies on `/predict` and `/invocations`: RFC 4180 quoting, headers, missing
/// cells, numbers read as the JSON reader reads them, and malformed CSV.
@Suite struct CSVBodyTests {
    static func csv(_ model: String, _ path: String, _ body: String, type: String = "text/csv")
        throws -> Served.Reply
    {
        Served.send(try Served.service(model), path, body, contentType: type)
    }

    /// ECHO predicts its first feature, so the answer is the number as read, to the bit.
    @Test(arguments: [
        "0.1", "-2.5e-3", "1e-7", "2.2250738585072011e-308", "4.9e-324", "9007199254740993",
        "1.7976931348623157e308", "0.30000000000000004", "123456789012345678901234567890",
        "1.00000000000000011102230246251565404236316680908203125",
    ])
    func numbersAreCorrectlyRounded(text: String) throws {
        for path in ["/predict", "/invocations"] {
            let reply = try Self.csv("echo", path, "a,b\n\(text),0\n")
            #expect(reply.status == 200, "\(reply.text)")
            let value = try #require(reply.predictions?.first?.double)
            #expect(value.bitPattern == strtod(text, nil).bitPattern, "\(text) → \(value)")
        }
    }

    @Test func quotedCellsCRLFAndByteOrderMark() throws {
        let recorded = try Served.recorded("c16_columns")
        let body = "\u{FEFF}\"color\",x\r\n\"red\",\"0.3\"\r\n\r\nblue,0.7"
        let reply = try Self.csv("c16_columns", "/invocations", body)
        #expect(reply.status == 200, "\(reply.text)")
        #expect(matchesRecorded(reply.predictions, recorded))
        // A comma, a line break and a doubled quote inside quotes stay in the cell.
        let odd = try Self.csv("c16_columns", "/predict", "x,color\n0.3,\"r,e\"\"d\n\"\n")
        #expect(RowDialect.native.isError(odd, status: 422), "\(odd.text)")
        #expect(odd.message?.contains("unknown category \"r,e\"d\n\"") == true, "\(odd.text)")
    }

    @Test func nativeHeaderDetection() throws {
        let recorded = try Served.recorded("l4")
        // Numbers only: data. Text where numbers belong: a header, placed by position.
        for body in ["1,1,0,0\n2,0,0,0\n", "a,b,c,d\n1,1,0,0\n2,0,0,0\n"] {
            let reply = try Self.csv("l4", "/predict", body)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json?["predictions"] != nil && reply.json?["prediction"] == nil)
            #expect(matchesRecorded(reply.predictions, recorded), "\(reply.text)")
        }
        // A model with names: a line that names its features is a header.
        let named = try Served.recorded("c14_named")
        for body in ["1,2,3,4", "b,a,d,c\n2,1,4,3"] {
            let reply = try Self.csv("c14_named", "/predict", body)
            #expect(matchesRecorded(reply.predictions, named), "\(body): \(reply.text)")
        }
        // A model with text columns: a line of feature names is a header, data is data.
        let columns = try Served.recorded("c16_columns")
        for body in ["color,x\nred,0.3\nblue,0.7", "0.3,red\n0.7,blue"] {
            let reply = try Self.csv("c16_columns", "/predict", body)
            #expect(matchesRecorded(reply.predictions, columns), "\(body): \(reply.text)")
        }
    }

    @Test func headerParameterOverridesDetection() throws {
        let present = try Self.csv(
            "l4",
            "/predict",
            "1,1,0,0\n2,0,0,0\n",
            type: "text/csv; header=present"
        )
        #expect(present.predictions == [.number(2.5, text: "2.5")], "\(present.text)")
        let absent = try Self.csv(
            "l4",
            "/invocations",
            "1,1,0,0\n2,0,0,0\n",
            type: "text/csv; charset=utf-8; header=absent"
        )
        #expect(matchesRecorded(absent.predictions, try Served.recorded("l4")), "\(absent.text)")
        let wrong = try Self.csv("l4", "/predict", "1,1,0,0\n", type: "text/csv; header=maybe")
        #expect(RowDialect.native.isError(wrong, status: 400))
    }

    @Test func malformedCSVIs400NamingTheLine() throws {
        let cases: [(String, String)] = [
            ("a,b,c,d\n1,1,0,0\n\"2,0,0,0\n", "line 3: a quoted cell is not closed"),
            ("a,b,c,d\n1,1\"x\",0,0\n", "line 2: a quote inside a cell"),
            ("a,b,c,d\n\"1\"x,1,0,0\n", "line 2: a quoted cell must be followed"),
            ("a,b,c,d\n1,1,0,0\n1,1,0\n", "line 3: the line has 3 cells; the header has 4"),
        ]
        for path in ["/predict", "/invocations"] {
            let dialect: RowDialect = path == "/predict" ? .native : .mlflow
            for (body, message) in cases {
                let reply = try Self.csv("l4", path, body)
                #expect(dialect.isError(reply, status: 400), "\(body): \(reply.text)")
                #expect(reply.message?.contains(message) == true, "\(body): \(reply.text)")
                #expect(reply.json?["code"]?.string ?? "invalid_csv" == "invalid_csv")
            }
        }
    }

    @Test func cellsThatDoNotFitAre422() throws {
        let cases: [(String, String, String)] = [
            ("1,1,0\n", "feature_count", "expects 4 features per row, row 0 has 3"),
            (
                "1,1,0,0\n1,NaN,0,0\n", "value_type",
                "row 1, feature 1: expected a number, found text"
            ),
            ("1,1e400,0,0\n", "value_type", "too large"),
            ("1,,0,0\n", "invalid_row", "missing value"),
        ]
        for (body, code, message) in cases {
            let reply = try Self.csv("l4", "/predict", body)
            #expect(RowDialect.native.isError(reply, status: 422), "\(body): \(reply.text)")
            #expect(reply.json?["code"]?.string == code, "\(body): \(reply.text)")
            #expect(reply.message?.contains(message) == true, "\(body): \(reply.text)")
        }
        let names = try Self.csv("c14_named", "/invocations", "a,b,c,x\n1,2,3,4\n")
        #expect(RowDialect.mlflow.isError(names, status: 422), "\(names.text)")
        #expect(names.message?.contains("unknown column \"x\"") == true)
        #expect(names.message?.contains("missing column \"d\"") == false)
        let width = try Self.csv("l4", "/invocations", "a,b,c\n1,1,0\n")
        #expect(RowDialect.mlflow.isError(width, status: 422), "\(width.text)")
        #expect(width.message?.contains("lists 3 columns") == true)
    }

    @Test func invalidUTF8IsRefused() throws {
        var body = Array("x,color\n0.3,".utf8)
        body += [0xFF, 0xFE, 0x0A]
        let response = try Served.service("c16_columns").respond(
            to: HTTPRequest(method: "POST", path: "/predict", contentType: "text/csv", body: body)
        )
        #expect(response.status == 400)
    }

    @Test func manyRowsArePlacedInOrder() throws {
        let lines = (0..<2_000).map { "\($0),1,0,0" }.joined(separator: "\n")
        let reply = try Self.csv("l4", "/invocations", "a,b,c,d\n" + lines)
        let values = try #require(reply.predictions?.compactMap { $0.double })
        #expect(values.count == 2_000)
        #expect(values.enumerated().allSatisfy { $0.element == Double($0.offset) + 2.5 })
    }
}
