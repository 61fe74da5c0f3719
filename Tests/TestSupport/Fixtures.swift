/// Paths to the checked-in fixtures, found relative to this source file so tests run from
/// any working directory.
public enum Fixtures {
    /// The package's root folder.
    public static let packageRoot: String = {
        var path = #filePath
        for _ in 0..<3 {
            path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        }
        return path
    }()

    /// `Tests/Fixtures`.
    public static let root = packageRoot + "/Tests/Fixtures"
}
