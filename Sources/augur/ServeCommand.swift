import Estimators
import FastCGI
import Logging
import Metrics
import Serving
import WorkerPool

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `augur serve`: load and check every model in the master, then run the worker pool.
///
/// Models load before any worker exists, so a bad file stops start-up with its name and
/// the reason, and the workers share the loaded models' pages copy-on-write.
enum ServeCommand {
    struct ModelArgument: Equatable {
        let name: String
        let path: String
    }

    static func run(_ arguments: ArraySlice<String>) -> Int32 {
        let options: CommandLineOptions
        let models: [ModelArgument]
        let repositories: [ModelRepository]
        let configuration: PoolConfiguration
        let limits: ServingLimits
        let maxRequests: Int?
        let watchInterval: Duration?
        var environment = EnvironmentOptions()
        do {
            options = try environment.merge(
                withWatchValue(arguments),
                options: OptionSpec.serve,
                flagNames: ["help"]
            )
            if options.flags.contains("help") {
                print(Usage.serve)
                return ExitCode.success
            }
            guard options.positionals.isEmpty else {
                throw CommandLineOptions.UsageError(
                    description: "unexpected argument '\(options.positionals[0])'"
                )
            }
            models = try options.all("model").map(parseModel)
            repositories = try options.all("repository").map(parseRepository)
            guard !models.isEmpty || !repositories.isEmpty else {
                throw CommandLineOptions.UsageError(
                    description: "give at least one --model NAME=PATH or --repository DIR"
                )
            }
            configuration = try poolConfiguration(options)
            limits = try servingLimits(options)
            let requests = try options.integer("max-requests", default: 0, minimum: 0)
            maxRequests = requests == 0 ? nil : requests
            Logger.bootstrap(try logger(options))
            watchInterval = try parseWatchInterval(options.last("watch"))
        } catch {
            Console.error("\(environment.explain(error))\n\n\(Usage.text)")
            return ExitCode.usage
        }
        let defaultModel = options.last("default")

        // Made before any worker is forked, so that all of them share it.
        let metrics: MetricsRegion
        do {
            metrics = try MetricsRegion(routes: Route.labels)
        } catch {
            Console.error("\(error)")
            return ExitCode.unavailable
        }
        // Read before the first load, so that a change during it is seen at the first poll.
        let modelWatch = watchInterval.map { _ in
            ModelWatch(models: models, repositories: repositories)
        }
        // 1 for the models loaded now, one more per successful reload, as in /metrics.
        var generation = 1
        var service: PredictionService
        do {
            service = try loadService(
                models,
                repositories: repositories,
                defaultModel: defaultModel,
                metricsText: { metrics.exposition() },
                limits: limits,
                generation: generation
            )
        } catch {
            Console.error(error.description)
            return error.exitCode
        }
        metrics.modelsLoaded(service.catalog.all.map { ($0.name, $0.loadSeconds) })
        prepareSocketFolder(configuration.listen)

        do {
            return try Master.run(
                configuration: configuration,
                reload: {
                    // SIGHUP: serve the files as they are now, or keep the old models.
                    let watched = modelWatch?.current()
                    defer { watched.map { modelWatch?.markLoaded($0) } }
                    do {
                        service = try loadService(
                            models,
                            repositories: repositories,
                            defaultModel: defaultModel,
                            metricsText: { metrics.exposition() },
                            limits: limits,
                            generation: generation + 1
                        )
                        generation += 1
                        metrics.modelsLoaded(service.catalog.all.map { ($0.name, $0.loadSeconds) })
                        return true
                    } catch {
                        Logger.process.write(
                            LogLine(
                                .error,
                                "reload failed; still serving the previous models",
                                [.init("error", "\(error)")]
                            )
                        )
                        return false
                    }
                },
                worker: { descriptor in
                    let current = service
                    let recorder = metrics.recorder()
                    // Taken once: a request below the level costs one comparison.
                    let logger = Logger.process
                    let server = FastCGIServer(
                        listeningDescriptor: descriptor,
                        configuration: FastCGIServer.Configuration(
                            threads: configuration.threadsPerWorker,
                            maxBodyBytes: configuration.maxBodyBytes,
                            maxRequests: maxRequests
                        ),
                        handler: { request in
                            let clock = ContinuousClock()
                            let started = clock.now
                            let (response, summary) = current.answer(request)
                            let duration = clock.now - started
                            recorder.record(
                                route: summary.route?.label,
                                model: summary.model,
                                status: response.status,
                                rows: summary.rows,
                                duration: duration
                            )
                            logger.log(
                                RequestLog.level(forStatus: response.status),
                                RequestLog.line(
                                    request,
                                    status: response.status,
                                    summary: summary,
                                    duration: duration
                                )
                            )
                            return response
                        }
                    )
                    do {
                        let reason = try server.serve()
                        return reason == .requestLimit ? WorkerExit.recycleCode : 0
                    } catch {
                        Logger.process.write(
                            LogLine(.error, "worker cannot serve", [.init("error", "\(error)")])
                        )
                        return 1
                    }
                },
                poolChanged: { alive, restarts in
                    metrics.setWorkers(alive: alive, restarts: restarts)
                },
                watch: modelWatch.flatMap { watch in
                    watchInterval.map { ($0, { watch.settledChange() }) }
                }
            )
        } catch {
            switch error.code {
            case .addressInUse, .notASocket, .socketFailed, .invalidAddress:
                // These messages name the address themselves.
                Console.error("\(error)")
            case .invalidConfiguration:
                Console.error("cannot listen on \(configuration.listen): \(error)")
            }
            return ExitCode.unavailable
        }
    }

