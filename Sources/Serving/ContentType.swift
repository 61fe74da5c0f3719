/// Request media types, compared the way HTTP says: the type without parameters, case
/// folded.
enum ContentType {
    case json
    case csv
    case other

    /// A missing type is read as JSON, since many clients omit it; a wrong explicit type
    /// (including `curl -d`'s form encoding) is not, so bytes are never guessed at.
    init(_ header: String?) {
        guard let header, !header.isEmpty else {
            self = .json
            return
        }
        // Not `split`: it drops empty pieces, and a header that starts with ";" has no
        // media type before it (a worker once trapped on `Content-Type: ;;;`).
        let end = header.firstIndex(of: ";") ?? header.endIndex
        let mediaType = header[..<end].trimmingSpaces().lowercased()
        if mediaType == "application/json" || mediaType.hasSuffix("+json") {
            self = .json
        } else if mediaType == "text/csv" {
            self = .csv
        } else {
            self = .other
        }
    }

    /// JSON bodies only.
    static func requireJSON(_ header: String?) throws(ServingError) {
        guard ContentType(header) == .json else {
            throw ServingError(.unsupportedMediaType, "Content-Type must be application/json")
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
