import Serving

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `serve --watch`: tells the master when the served files have changed and then stayed
/// the same for one interval, so that it reloads as on SIGHUP.
///
/// The rule: every interval, each `--model` file and each model file a `--repository` scan
/// finds is read whole; its size, modification time, inode and a 64-bit FNV-1a hash of its
/// bytes make its state, and the scan's list of names, versions and paths (or the scan's
/// error) is part of it too. A change counts once the same new state is seen on two polls
/// in a row: a file still being written changes between them and waits. Hashing reads
/// every file each interval, which costs little at the sizes of these models (a file of
/// hundreds of MB would want a longer interval).
final class ModelWatch {
    /// One file's state, or what kept it from being read.
    struct FileState: Equatable {
        var path: String
        var size: Int = -1
        var modified: Int = -1
        var inode: UInt64 = 0
        var hash: UInt64 = 0
        var problem: String?
    }

    let models: [ServeCommand.ModelArgument]
    let repositories: [ModelRepository]
    /// The state the running models were loaded from.
    private var loaded: [FileState]
    /// The state seen at the previous poll.
    private var previous: [FileState]

    init(models: [ServeCommand.ModelArgument], repositories: [ModelRepository]) {
        self.models = models
        self.repositories = repositories
        let now = Self.state(models: models, repositories: repositories)
        loaded = now
        previous = now
    }

    /// The state now; take it before loading, so that a change during the load is seen.
    func current() -> [FileState] {
        Self.state(models: models, repositories: repositories)
    }

    /// Records that the models were (re)loaded from `state`, whether or not the load
    /// succeeded: a broken file is refused once, not at every poll.
    func markLoaded(_ state: [FileState]) {
        loaded = state
    }

    /// Polls once: true when the files differ from the loaded state and have not changed
    /// since the previous poll.
    func settledChange() -> Bool {
        let now = current()
        defer { previous = now }
        return now != loaded && now == previous
    }

    static func state(models: [ServeCommand.ModelArgument], repositories: [ModelRepository])
        -> [FileState]
    {
        var files = models.map { fileState($0.path) }
        for repository in repositories {
            do {
                let listing = try repository.scan()
                for source in listing.sources {
                    var file = fileState(source.path)
                    file.path = "\(source.name)/\(source.version ?? "")=\(source.path)"
                    files.append(file)
                }
            } catch {
                files.append(FileState(path: repository.folder, problem: error.description))
            }
        }
        return files
    }

    /// The size, time, inode and hash of one file (following links).
    static func fileState(_ path: String) -> FileState {
        var state = FileState(path: path)
        var info = stat()
        guard stat(path, &info) == 0 else {
            state.problem = String(cString: strerror(errno))
            return state
        }
        state.size = Int(info.st_size)
        state.modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
        state.inode = UInt64(info.st_ino)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            state.problem = String(cString: strerror(errno))
            return state
        }
        defer { close(descriptor) }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                if count < 0 { state.problem = String(cString: strerror(errno)) }
                break
            }
            for byte in chunk[..<count] {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
        }
        state.hash = hash
        return state
    }
}