    struct LoadFailure: Error, CustomStringConvertible {
        let description: String
        let exitCode: Int32
    }

    /// Scans the repositories as they are now, then loads every model: at start-up, and
    /// again on SIGHUP, so files added or removed since are served or dropped.
    static func loadService(
        _ models: [ModelArgument],
        repositories: [ModelRepository],
        defaultModel: String?,
        metricsText: (@Sendable () -> String)? = nil,
        limits: ServingLimits = ServingLimits(),
        generation: Int? = nil
    ) throws(LoadFailure) -> PredictionService {
        var sources = models.map {
            ModelSource(name: $0.name, path: $0.path, origin: "--model \($0.name)=\($0.path)")
        }
        do {
            for repository in repositories {
                let listing = try repository.scan()
                for skipped in listing.skipped {
                    log(
                        LogLine(
                            .info,
                            "skipped in model repository",
                            [.init("path", skipped.path), .init("reason", skipped.reason)]
                        )
                    )
                }
                sources += listing.sources
            }
            try ModelSource.checkDistinct(sources)
        } catch {
            throw LoadFailure(
                description: error.description,
                exitCode: error.kind == .unreadable ? ExitCode.noInput : ExitCode.badModel
            )
        }
        if let defaultModel, !sources.contains(where: { $0.name == defaultModel }) {
            let names = Set(sources.map(\.name)).sorted().map { "'\($0)'" }
            throw LoadFailure(
                description: "--default \(defaultModel) names no served model; models: "
                    + names.prefix(50).joined(separator: ", "),
                exitCode: ExitCode.usage
            )
        }

        var served: [ServedModel] = []
        for source in sources {
            do {
                served.append(try source.load())
            } catch {
                throw LoadFailure(
                    description: "model \(source.label): \(error)",
                    exitCode: ExitCode.badModel
                )
            }
        }
        return PredictionService(
            models: served,
            defaultModel: defaultModel,
            metricsText: metricsText,
            limits: limits,
            generation: generation
        )
    }

    /// Writes one line with the process's logger, as the pool's master does.
    static func log(_ line: LogLine) {
        Logger.process.write(line)
    }

    /// `--max-rows`, `--max-json-depth`, `--max-string-bytes` and `--request-timeout`.
    static func servingLimits(_ options: CommandLineOptions) throws -> ServingLimits {
        let defaults = ServingLimits()
        var limits = ServingLimits(
            maxRows: try options.integer("max-rows", default: defaults.maxRows),
            maxJSONDepth: try options.integer("max-json-depth", default: defaults.maxJSONDepth),
            maxStringBytes: try options.integer(
                "max-string-bytes",
                default: defaults.maxStringBytes
            ),
            requestTimeout: defaults.requestTimeout
        )
        if let text = options.last("request-timeout") {
            guard let timeout = parseSeconds(text) else {
                throw CommandLineOptions.UsageError(
                    description: "--request-timeout takes seconds (e.g. 30 or 0.5); 0 for none"
                )
            }
            limits.requestTimeout = timeout == .zero ? nil : timeout
        }
        return limits
    }

