/// The metrics region could not be made; the pool then does not start.
public struct MetricsError: Error, CustomStringConvertible {
    public let message: String

    public var description: String { message }
}
