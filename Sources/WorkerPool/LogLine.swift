import Logging

/// The supervisor's `log` actions carry the shared logger's lines; the master writes them
/// with `Logger.process`.
public typealias LogLine = Logging.LogLine