    /// `30`, `0.5`, `2.25`: seconds to the millisecond, without Foundation's number parser.
    static func parseSeconds(_ text: String) -> Duration? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = Int(parts[0]), whole >= 0, whole < 1_000_000,
            parts[0].allSatisfy(\.isASCII)
        else { return nil }
        var milliseconds = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...3).contains(fraction.count),
                fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(fraction)
            else { return nil }
            milliseconds = value * [1, 100, 10, 1][fraction.count]
        }
        return .seconds(whole) + .milliseconds(milliseconds)
    }

    /// `--log-format logfmt|json` and `--log-level debug|info|warning|error`.
    static func logger(_ options: CommandLineOptions) throws -> Logger {
        var logger = Logger()
        if let text = options.last("log-format") {
            guard let format = LogFormat(rawValue: text) else {
                throw CommandLineOptions.UsageError(
                    description: "--log-format takes logfmt or json"
                )
            }
            logger.format = format
        }
        if let text = options.last("log-level") {
            guard let level = LogLevel(name: text) else {
                throw CommandLineOptions.UsageError(
                    description: "--log-level takes debug, info, warning or error"
                )
            }
            logger.level = level
        }
        return logger
    }

    /// The interval of `--watch` when none is given.
    static let defaultWatchSeconds = "2"

    /// `--watch` takes an optional number of seconds (`--watch`, `--watch 5`, `--watch=5`);
    /// this gives it one, so that the option reader sees a plain valued option.
    static func withWatchValue(_ arguments: ArraySlice<String>) -> ArraySlice<String> {
        var result: [String] = []
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            guard argument == "--watch" else {
                result.append(argument)
                continue
            }
            if let next = remaining.first, Double(next) != nil {
                result.append("--watch=" + next)
                remaining = remaining.dropFirst()
            } else {
                result.append("--watch=" + defaultWatchSeconds)
            }
        }
        return result[...]
    }

    /// The polling interval of `--watch`, from 0.1 s to an hour; nil without `--watch`.
    static func parseWatchInterval(_ text: String?) throws(CommandLineOptions.UsageError)
        -> Duration?
    {
        guard let text else { return nil }
        guard let seconds = Double(text), seconds >= 0.1, seconds <= 3600 else {
            throw CommandLineOptions.UsageError(
                description: "--watch takes seconds from 0.1 to 3600, not '\(text)'"
            )
        }
        return .milliseconds(Int((seconds * 1000).rounded()))
    }

    static func parseRepository(_ text: String) throws(CommandLineOptions.UsageError)
        -> ModelRepository
    {
        guard !text.isEmpty else {
            throw CommandLineOptions.UsageError(
                description: "--repository takes a folder, e.g. --repository models/"
            )
        }
        return ModelRepository(folder: text)
    }

    static func parseModel(_ text: String) throws(CommandLineOptions.UsageError) -> ModelArgument {
        guard let equals = text.firstIndex(of: "=") else {
            throw CommandLineOptions.UsageError(
                description: "--model takes NAME=PATH, e.g. --model iris=models/iris.joblib"
            )
        }
        let name = String(text[..<equals])
        let path = String(text[text.index(after: equals)...])
        guard ModelSource.isValidName(name), !path.isEmpty else {
            throw CommandLineOptions.UsageError(
                description: "--model \(text): the name may use letters, digits, '.', '_' and '-'"
            )
        }
        return ModelArgument(name: name, path: path)
    }

    static func poolConfiguration(_ options: CommandLineOptions) throws -> PoolConfiguration {
        let names = options.all("model").compactMap { $0.split(separator: "=").first }
        if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw CommandLineOptions.UsageError(
                description: "model name '\(repeated)' is given twice"
            )
        }
        let listen: ListenAddress
        do {
            listen = try ListenAddress(
                parsing: options.last("listen") ?? OptionSpec.defaultListen
            )
        } catch {
            throw CommandLineOptions.UsageError(description: "--listen: \(error.message)")
        }
        let configuration = PoolConfiguration(
            listen: listen,
            workers: try options.integer("workers", default: PoolConfiguration.processorCount),
            threadsPerWorker: try options.integer("threads", default: OptionSpec.defaultThreads),
            maxBodyBytes: try options.integer(
                "max-body-bytes",
                default: FastCGIServer.Configuration().maxBodyBytes
            )
        )
        do {
            try configuration.validate()
        } catch {
            throw CommandLineOptions.UsageError(description: error.message)
        }
        return configuration
    }

    /// Creates the folder of a unix socket (such as /run/augur) when it is missing.
    static func prepareSocketFolder(_ address: ListenAddress) {
        guard case .unix(let path) = address, let slash = path.lastIndex(of: "/"),
            slash != path.startIndex
        else { return }
        mkdir(String(path[..<slash]), 0o755)
    }

    /// The name a model file is served under by default: its file name without extension.
    static func modelName(forPath path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.split(separator: ".").first.map(String.init) ?? file
    }
}
