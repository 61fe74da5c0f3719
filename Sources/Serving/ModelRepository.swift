#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A folder of model files served together (`augur serve --repository DIR`):
///
/// - `DIR/NAME.joblib`, `DIR/NAME.pkl`, `DIR/NAME.pickle`, `DIR/NAME.skops` (skops) and
///   `DIR/NAME.ubj` (an XGBoost booster), each optionally followed by a compression suffix
///   (`.gz`, `.z`, `.bz2`, `.xz`, `.lzma`, `.lz4`, as `joblib.dump` names them), is model
///   NAME;
/// - `DIR/NAME/VERSION/model.joblib` (or any ending above) is version VERSION
///   of model NAME.
///
/// Hidden entries, other files and folders without a model inside are skipped and listed,
/// so the caller can log them; names outside ``ModelSource/isValidName(_:)``, two files for
/// one model, and a folder that serves nothing stop the scan. The file contents are not
/// read here: the compression is told from the bytes when the model loads.
public struct ModelRepository: Sendable {
    /// Why a repository cannot be served, for the operator.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public enum Kind: Sendable {
            /// A folder could not be listed (missing, not a folder, no permission).
            case unreadable
            /// The folder's contents cannot be served as they are.
            case invalid
        }

        public let kind: Kind
        public let description: String

        public init(_ description: String, kind: Kind = .invalid) {
            self.kind = kind
            self.description = description
        }
    }

    /// An entry the scan passed over, and why.
    public struct Skipped: Equatable, Sendable {
        public let path: String
        public let reason: String

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// What a scan found.
    public struct Listing: Equatable, Sendable {
        /// The models, by name and then version (sorted as text).
        public var sources: [ModelSource] = []
        public var skipped: [Skipped] = []
    }

    public let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    /// The endings that make a file a model file; the name is what comes before them.
    static let modelSuffixes = [".joblib", ".pkl", ".pickle", ".skops", ".ubj"]
    static let compressionSuffixes = [".gz", ".z", ".bz2", ".xz", ".lzma", ".lz4"]

    /// The model name a file name gives (`iris.joblib.gz` → `iris`), or nil when it does not
    /// end in a model file's suffix.
    public static func modelName(ofFile fileName: String) -> String? {
        var stem = Substring(fileName)
        if let compression = compressionSuffixes.first(where: { stem.hasSuffix($0) }) {
            stem = stem.dropLast(compression.count)
        }
        guard let suffix = modelSuffixes.first(where: { stem.hasSuffix($0) }) else { return nil }
        stem = stem.dropLast(suffix.count)
        return stem.isEmpty ? nil : String(stem)
    }

    /// Lists the folder as it is now.
    /// - Throws: ``Failure`` naming the path when a folder cannot be read, a name is not
    ///   servable, one version folder holds two model files, or no model is found.
    public func scan() throws(Failure) -> Listing {
        var listing = Listing()
        let entries: [String]
        switch Self.entries(of: folder) {
        case .success(let names): entries = names
        case .failure(let error):
            throw Failure(
                "cannot read model repository folder \(folder): \(Self.errorText(error.code))",
                kind: .unreadable
            )
        }
        let root = Self.resolved(folder) ?? folder
        for entry in entries {
            let path = Self.join(folder, entry)
            if entry.hasPrefix(".") {
                listing.skipped.append(Skipped(path: path, reason: "hidden"))
                continue
            }
            if let skipped = Self.leavesRepository(path, root: root) {
                listing.skipped.append(skipped)
                continue
            }
            let kind = Self.kind(of: path)
            if case .folder = kind {
                try scanModelFolder(named: entry, at: path, root: root, into: &listing)
            } else if let name = Self.modelName(ofFile: entry), kind.mayBeFile {
                // An unreadable model file (a dangling link) is kept: its load fails naming
                // it, as a --model path would.
                try Self.checkName(name, of: "model", at: path)
                listing.sources.append(ModelSource(name: name, path: path))
            } else {
                listing.skipped.append(Skipped(path: path, reason: kind.skipReason))
            }
        }
        guard !listing.sources.isEmpty else {
            throw Failure(
                "no model in repository \(folder): put NAME.joblib (or .pkl, .pickle) or "
                    + "NAME/VERSION/model.joblib files there"
            )
        }
        try ModelSource.checkDistinct(listing.sources)
        return listing
    }

    /// `NAME/VERSION/model.*`: every version folder with a model file is one version. A
    /// folder with none is skipped whole, as a stray folder. A folder that cannot be listed
    /// is skipped too (a mount point's `lost+found`), naming the reason.
    private func scanModelFolder(
        named name: String,
        at path: String,
        root: String,
        into listing: inout Listing
    ) throws(Failure) {
        let entries: [String]
        switch Self.entries(of: path) {
        case .success(let names): entries = names
        case .failure(let error):
            listing.skipped.append(Skipped(path: path, reason: Self.errorText(error.code)))
            return
        }
        var versions: [ModelSource] = []
        var skipped: [Skipped] = []
        for version in entries {
            let versionPath = Self.join(path, version)
            if version.hasPrefix(".") {
                skipped.append(Skipped(path: versionPath, reason: "hidden"))
                continue
            }
            if let outside = Self.leavesRepository(versionPath, root: root) {
                skipped.append(outside)
                continue
            }
            guard case .folder = Self.kind(of: versionPath) else {
                skipped.append(
                    Skipped(
                        path: versionPath,
                        reason: "not a version folder (NAME/VERSION/model.joblib)"
                    )
                )
                continue
            }
            let files: [String]
            switch Self.entries(of: versionPath) {
            case .success(let names): files = names
            case .failure(let error):
                skipped.append(Skipped(path: versionPath, reason: Self.errorText(error.code)))
                continue
            }
            var modelFiles: [String] = []
            for file in files {
                let filePath = Self.join(versionPath, file)
                if file.hasPrefix(".") {
                    skipped.append(Skipped(path: filePath, reason: "hidden"))
                } else if let outside = Self.leavesRepository(filePath, root: root) {
                    skipped.append(outside)
                } else if Self.modelName(ofFile: file) == "model", Self.kind(of: filePath).mayBeFile
                {
                    modelFiles.append(filePath)
                } else {
                    skipped.append(
                        Skipped(
                            path: filePath,
                            reason: "not a version's model file (model.joblib, .pkl, .pickle, "
                                + ".skops or .ubj)"
                        )
                    )
                }
            }
            if modelFiles.count > 1 {
                throw Failure(
                    "version folder \(versionPath) holds two model files: \(modelFiles[0]) "
                        + "and \(modelFiles[1]); keep one"
                )
            }
            guard let modelFile = modelFiles.first else {
                skipped.append(Skipped(path: versionPath, reason: "no model.joblib in it"))
                continue
            }
            versions.append(ModelSource(name: name, version: version, path: modelFile))
        }
        guard !versions.isEmpty else {
            listing.skipped.append(
                Skipped(path: path, reason: "a folder without VERSION/model.joblib inside")
            )
            return
        }
        try Self.checkName(name, of: "model", at: path)
        for source in versions {
            try Self.checkName(source.version ?? "", of: "version", at: source.path)
        }
        listing.sources += versions
        listing.skipped += skipped
    }

    private static func checkName(_ name: String, of what: String, at path: String)
        throws(Failure)
    {
        guard ModelSource.isValidName(name) else {
            throw Failure(
                "cannot serve \(path): a \(what) name may use only letters, digits, '.', '_' "
                    + "and '-'; rename it"
            )
        }
    }

    // MARK: - The file system

    private enum Kind {
        case file, folder, other
        case unreadable(Int32)

        var mayBeFile: Bool {
            switch self {
            case .file, .unreadable: true
            case .folder, .other: false
            }
        }

        var skipReason: String {
            switch self {
            case .file: "not a model file (NAME.joblib, .pkl, .pickle, .skops or .ubj)"
            case .folder: "a folder"
            case .other: "not a file or a folder"
            case .unreadable(let code): ModelRepository.errorText(code)
            }
        }
    }

    /// A skip for `path` when it resolves, through symbolic links, to a place outside the
    /// repository folder `root` (itself resolved): a model is read only from inside the
    /// folder the operator named. Links within it (a Kubernetes ConfigMap's `..data`) are
    /// followed. A link that resolves to nothing stays, and fails at load naming it.
    private static func leavesRepository(_ path: String, root: String) -> Skipped? {
        guard let target = resolved(path) else { return nil }
        let inside = target == root || target.hasPrefix(root == "/" ? "/" : root + "/")
        guard !inside else { return nil }
        return Skipped(path: path, reason: "a link that leads outside the repository, to \(target)")
    }

    /// `path` with every link, `.` and `..` resolved (`realpath(3)`); nil when it resolves
    /// to nothing.
    private static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// What `path` is, following symbolic links (Kubernetes mounts files as links).
    private static func kind(of path: String) -> Kind {
        var information = stat()
        guard stat(path, &information) == 0 else { return .unreadable(errno) }
        switch information.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        default: return .other
        }
    }

    /// The names in a folder, sorted, without `.` and `..`. A name that is not UTF-8 is
    /// given with replacement characters: it cannot name a model, and is skipped or refused.
    private static func entries(of folder: String) -> Result<[String], SystemError> {
        guard let directory = opendir(folder) else { return .failure(SystemError(code: errno)) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." {
                names.append(name)
            }
        }
        return .success(names.sorted())
    }

    /// An `errno` from a failed call.
    private struct SystemError: Error {
        let code: Int32
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    private static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
