import Testing
import WorkerPool

@Suite struct ListenAddressTests {
    @Test func parsesUnixSocketPaths() throws {
        #expect(
            try ListenAddress(parsing: "unix:/run/augur/augur.sock")
                == .unix(path: "/run/augur/augur.sock")
        )
        #expect(try ListenAddress(parsing: "unix:relative.sock") == .unix(path: "relative.sock"))
    }

    @Test(arguments: [
        ("tcp:127.0.0.1:9000", "127.0.0.1", UInt16(9000)),
        ("tcp:0.0.0.0:1", "0.0.0.0", 1),
        ("tcp:localhost:65535", "127.0.0.1", 65535),
        ("tcp:10.1.2.3:8080", "10.1.2.3", 8080),
    ])
    func parsesTCPAddresses(text: String, host: String, port: UInt16) throws {
        #expect(try ListenAddress(parsing: text) == .tcp(host: host, port: port))
    }

    @Test func printsAsItIsWritten() throws {
        #expect(try ListenAddress(parsing: "tcp:localhost:80").description == "tcp:127.0.0.1:80")
        #expect(ListenAddress.unix(path: "/tmp/a.sock").description == "unix:/tmp/a.sock")
    }

    @Test(arguments: [
        ("", "expected unix:PATH or tcp:HOST:PORT"),
        ("/run/augur.sock", "expected unix:PATH or tcp:HOST:PORT"),
        ("http://127.0.0.1:80", "expected unix:PATH or tcp:HOST:PORT"),
        ("unix:", "the socket path is empty"),
        ("tcp:127.0.0.1", "expected tcp:HOST:PORT"),
        ("tcp:127.0.0.1:", "the port must be a number from 1 to 65535"),
        ("tcp:127.0.0.1:0", "the port must be a number from 1 to 65535"),
        ("tcp:127.0.0.1:65536", "the port must be a number from 1 to 65535"),
        ("tcp:127.0.0.1:+80", "the port must be a number from 1 to 65535"),
        ("tcp:example.com:80", "the host must be an IPv4 address"),
        ("tcp::80", "the host must be an IPv4 address"),
        ("tcp:[::1]:80", "the host must be an IPv4 address"),
        ("tcp:256.0.0.1:80", "the host must be an IPv4 address"),
    ])
    func rejectsWithAMessageSayingWhatIsExpected(text: String, reason: String) {
        #expect {
            try ListenAddress(parsing: text)
        } throws: { error in
            guard let error = error as? PoolError else { return false }
            return error.code == .invalidAddress && error.message.contains(reason)
                && error.message.contains("\"\(text)\"")
        }
    }

    @Test func rejectsUnixPathsTooLongForTheKernel() throws {
        let path = "/tmp/" + String(repeating: "a", count: 200)
        #expect(throws: PoolError.self) { try ListenAddress(parsing: "unix:" + path) }
        let longest = "/" + String(repeating: "b", count: ListenAddress.maximumUnixPathBytes - 1)
        #expect(try ListenAddress(parsing: "unix:" + longest) == .unix(path: longest))
    }
}
