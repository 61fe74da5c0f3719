import Estimators
import FastCGI
import Foundation
import Logging
import Serving
import TestSupport
import Testing

/// The per-request line, and what it costs: `augur predict`-like handling in process, with
/// the request line off (the default level), on (debug, written to /dev/null), and absent.
@Suite(.serialized) struct RequestLogTests {
    static func service() throws -> PredictionService {
        let model = try ModelLoader.load(path: "\(Fixtures.root)/served/l4/model.joblib")
        return PredictionService(models: [ServedModel(name: "l4", model: model)])
    }

    static let request = HTTPRequest(
        method: "POST",
        path: "/predict",
        contentType: "application/json",
        requestID: "0123456789abcdef0123456789abcdef",
        body: Array(#"{"features": [1, 1, 0, 0]}"#.utf8)
    )

    @Test func aRequestLineCarriesIdRouteModelStatusDurationAndRows() throws {
        let service = try Self.service()
        let (response, summary) = service.answer(Self.request)
        let line = RequestLog.line(
            Self.request,
            status: response.status,
            summary: summary,
            duration: .microseconds(12_345)
        )
        #expect(line.level == .debug)
        #expect(line["request.id"] == "0123456789abcdef0123456789abcdef")
        #expect(line["route"] == "predict")
        #expect(line["model"] == "l4")
        #expect(line["status"] == "200")
        #expect(line["duration.ms"] == "12.345")
        #expect(line["rows"] == "1")
        #expect(line["error"] == nil)
    }

    @Test func levelsFollowBlame() throws {
        #expect(RequestLog.level(forStatus: 200) == .debug)
        #expect(RequestLog.level(forStatus: 422) == .debug)
        #expect(RequestLog.level(forStatus: 500) == .error)
        #expect(RequestLog.level(forStatus: 503) == .error)
        let service = try Self.service()
        var bad = Self.request
        bad.body = Array(#"{"features": [1, 1]}"#.utf8)
        bad.requestID = nil
        let (response, summary) = service.answer(bad)
        let line = RequestLog.line(bad, status: response.status, summary: summary, duration: .zero)
        #expect(line["status"] == "422")
        #expect(line["error"] == "feature_count")
        #expect(line["request.id"] == "-")
        #expect(line["rows"] == "0")
    }

    /// A line below the level is never built: its autoclosure does not run.
    @Test func aLineBelowTheLevelIsNeverBuilt() {
        let devNull = open("/dev/null", O_WRONLY)
        defer { close(devNull) }
        var built = 0
        func line() -> LogLine {
            built += 1
            return LogLine(.debug, "request", [])
        }
        Logger(level: .info, descriptor: devNull).log(.debug, line())
        #expect(built == 0)
        Logger(level: .debug, descriptor: devNull).log(.debug, line())
        #expect(built == 1)
    }

    /// A measurement, not a gate: timed assertions fail on a shared machine. Run it with
    /// `AUGUR_MEASURE_LOG_COST=1 swift test --filter requestLinesCostLittleAndNothingWhenOff`;
    /// it prints the rates the README quotes.
    @Test(
        .enabled(
            if: ProcessInfo.processInfo.environment["AUGUR_MEASURE_LOG_COST"] == "1",
            "a measurement, run on demand"
        )
    )
    func requestLinesCostLittleAndNothingWhenOff() throws {
        let service = try Self.service()
        let devNull = open("/dev/null", O_WRONLY)
        defer { close(devNull) }
        let count = 20_000
        func run(_ logger: Logger?) -> Double {
            let clock = ContinuousClock()
            let started = clock.now
            for _ in 0..<count {
                let handled = clock.now
                let (response, summary) = service.answer(Self.request)
                if let logger {
                    logger.log(
                        RequestLog.level(forStatus: response.status),
                        RequestLog.line(
                            Self.request,
                            status: response.status,
                            summary: summary,
                            duration: clock.now - handled
                        )
                    )
                }
            }
            let elapsed = clock.now - started
            let seconds =
                Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return Double(count) / seconds
        }
        _ = run(nil)
        let absent = run(nil)
        let off = run(Logger(level: .info, descriptor: devNull))
        let logfmt = run(Logger(format: .logfmt, level: .debug, descriptor: devNull))
        let json = run(Logger(format: .json, level: .debug, descriptor: devNull))
        print(
            "request handling, requests/s: no log call \(Int(absent)), line off \(Int(off)), "
                + "logfmt on \(Int(logfmt)), json on \(Int(json))"
        )
        // Generous bounds: a line that is off is one comparison; one that is on is a few
        // microseconds, not a second handling.
        #expect(off > absent * 0.7)
        #expect(logfmt > absent * 0.3)
    }
}
