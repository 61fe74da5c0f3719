/// The repository's nginx/ files (`NginxFiles`), rendered for one pool.
///
/// The files are the only source: the renderer replaces the values of a few directives,
/// found by name, and copies everything else, then writes each `include` of a file in
/// nginx/ in its place, so that the result needs no other file. A directive it needs that
/// the files lose stops it at once (a test renders every shape), rather than printing a
/// configuration for some other pool.
struct NginxConfiguration {
    /// nginx's `server` for the pool: `unix:PATH` or `HOST:PORT`.
    var upstream: String
    /// nginx's own `listen`; nil keeps the files' (127.0.0.1:8080).
    var serverListen: String?
    /// nginx's `worker_processes`; nil keeps nginx.conf's.
    var nginxWorkers: Int?
    var poolWorkers: Int
    var threadsPerWorker: Int
    var maxBodyBytes: Int
    var requestTimeout: Duration?
    /// The options it was made for (`--workers 2`), for the header.
    var options: [String]

    /// The time nginx gives the pool beyond `--request-timeout`, so that a request past the
    /// worker's deadline gets the worker's JSON 503 rather than nginx's 504; the files keep
    /// 60 s for the default 30 s.
    static let readTimeoutMargin = 30

    /// nginx's `worker_processes`, as given or as nginx.conf has it.
    var effectiveNginxWorkers: Int {
        nginxWorkers ?? Int(Self.value(of: "worker_processes", in: NginxFiles.nginxConf))!
    }

    /// Idle connections per nginx worker: augur.conf's rule, `keepalive x worker_processes`
    /// below the pool's accept threads with room to spare, taken as at most half of them.
    /// 0 when even one per nginx worker would pin more than half: nginx then keeps none.
    var keepalive: Int {
        poolWorkers * threadsPerWorker / (2 * effectiveNginxWorkers)
    }

    /// Seconds for `fastcgi_read_timeout`: the files' value, or more for a longer deadline.
    var readTimeoutSeconds: Int {
        let files = Int(
            Self.value(of: "fastcgi_read_timeout", in: NginxFiles.upstreamConf)
                .dropLast()
        )!
        guard let requestTimeout else { return files }
        let (seconds, attoseconds) = requestTimeout.components
        let roundedUp = Int(seconds) + (attoseconds > 0 ? 1 : 0)
        return max(files, roundedUp + Self.readTimeoutMargin)
    }

    /// The `http { }` part (augur.conf), or with `complete` a whole nginx.conf.
    func render(complete: Bool) -> String {
        var site = NginxFiles.augurConf
        site = Self.setting("server", to: upstream, in: site)
        if let serverListen {
            site = Self.setting("listen", to: serverListen, in: site)
        }
        site = Self.setting(
            "keepalive",
            to: keepalive > 0 ? "\(keepalive)" : nil,
            in: site,
            otherwise: "# No keepalive: the pool has too few accept threads to pin any."
        )
        let filesBodyLimit = Self.bytes(Self.value(of: "client_max_body_size", in: site))
        site = Self.setting("client_max_body_size", to: Self.size(maxBodyBytes), in: site)
        site = Self.setting("client_body_buffer_size", to: Self.size(maxBodyBytes), in: site)
        let filesLimitText = "limit of \(filesBodyLimit) bytes"
        precondition(site.contains(filesLimitText), "nginx/augur.conf lost '\(filesLimitText)'")
        site = site.replacing(filesLimitText, with: "limit of \(maxBodyBytes) bytes")
        let upstreamConf = Self.setting(
            "fastcgi_read_timeout",
            to: "\(readTimeoutSeconds)s",
            in: NginxFiles.upstreamConf
        )

        var files = [
            "augur.conf": site,
            "augur-upstream.conf": upstreamConf,
            "fastcgi_params": NginxFiles.fastcgiParams,
        ]
        var top = "augur.conf"
        if complete {
            files["nginx.conf"] = Self.setting(
                "worker_processes",
                to: "\(effectiveNginxWorkers)",
                in: NginxFiles.nginxConf
            )
            top = "nginx.conf"
        }
        return header(complete: complete) + Self.inlining(files[top]!, files: files)
    }

