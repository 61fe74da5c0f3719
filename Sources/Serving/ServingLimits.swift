/// What a worker accepts in one request's content, beyond the body size the FastCGI layer
/// enforces. Each breach is answered in the route's dialect with a message naming the flag
/// of `augur serve` that sets the limit and its value.
public struct ServingLimits: Sendable, Equatable {
    /// Rows in one request (`--max-rows`); more is a 413 `too_many_rows`, refused as soon
    /// as the row past the limit starts, before the rest of the body is read into memory.
    public var maxRows: Int
    /// Arrays and objects nested in each other (`--max-json-depth`); deeper is a 400
    /// `nesting_too_deep`. Bounds the reader's recursion.
    public var maxJSONDepth: Int
    /// Bytes in one JSON string, CSV cell or V2 BYTES element (`--max-string-bytes`), after
    /// escapes are decoded; longer is a 413 `string_too_long`.
    public var maxStringBytes: Int
    /// How long one request may take in the worker (`--request-timeout`), checked between
    /// decoding, each output and encoding; past it the answer is a 503 `deadline_exceeded`.
    /// Nil for no deadline.
    public var requestTimeout: Duration?

    public init(
        maxRows: Int = 100_000,
        maxJSONDepth: Int = 256,
        maxStringBytes: Int = 65_536,
        requestTimeout: Duration? = .seconds(30)
    ) {
        self.maxRows = maxRows
        self.maxJSONDepth = maxJSONDepth
        self.maxStringBytes = maxStringBytes
        self.requestTimeout = requestTimeout
    }

    /// No limit beyond what memory allows: for `augur predict` and tests that want none.
    public static let none = ServingLimits(
        maxRows: .max,
        maxJSONDepth: 256,
        maxStringBytes: .max,
        requestTimeout: nil
    )
}

/// The limits of one request, with its deadline fixed when it started.
struct RequestBudget {
    let limits: ServingLimits
    let deadline: ContinuousClock.Instant?

    init(_ limits: ServingLimits, startedAt start: ContinuousClock.Instant = .now) {
        self.limits = limits
        deadline = limits.requestTimeout.map { start.advanced(by: $0) }
    }

    /// Throws 503 `deadline_exceeded` once the deadline has passed. Prediction cannot be
    /// stopped inside a model, so this is called between the steps of a request.
    func checkDeadline() throws(ServingError) {
        guard let deadline, let timeout = limits.requestTimeout, ContinuousClock.now > deadline
        else { return }
        throw ServingError(
            .deadlineExceeded,
            "the request took longer than the server's limit of \(Self.seconds(timeout)) s "
                + "(--request-timeout); send fewer rows per request"
        )
    }

    /// `30`, `0.5`: seconds as the flag takes them.
    static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        let milliseconds = attoseconds / 1_000_000_000_000_000
        guard milliseconds > 0 else { return "\(whole)" }
        var fraction = String(milliseconds)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }
}
