import Glibc

/// A socket the pool binds and listens on itself, to be shared by every worker through
/// `fork`.
///
/// libfcgi's `FCGX_OpenSocket` is not used: it silently deletes an existing socket path,
/// leaves the socket with the process umask and calls `exit()` on a bind failure.
public struct ListeningSocket: Sendable {
    /// The listening descriptor.
    public let descriptor: Int32
    public let address: ListenAddress
    /// Identity of the unix socket file we created, so that only that file is ever removed.
    private let socketFile: FileIdentity?

    /// Binds and listens on `address`.
    ///
    /// A unix socket path that exists is handled by what it is: a socket nobody listens on
    /// (left by a killed master) is removed and replaced; a socket someone listens on, or
    /// anything that is not a socket, is an error.
    /// - Throws: `PoolError` naming the address and the system error.
    public static func open(_ address: ListenAddress, backlog: Int32 = 1024) throws(PoolError)
        -> ListeningSocket
    {
        switch address {
        case .unix(let path):
            return try openUnix(path: path, address: address, backlog: backlog)
        case .tcp(let host, let port):
            return try openTCP(host: host, port: port, address: address, backlog: backlog)
        }
    }

    /// Closes the descriptor (in this process only; forked workers keep theirs).
    public func close() {
        _ = Glibc.close(descriptor)
    }

    /// Closes the descriptor and, for a unix socket, removes the socket file if it is still
    /// the one this process created.
    public func closeAndRemove() {
        close()
        removeSocketFile()
    }

    /// Removes the unix socket file if it is still the one this process created; the
    /// descriptor is left as it is.
    public func removeSocketFile() {
        guard case .unix(let path) = address, let socketFile else { return }
        var info = stat()
        guard lstat(path, &info) == 0, FileIdentity(info) == socketFile else { return }
        unlink(path)
    }

    private static func openUnix(path: String, address: ListenAddress, backlog: Int32)
        throws(PoolError) -> ListeningSocket
    {
        try removeStaleSocket(path: path, address: address)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            throw .system(.socketFailed, "cannot create a socket for \(address)", errno: errno)
        }
        var socketAddress = unixSocketAddress(path)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            let error = errno
            _ = Glibc.close(descriptor)
            throw .system(
                error == EADDRINUSE ? .addressInUse : .socketFailed,
                "cannot bind \(address)",
                errno: error
            )
        }
        // nginx's workers run as another user (www-data, nobody) and need to connect; the
        // socket file gets the umask's permissions otherwise. Access is meant to be limited
        // by the directory holding the socket.
        guard chmod(path, 0o666) == 0 else {
            let error = errno
            _ = Glibc.close(descriptor)
            unlink(path)
            throw .system(.socketFailed, "cannot chmod 0666 \(address)", errno: error)
        }
        var info = stat()
        let identity = lstat(path, &info) == 0 ? FileIdentity(info) : nil
        guard listen(descriptor, backlog) == 0 else {
            let error = errno
            _ = Glibc.close(descriptor)
            unlink(path)
            throw .system(.socketFailed, "cannot listen on \(address)", errno: error)
        }
        return ListeningSocket(descriptor: descriptor, address: address, socketFile: identity)
    }

    /// Removes `path` if it is a socket nobody listens on; fails if someone does, or if it is
    /// not a socket.
    private static func removeStaleSocket(path: String, address: ListenAddress) throws(PoolError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw .system(.socketFailed, "cannot inspect \(address)", errno: errno)
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw PoolError(
                .notASocket,
                "\(address): the path exists and is not a socket; refusing to remove it"
            )
        }
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else {
            throw .system(.socketFailed, "cannot create a socket for \(address)", errno: errno)
        }
        defer { _ = Glibc.close(probe) }
        var socketAddress = unixSocketAddress(path)
        let connected = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if connected == 0 {
            throw PoolError(
                .addressInUse,
                "\(address): another process is listening on this socket (is augur already running?)"
            )
        }
        let error = errno
        guard error == ECONNREFUSED else {
            throw .system(.socketFailed, "cannot probe existing socket \(address)", errno: error)
        }
        // Nobody listens: the file was left by a master that was killed.
        guard unlink(path) == 0 || errno == ENOENT else {
            throw .system(.socketFailed, "cannot remove stale socket \(address)", errno: errno)
        }
    }

    private static func openTCP(host: String, port: UInt16, address: ListenAddress, backlog: Int32)
        throws(PoolError) -> ListeningSocket
    {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            throw .system(.socketFailed, "cannot create a socket for \(address)", errno: errno)
        }
        // Restarting the pool must not wait out TIME_WAIT connections of the previous one.
        var on: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &socketAddress.sin_addr)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let error = errno
            _ = Glibc.close(descriptor)
            throw .system(
                error == EADDRINUSE ? .addressInUse : .socketFailed,
                "cannot bind \(address)",
                errno: error
            )
        }
        guard listen(descriptor, backlog) == 0 else {
            let error = errno
            _ = Glibc.close(descriptor)
            throw .system(.socketFailed, "cannot listen on \(address)", errno: error)
        }
        return ListeningSocket(descriptor: descriptor, address: address, socketFile: nil)
    }

    private static func unixSocketAddress(_ path: String) -> sockaddr_un {
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        // ListenAddress has checked that the path fits with its NUL.
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { buffer in
            let bytes = Array(path.utf8.prefix(buffer.count - 1))
            buffer.copyBytes(from: bytes)
        }
        return socketAddress
    }
}

/// Device, inode and change time of a file. The change time is part of it because a
/// filesystem may hand a just-freed inode number to the next file at once.
private struct FileIdentity: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var changeSeconds: Int
    var changeNanoseconds: Int

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        changeSeconds = info.st_ctim.tv_sec
        changeNanoseconds = info.st_ctim.tv_nsec
    }
}
