/// The models a worker serves, by name and version, and which one `/predict` means.
public struct ModelCatalog: Sendable {
    /// Every version of each name, oldest first; the last is the newest.
    private let versionsByName: [String: [ServedModel]]
    /// The model that `POST /predict` and other routes without a name serve.
    public let defaultName: String?
    /// The served names, sorted.
    public let names: [String]
    /// The served names, quoted, for 404 messages: made once, not per request.
    private let nameList: String

    /// - Parameter defaultModel: the model for `/predict`; when nil, the only name if there
    ///   is one.
    public init(_ models: [ServedModel], defaultModel: String? = nil) {
        var versionsByName: [String: [ServedModel]] = [:]
        for model in models
        where !(versionsByName[model.name] ?? []).contains(where: {
            $0.version == model.version
        }) {
            versionsByName[model.name, default: []].append(model)
        }
        self.versionsByName = versionsByName.mapValues {
            $0.sorted { Self.isOlder($0.version, than: $1.version) }
        }
        names = versionsByName.keys.sorted()
        nameList =
            names.prefix(50).map { "'\($0)'" }.joined(separator: ", ")
            + (names.count > 50 ? ", … (\(names.count) in all)" : "")
        defaultName = defaultModel ?? (names.count == 1 ? names[0] : nil)
    }

    /// Every served model, each version separately, by name and then version.
    public var all: [ServedModel] {
        names.flatMap { versionsByName[$0] ?? [] }
    }

    /// The versions of `name`, oldest first; empty when the name is not served.
    public func versions(of name: String) -> [ServedModel] {
        versionsByName[name] ?? []
    }

    /// The model a request names: `name` nil means the default model, `version` nil the
    /// newest version.
    public func model(named name: String?, version: String? = nil) throws(ServingError)
        -> ServedModel
    {
        guard let name = name ?? defaultName else {
            throw ServingError(
                .modelNotFound,
                "several models are served; name one of \(nameList)"
            )
        }
        guard let versions = versionsByName[name], let newest = versions.last else {
            throw ServingError(
                .modelNotFound,
                "no model named '\(Self.clip(name))'; models: \(nameList)"
            )
        }
        guard let version else { return newest }
        if let match = versions.first(where: { ($0.version ?? "1") == version }) {
            return match
        }
        let known = versions.map { "'\($0.version ?? "1")'" }.joined(separator: ", ")
        throw ServingError(
            .modelNotFound,
            "model '\(name)' has no version '\(Self.clip(version))'; versions: \(known)"
        )
    }

    /// Version order: numbers by value (2 before 10), others by text, numbers first.
    static func isOlder(_ left: String?, than right: String?) -> Bool {
        let left = left ?? "", right = right ?? ""
        switch (Int(left), Int(right)) {
        case (let l?, let r?): return l < r
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return left < right
        }
    }

    /// A client-supplied name, cut short so errors never echo large input.
    static func clip(_ text: String) -> String {
        text.count <= 64 ? text : String(text.prefix(64)) + "…"
    }
}
