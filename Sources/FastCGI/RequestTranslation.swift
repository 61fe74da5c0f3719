import Serving

/// The pure half of the transport: FastCGI parameters in, `HTTPRequest` out, and the decision
/// of how much body to read. Kept free of libfcgi so tests drive it with a dictionary.
package enum RequestTranslation {
    /// How the body of a request is to be read, decided from `CONTENT_LENGTH` before reading.
    package enum BodyPlan: Equatable, Sendable {
        /// Read exactly this many bytes.
        case read(byteCount: Int)
        /// No usable length was sent: read until the stream ends, up to the limit.
        case readUntilEnd
        /// The announced body is over the limit: discard it and answer 413.
        case tooLarge(byteCount: Int)
        /// `CONTENT_LENGTH` is not a byte count: discard the body and answer 400.
        case invalidLength(String)
    }

    /// Decides how to read the body.
    /// - Parameters:
    ///   - contentLength: the `CONTENT_LENGTH` parameter, if sent.
    ///   - maxBodyBytes: the largest body the worker accepts.
    package static func bodyPlan(contentLength: String?, maxBodyBytes: Int) -> BodyPlan {
        guard let contentLength, !contentLength.isEmpty else { return .readUntilEnd }
        // Only plain decimal digits: Int(_:) would also take a sign.
        guard contentLength.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return .invalidLength(contentLength) }
        guard let count = Int(contentLength) else {
            // Too many digits for Int: certainly over any limit.
            return .tooLarge(byteCount: Int.max)
        }
        return count > maxBodyBytes ? .tooLarge(byteCount: count) : .read(byteCount: count)
    }

    /// Builds the request `Serving` sees.
    /// - Parameters:
    ///   - parameter: looks up one FastCGI parameter by name.
    ///   - body: the whole request body.
    package static func httpRequest(
        parameter: (String) -> String?,
        body: [UInt8]
    ) -> HTTPRequest {
        HTTPRequest(
            method: parameter("REQUEST_METHOD") ?? "",
            path: path(parameter: parameter),
            contentType: nonEmpty(parameter("CONTENT_TYPE")),
            requestID: nonEmpty(parameter("REQUEST_ID"))
                ?? nonEmpty(parameter("HTTP_X_REQUEST_ID")),
            body: body
        )
    }

    /// `DOCUMENT_URI` (nginx's normalised path), else `REQUEST_URI` without its query, else `/`.
    static func path(parameter: (String) -> String?) -> String {
        if let documentURI = nonEmpty(parameter("DOCUMENT_URI")) {
            return documentURI
        }
        if let requestURI = nonEmpty(parameter("REQUEST_URI")) {
            let path = requestURI.split(
                separator: "?",
                maxSplits: 1,
                omittingEmptySubsequences: false
            )[0]
            return path.isEmpty ? "/" : String(path)
        }
        return "/"
    }

    /// nginx sends absent values as empty strings (`fastcgi_param CONTENT_TYPE $content_type`).
    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
