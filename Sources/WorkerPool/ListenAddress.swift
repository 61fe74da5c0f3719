import Glibc

/// Where the pool listens: `unix:/path/to.sock` or `tcp:HOST:PORT`.
public enum ListenAddress: Equatable, Sendable, CustomStringConvertible {
    /// A unix stream socket at this path.
    case unix(path: String)
    /// An IPv4 TCP socket; `host` is a dotted IPv4 address (`localhost` is stored as
    /// `127.0.0.1`).
    case tcp(host: String, port: UInt16)

    /// The longest unix socket path the kernel accepts (`sun_path` minus its terminating NUL).
    public static let maximumUnixPathBytes = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// Parses the `--listen` text.
    /// - Throws: `PoolError.Code.invalidAddress` with a message saying what is expected.
    public init(parsing text: String) throws(PoolError) {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard !path.isEmpty else {
                throw Self.invalid(
                    text,
                    "the socket path is empty; write unix:/run/augur/augur.sock"
                )
            }
            guard path.utf8.count <= Self.maximumUnixPathBytes else {
                throw Self.invalid(
                    text,
                    "the socket path is \(path.utf8.count) bytes; the limit is "
                        + "\(Self.maximumUnixPathBytes)"
                )
            }
            guard !path.utf8.contains(0) else {
                throw Self.invalid(text, "the socket path contains a NUL byte")
            }
            self = .unix(path: path)
            return
        }
        guard text.hasPrefix("tcp:") else {
            throw Self.invalid(text, "expected unix:PATH or tcp:HOST:PORT")
        }
        let rest = text.dropFirst("tcp:".count)
        guard let colon = rest.lastIndex(of: ":") else {
            throw Self.invalid(text, "expected tcp:HOST:PORT, for example tcp:127.0.0.1:9000")
        }
        var host = String(rest[..<colon])
        let portText = rest[rest.index(after: colon)...]
        guard !portText.isEmpty, portText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let port = UInt16(portText), port > 0
        else {
            throw Self.invalid(text, "the port must be a number from 1 to 65535")
        }
        if host == "localhost" {
            host = "127.0.0.1"
        }
        guard Self.isIPv4(host) else {
            throw Self.invalid(
                text,
                "the host must be an IPv4 address such as 127.0.0.1 or 0.0.0.0, or localhost"
            )
        }
        self = .tcp(host: host, port: port)
    }

    /// The address as `--listen` spells it.
    public var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port): "tcp:\(host):\(port)"
        }
    }

    private static func isIPv4(_ host: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, host, &address) == 1
    }

    private static func invalid(_ text: String, _ reason: String) -> PoolError {
        PoolError(.invalidAddress, "invalid listen address \"\(text)\": \(reason)")
    }
}
