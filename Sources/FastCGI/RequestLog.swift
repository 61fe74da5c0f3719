import Logging
import Serving

/// The log line of one answered request: nginx's request id, what was asked, and how it
/// went.
public enum RequestLog {
    /// Our own faults (5xx) at error. Answers and client mistakes (4xx) at debug: nginx's
    /// access log already has every request, the client got a message saying what to
    /// change, and a flood of bad requests must not flood this log.
    public static func level(forStatus status: Int) -> LogLevel {
        status >= 500 ? .error : .debug
    }

    public static func line(
        _ request: HTTPRequest,
        status: Int,
        summary: PredictionService.Summary,
        duration: Duration
    ) -> LogLine {
        var fields: [LogLine.Field] = [
            .init("request.id", request.requestID ?? "-"),
            .init("method", String(request.method.prefix(16))),
            .init("route", summary.route?.label ?? "none"),
        ]
        if let model = summary.model { fields.append(.init("model", model)) }
        fields.append(.init("status", String(status)))
        fields.append(.init("duration.ms", milliseconds(duration)))
        fields.append(.init("rows", String(summary.rows)))
        if let error = summary.error { fields.append(.init("error", error.rawValue)) }
        return LogLine(level(forStatus: status), "request", fields)
    }

    /// `12.345`: milliseconds to the microsecond.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let microseconds = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        let fraction = String(microseconds % 1000)
        return "\(microseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count)
            + fraction
    }
}
