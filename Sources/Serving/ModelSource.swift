/// A model file and the name (and version) clients reach it by, as the operator gave it:
/// `--model NAME=PATH` or a file in a model repository.
public struct ModelSource: Equatable, Sendable {
    public let name: String
    /// The `NAME/VERSION/` folder of a repository; nil for a model served by name alone.
    public let version: String?
    public let path: String
    /// How the operator named the file, for messages: `--model iris=PATH`, or the path.
    public let origin: String

    public init(name: String, version: String? = nil, path: String, origin: String? = nil) {
        self.name = name
        self.version = version
        self.path = path
        self.origin = origin ?? path
    }

    /// `'iris'` or `'iris' version 2`, for messages.
    public var label: String {
        "'\(name)'" + (version.map { " version \($0)" } ?? "")
    }

    /// Whether `text` may name a model or a version: letters, digits, `.`, `_` and `-`, as
    /// URLs of every dialect can carry them unescaped.
    public static func isValidName(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy {
                switch $0 {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                    UInt8(ascii: "-"):
                    true
                default: false
                }
            }
    }

    /// Reads the file, timing the load on the wall clock for metrics.
    public func load() throws(ModelLoader.Failure) -> ServedModel {
        let clock = ContinuousClock()
        let start = clock.now
        let model = try ModelLoader.load(path: path)
        return ServedModel(
            name: name,
            version: version,
            model: model,
            loadSeconds: (clock.now - start) / .seconds(1)
        )
    }

    /// Whether two sources would answer the same requests: the same name, and the same
    /// version, or either without one (a name is one file or a folder of versions, never
    /// both). Versions equal as numbers collide too ("1" and "01"), since the newest is
    /// chosen by value.
    public func collides(with other: ModelSource) -> Bool {
        guard name == other.name else { return false }
        guard let version, let otherVersion = other.version else { return true }
        if let number = Int(version), let otherNumber = Int(otherVersion) {
            return number == otherNumber
        }
        return version == otherVersion
    }

    /// Refuses a list in which two sources collide, naming both.
    public static func checkDistinct(_ sources: [ModelSource]) throws(ModelRepository.Failure) {
        var seen: [String: [ModelSource]] = [:]
        for source in sources {
            if let earlier = seen[source.name, default: []].first(where: source.collides) {
                let what =
                    earlier.version == nil || source.version == nil
                    ? "model '\(source.name)'" : "model \(source.label)"
                throw ModelRepository.Failure(
                    "\(what) is given twice: \(earlier.origin) and \(source.origin); "
                        + "rename or remove one"
                )
            }
            seen[source.name, default: []].append(source)
        }
    }
}
