import WorkerPool

/// `augur nginx-config`: the nginx configuration for a pool that `augur serve` runs with the
/// same options and variables, so that one command line (or one environment) sets up both.
enum NginxConfigCommand {
    /// The options of nginx-config besides those of serve.
    static let ownOptions: [OptionSpec] = [
        OptionSpec(
            name: "server-listen",
            value: "ADDRESS",
            summary: [
                "where nginx listens: HOST:PORT, [IPV6]:PORT or",
                "unix:PATH",
            ],
            defaultText: NginxConfiguration.value(of: "listen", in: NginxFiles.augurConf)
        ),
        OptionSpec(
            name: "nginx-workers",
            value: "N",
            summary: [
                "nginx's worker_processes, which keepalive is",
                "sized for; written out with --complete",
            ],
            defaultText: NginxConfiguration.value(of: "worker_processes", in: NginxFiles.nginxConf)
        ),
    ]

    static func run(_ arguments: ArraySlice<String>) -> Int32 {
        var environment = EnvironmentOptions()
        let configuration: NginxConfiguration
        let complete: Bool
        do {
            let options = try environment.merge(
                ServeCommand.withWatchValue(arguments),
                options: OptionSpec.serve + ownOptions,
                flagNames: ["help", "complete"]
            )
            if options.flags.contains("help") {
                print(Usage.nginxConfig)
                return ExitCode.success
            }
            complete = options.flags.contains("complete")
            configuration = try Self.configuration(options)
        } catch {
            Console.error(
                "\(environment.explain(error))\n(`augur help nginx-config` lists the options)"
            )
            return ExitCode.usage
        }
        Console.write(Array(configuration.render(complete: complete).utf8))
        return ExitCode.success
    }

    /// Checks every option as `augur serve` does, so that a command line this accepts starts
    /// the pool too, then keeps those that shape nginx's side.
    static func configuration(_ options: CommandLineOptions) throws -> NginxConfiguration {
        guard options.positionals.isEmpty else {
            throw CommandLineOptions.UsageError(
                description: "unexpected argument '\(options.positionals[0])'"
            )
        }
        for model in options.all("model") { _ = try ServeCommand.parseModel(model) }
        for folder in options.all("repository") { _ = try ServeCommand.parseRepository(folder) }
        _ = try ServeCommand.logger(options)
        _ = try ServeCommand.parseWatchInterval(options.last("watch"))
        _ = try options.integer("max-requests", default: 0, minimum: 0)
        let pool = try ServeCommand.poolConfiguration(options)
        let limits = try ServeCommand.servingLimits(options)
        let nginxWorkers = try options.last("nginx-workers").map { _ in
            try options.integer("nginx-workers", default: 1)
        }

        var given = ["--listen \(pool.listen)"]
        given += ["--workers \(pool.workers)", "--threads \(pool.threadsPerWorker)"]
        given.append("--max-body-bytes \(pool.maxBodyBytes)")
        given.append("--request-timeout \(secondsText(limits.requestTimeout))")
        let serverListen = try options.last("server-listen").map(Self.serverListen)
        if let serverListen { given.append("--server-listen \(serverListen)") }
        if let nginxWorkers { given.append("--nginx-workers \(nginxWorkers)") }
        return NginxConfiguration(
            upstream: try upstream(pool.listen),
            serverListen: serverListen,
            nginxWorkers: nginxWorkers,
            poolWorkers: pool.workers,
            threadsPerWorker: pool.threadsPerWorker,
            maxBodyBytes: pool.maxBodyBytes,
            requestTimeout: limits.requestTimeout,
            options: given
        )
    }

    /// `30`, `0.5`: a duration as `--request-timeout` takes it; `0` for none.
    static func secondsText(_ duration: Duration?) -> String {
        guard let (seconds, attoseconds) = duration?.components else { return "0" }
        let milliseconds = attoseconds / 1_000_000_000_000_000
        guard milliseconds > 0 else { return "\(seconds)" }
        var fraction = String("\(1000 + milliseconds)".dropFirst())
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(seconds).\(fraction)"
    }

    /// nginx's `server` for the pool's `--listen`. A pool on 0.0.0.0 listens on the loopback
    /// address too, where nginx on the same machine reaches it.
    static func upstream(_ listen: ListenAddress) throws(CommandLineOptions.UsageError) -> String {
        switch listen {
        case .unix(let path):
            try checkPath(path, option: "--listen")
            // nginx would resolve a relative path from its own prefix, not from here.
            guard path.hasPrefix("/") else {
                throw CommandLineOptions.UsageError(
                    description: "--listen: nginx-config needs an absolute socket path, "
                        + "not '\(path)'"
                )
            }
            return "unix:\(path)"
        case .tcp(let host, let port):
            return "\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)"
        }
    }

    /// `--server-listen`: `HOST:PORT`, `[IPV6]:PORT` or `unix:PATH`. A port alone, which nginx
    /// takes as every address, is refused: listening beyond this machine should be written.
    static func serverListen(_ text: String) throws(CommandLineOptions.UsageError) -> String {
        if text.hasPrefix("unix:") {
            try checkPath(String(text.dropFirst("unix:".count)), option: "--server-listen")
            return text
        }
        let refusal = CommandLineOptions.UsageError(
            description: "--server-listen takes HOST:PORT (127.0.0.1:8080, 0.0.0.0:8080), "
                + "[IPV6]:PORT or unix:PATH, not '\(text)'"
        )
        guard let colon = text.lastIndex(of: ":"),
            let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { throw refusal }
        let host = text[..<colon]
        let isBracketedIPv6 =
            host.hasPrefix("[") && host.hasSuffix("]") && host.count > 2
            && host.dropFirst().dropLast().allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        let isName =
            !host.isEmpty
            && host.allSatisfy {
                $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-")
            }
        guard isBracketedIPv6 || isName || host == "*" else { throw refusal }
        return text
    }

    /// Refuses a socket path that nginx would read as more than one word.
    static func checkPath(_ path: String, option: String) throws(CommandLineOptions.UsageError) {
        let special: Set<Character> = [";", "{", "}", "\"", "'", "\\", "#", "$"]
        guard !path.isEmpty, !path.contains(where: { $0.isWhitespace || special.contains($0) })
        else {
            throw CommandLineOptions.UsageError(
                description: "\(option): nginx-config cannot write the path '\(path)' into "
                    + "nginx's configuration (no spaces, quotes, ; { } # $ or \\)"
            )
        }
    }
}
