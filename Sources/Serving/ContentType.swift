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
        // Compared as bytes, case folded in place: this runs on every request, and
        // `lowercased()` and friends allocate. Not `split`: a header that starts with ";"
        // has no media type before it (a worker once trapped on `Content-Type: ;;;`).
        var utf8 = header.utf8[...]
        if let semicolon = utf8.firstIndex(of: UInt8(ascii: ";")) {
            utf8 = utf8[..<semicolon]
        }
        while let first = utf8.first, first == 0x20 || first == 0x09 { utf8.removeFirst() }
        while let last = utf8.last, last == 0x20 || last == 0x09 { utf8.removeLast() }
        if ASCIICase.equals(utf8, "application/json") || ASCIICase.hasSuffix(utf8, "+json") {
            self = .json
        } else if ASCIICase.equals(utf8, "text/csv") {
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
