import Estimators

/// One conformance case under `Tests/Fixtures/conformance/<environment>/`: a fitted
/// estimator (`<case>.joblib`) and what scikit-learn returned for its rows (`<case>.json`),
/// written by `scripts/generate-conformance-fixtures`.
public struct ConformanceFixture: Sendable, CustomStringConvertible {
    /// e.g. `sklearn-1.1.3`.
    public let environment: String
    /// e.g. `linear-ridge`; the part before the first `-` names its family.
    public let caseName: String

    public static let root = Fixtures.root + "/conformance"

    public var modelPath: String { "\(Self.root)/\(environment)/\(caseName).joblib" }
    public var description: String { "\(environment)/\(caseName)" }
    public var family: String { String(caseName.prefix { $0 != "-" }) }

    /// Every file holding the case's model, with the class Augur should report for it: the
    /// `.joblib`, and any other format the generator also saved it in (`model_files`).
    public func modelFiles(_ recorded: TestJSON) -> [(path: String, className: String?)] {
        guard let listed = recorded["model_files"]?.array else { return [(modelPath, nil)] }
        return listed.compactMap { entry in
            guard let file = entry["file"]?.string else { return nil }
            return ("\(Self.root)/\(environment)/\(file)", entry["class"]?.string)
        }
    }

    public func recorded() throws -> TestJSON {
        try TestJSON.read(path: "\(Self.root)/\(environment)/\(caseName).json")
    }

    /// Every case of every environment.
    public static let all: [ConformanceFixture] = {
        var fixtures: [ConformanceFixture] = []
        for environment in Fixtures.listDirectory(root) where environment.hasPrefix("sklearn-") {
            for file in Fixtures.listDirectory("\(root)/\(environment)")
            where file.hasSuffix(".joblib") {
                fixtures.append(
                    ConformanceFixture(environment: environment, caseName: String(file.dropLast(7)))
                )
            }
        }
        return fixtures.sorted { $0.description < $1.description }
    }()

    /// Rows as the generator wrote them, as a request would carry them: numbers, `null`
    /// for a missing value, strings for categories. A row that is not a list (a text
    /// model's document) is a row of one column.
    public static func matrix(_ rows: [TestJSON]) -> Matrix {
        let width = rows.first.map { $0.array?.count ?? 1 } ?? 0
        var matrix = Matrix(rows: rows.count, columns: width)
        for (row, cells) in rows.enumerated() {
            for (column, cell) in (cells.array ?? [cells]).enumerated() where column < width {
                let index = row * width + column
                switch cell {
                case .number(let value, _): matrix.values[index] = value
                case .string(let text):
                    matrix.values[index] = .nan
                    matrix.text[index] = text
                default: matrix.values[index] = .nan
                }
            }
        }
        return matrix
    }

    /// A recorded float: a number, or the strings `nan`, `inf` and `-inf`.
    public static func double(_ value: TestJSON) -> Double? {
        switch value {
        case .number(let number, _): number
        // Boolean outputs (MissingIndicator) are served as 0 and 1.
        case .bool(let flag): flag ? 1 : 0
        case .string("nan"): .nan
        case .string("inf"): .infinity
        case .string("-inf"): -.infinity
        default: nil
        }
    }
}
