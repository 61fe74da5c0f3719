/// `augur serve`: load every model, then hand the service to the worker pool.
enum ServeCommand {
    static func run(_ arguments: ArraySlice<String>) -> Int32 {
        Console.error("serve is not wired yet")
        return ExitCode.usage
    }

    /// The name a model file is served under by default: its file name without extension.
    static func modelName(forPath path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.split(separator: ".").first.map(String.init) ?? file
    }
}
