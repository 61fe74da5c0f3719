import Estimators

extension ClassLabels {
    /// The labels as JSON values, the way the fixture generators write them.
    public var testJSON: [TestJSON] {
        switch self {
        case .integers(let values): values.map { .number(Double($0), text: String($0)) }
        case .unsignedIntegers(let values): values.map { .number(Double($0), text: String($0)) }
        case .strings(let values): values.map { .string($0) }
        case .floats(let values): values.map { .number($0, text: "\($0)") }
        case .booleans(let values): values.map { .bool($0) }
        }
    }
}
