/// Placeholder while the document is written.
enum OpenAPIDocument {
    static let json: [UInt8] = Array("{}\n".utf8)
}