    func header(complete: Bool) -> String {
        let use =
            complete
            ? """
            # A whole nginx.conf that runs unprivileged from a prefix folder DIR, which holds
            # its pid, logs and temp files: nginx -p DIR/ -c THIS_FILE -e DIR/error.log
            """
            : """
            # Include it inside `http { }` (Debian: /etc/nginx/conf.d/augur.conf); it needs no
            # other file.
            """
        let threads = poolWorkers * threadsPerWorker
        let pool =
            "\(threads) accept threads (--workers \(poolWorkers) x --threads \(threadsPerWorker))"
        let keepaliveText =
            keepalive > 0
            ? """
            # keepalive \(keepalive): that many idle connections in each of \(effectiveNginxWorkers) nginx workers
            # hold at most half of the pool's \(pool).
            """
            : """
            # No keepalive: one idle connection in each of \(effectiveNginxWorkers) nginx workers would
            # hold more than half of the pool's \(pool).
            """
        var optionLines: [String] = []
        for option in options {
            if let last = optionLines.last, last.count + option.count < 88 {
                optionLines[optionLines.count - 1] += " " + option
            } else {
                optionLines.append("#    " + option)
            }
        }
        return """
            # nginx for an Augur pool, written by `augur nginx-config` from Augur's nginx/
            # files, for a pool run with
            \(optionLines.joined(separator: "\n"))
            #
            \(use)
            #
            \(keepaliveText)


            """
    }

    /// The lines of `text` that are directives (not comments), trimmed.
    static func directives(_ name: String, in text: String) -> [Substring] {
        text.split(separator: "\n").map { $0.drop { $0 == " " } }.filter {
            $0.hasPrefix(name + " ") && $0.hasSuffix(";")
        }
    }

    /// The value of the one `name` directive of `text`: `64m` for `client_max_body_size 64m;`.
    static func value(of name: String, in text: String) -> String {
        let found = directives(name, in: text)
        precondition(found.count == 1, "nginx/ has \(found.count) '\(name)' directives, not 1")
        return String(found[0].dropFirst(name.count + 1).dropLast())
    }

    /// `text` with the value of its one `name` directive set to `value`, or, for a nil
    /// value, the directive's line replaced by `otherwise`.
    static func setting(
        _ name: String,
        to value: String?,
        in text: String,
        otherwise: String = ""
    ) -> String {
        _ = Self.value(of: name, in: text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let indent = line.prefix { $0 == " " }
            let trimmed = line.dropFirst(indent.count)
            guard trimmed.hasPrefix(name + " "), trimmed.hasSuffix(";") else { return line }
            return indent + (value.map { "\(name) \($0);" } ?? otherwise)
        }
        return lines.joined(separator: "\n")
    }

    /// `text` with each `include NAME;` of a file in `files` replaced by that file, indented
    /// as the directive was and without its leading comment (written for the repository).
    static func inlining(_ text: String, files: [String: String]) -> String {
        var result: [String] = []
        for line in withoutLeadingComment(text) {
            let indent = line.prefix { $0 == " " }
            let trimmed = line.dropFirst(indent.count)
            let name = String(trimmed.dropFirst("include ".count).dropLast())
            guard trimmed.hasPrefix("include "), trimmed.hasSuffix(";"), let file = files[name]
            else {
                result.append(String(line))
                continue
            }
            let included = inlining(file, files: files).split(
                separator: "\n",
                omittingEmptySubsequences: false
            )
            result += included.map { $0.isEmpty ? "" : String(indent + $0) }
        }
        while result.last == "" { result.removeLast() }
        return result.joined(separator: "\n") + "\n"
    }

    /// The lines of `text` from the first that is neither a comment nor blank.
    static func withoutLeadingComment(_ text: String) -> ArraySlice<Substring> {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .drop { $0.hasPrefix("#") || $0.isEmpty }
    }

    /// nginx sizes: `64m`, `512k` or bytes.
    static func bytes(_ size: String) -> Int {
        let units: [Character: Int] = ["k": 1 << 10, "K": 1 << 10, "m": 1 << 20, "M": 1 << 20]
        if let last = size.last, let unit = units[last] {
            return Int(size.dropLast())! * unit
        }
        return Int(size)!
    }

    /// `bytes` as nginx writes a size: `64m` rather than `67108864` when it divides.
    static func size(_ bytes: Int) -> String {
        if bytes % (1 << 20) == 0 { return "\(bytes >> 20)m" }
        if bytes % (1 << 10) == 0 { return "\(bytes >> 10)k" }
        return "\(bytes)"
    }
}
