import Glibc
import Testing
import WorkerPool

/// Real unix sockets under /tmp, one path per test.
@Suite struct ListeningSocketTests {
    private func temporaryPath(_ name: String) -> String {
        let path = "/tmp/augur-pool-tests-\(getpid())-\(name).sock"
        unlink(path)
        return path
    }

    private func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode
    }

    @Test func bindsAWorldWritableSocketAndRemovesItAfterwards() throws {
        let path = temporaryPath("fresh")
        let socket = try ListeningSocket.open(.unix(path: path))
        let fileMode = try #require(mode(path))
        #expect(fileMode & S_IFMT == S_IFSOCK)
        #expect(fileMode & 0o777 == 0o666)
        socket.closeAndRemove()
        #expect(self.mode(path) == nil)
    }

    @Test func replacesAStaleSocketNobodyListensOn() throws {
        let path = temporaryPath("stale")
        // A bound socket that is closed without unlinking is what a killed master leaves.
        let first = try ListeningSocket.open(.unix(path: path))
        first.close()
        #expect(mode(path) != nil)
        let second = try ListeningSocket.open(.unix(path: path))
        second.closeAndRemove()
    }

    @Test func refusesASocketSomeoneListensOn() throws {
        let path = temporaryPath("busy")
        let first = try ListeningSocket.open(.unix(path: path))
        defer { first.closeAndRemove() }
        #expect {
            try ListeningSocket.open(.unix(path: path))
        } throws: { error in
            (error as? PoolError)?.code == .addressInUse
                && (error as? PoolError)?.message.contains(path) == true
        }
    }

    @Test func refusesAPathThatIsNotASocket() throws {
        let path = temporaryPath("file")
        let descriptor = open(path, O_CREAT | O_WRONLY, 0o644)
        close(descriptor)
        defer { unlink(path) }
        #expect {
            try ListeningSocket.open(.unix(path: path))
        } throws: { error in
            (error as? PoolError)?.code == .notASocket
        }
        #expect(mode(path).map { $0 & S_IFMT == S_IFREG } == true)
    }

    @Test func namesTheAddressAndErrnoWhenBindFails() {
        #expect {
            try ListeningSocket.open(.unix(path: "/nonexistent-dir-\(getpid())/a.sock"))
        } throws: { error in
            guard let error = error as? PoolError else { return false }
            return error.code == .socketFailed
                && error.message.contains("unix:/nonexistent-dir-")
                && error.message.contains("No such file or directory")
        }
    }

    @Test func leavesAReplacedSocketFileAlone() throws {
        let path = temporaryPath("replaced")
        let first = try ListeningSocket.open(.unix(path: path))
        first.close()
        let second = try ListeningSocket.open(.unix(path: path))
        // The first owner's cleanup must not remove the second one's socket. (Its descriptor
        // is closed already: closing it again could close a descriptor another test opened
        // since under the same number.)
        first.removeSocketFile()
        #expect(mode(path) != nil)
        second.closeAndRemove()
        #expect(mode(path) == nil)
    }
}
