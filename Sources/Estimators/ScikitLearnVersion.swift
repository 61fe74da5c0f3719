/// The `major.minor` of the scikit-learn that wrote a file (`_sklearn_version`), for the
/// few places where its behaviour changed between versions.
struct ScikitLearnVersion: Comparable {
    let major: Int
    let minor: Int

    init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Reads "1.3.2", "1.5.dev0" and the like; a missing or unreadable version counts as
    /// 0.0, older than any scikit-learn this reads.
    init(_ text: String?) {
        let parts = (text ?? "").split(separator: ".").map { Int($0.prefix { $0.isNumber }) }
        self.init(parts.first.flatMap { $0 } ?? 0, parts.count > 1 ? parts[1] ?? 0 : 0)
    }

    static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}
