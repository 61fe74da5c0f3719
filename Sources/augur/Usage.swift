/// The usage and help texts. Every option line is made from the option tables
/// (`OptionSpec.serve`, `NginxConfigCommand.ownOptions`), so the help cannot drift from what
/// the commands read.
enum Usage {
    static var text: String {
        """
        usage: augur <command> [options]

        commands:
          serve    --model NAME=PATH ... | --repository DIR ... [options of serve]
                   Load every model, then run a pool of FastCGI workers for nginx.
                   SIGHUP re-reads the files (and re-scans DIR); SIGTERM stops.
          nginx-config [options of serve] [--server-listen ADDRESS] [--nginx-workers N]
                   [--complete]
                   Print the nginx configuration for a pool run with the same options.
          predict  MODEL_PATH [--input FILE]
                   Answer one /predict request body (standard input by default) and
                   print exactly the body the server would send.
          inspect  MODEL_PATH [--json]
                   Show what a pickle or joblib file holds and whether it can be served.
          estimators
                   List every estimator class Augur serves, with its outputs (Markdown).
          help [COMMAND]
                   This text, or the options of serve or nginx-config.

        options of serve, each also an environment variable (default):
        \(options(OptionSpec.serve))
        """
    }

    /// `augur serve --help`, `augur help serve`.
    static var serve: String {
        """
        usage: augur serve --model NAME=PATH ... | --repository DIR ... [options]

        Loads and checks every model, then runs a pool of FastCGI workers for nginx.
        SIGHUP re-reads the files (and re-scans DIR); SIGTERM stops.

        options, each also an environment variable (default):
        \(options(OptionSpec.serve))

        \(environment)
        """
    }

    /// `augur nginx-config --help`, `augur help nginx-config`.
    static var nginxConfig: String {
        """
        usage: augur nginx-config [options of serve] [--server-listen ADDRESS]
                                  [--nginx-workers N] [--complete]

        Prints the nginx configuration for a pool that `augur serve` runs with the same
        options (and variables), made from the repository's nginx/ files: the upstream
        reaches --listen, keepalive is sized for --workers and --threads,
        client_max_body_size is --max-body-bytes and fastcgi_read_timeout outlasts
        --request-timeout. The other options of serve are read and checked, and change
        nothing here. It needs no other file: include it inside `http { }`, or with
        --complete run it as nginx's main configuration:
            nginx -p DIR/ -c FILE -e DIR/error.log

        options of nginx-config, each also an environment variable (default):
        \(options(NginxConfigCommand.ownOptions))
          --complete                a whole nginx.conf instead of the part for `http { }`

        options of serve (`augur help serve` tells more):
        \(options(OptionSpec.serve))

        \(environment)
        """
    }

    static let environment = """
        An AUGUR_ variable is read when its option is not on the command line. A list
        (AUGUR_MODEL, AUGUR_REPOSITORY) is separated by commas or newlines, with spaces
        around an item ignored; a path with a comma needs the option. An empty variable
        counts as unset. A bad value is refused naming the variable (exit 64), and so is
        an unknown AUGUR_ name within two letters of a known one (AUGUR_WORKER); other
        AUGUR_ names are not Augur's options and are left alone (Kubernetes sets
        AUGUR_WORKER_SERVICE_HOST and the like for a Service named augur-worker).
        """

    /// The first column is as wide as the longest `--name VALUE` but one, which gets a line
    /// of its own; the help then fits 80 columns.
    static let optionColumn = 28

    /// One entry per option: `--name VALUE`, the summary, then its variable and default.
    static func options(_ specs: [OptionSpec]) -> String {
        var lines: [String] = []
        for spec in specs {
            let flag = "  --\(spec.name) \(spec.value)"
            var summary = spec.summary
            var variableLine = spec.variable
            if spec.isList {
                variableLine += ", a list"
            } else if spec.name == "watch" {
                variableLine += "=SECONDS"
            }
            if let defaultText = spec.defaultText {
                variableLine += " (\(defaultText))"
            }
            summary.append(variableLine)
            if flag.count < optionColumn {
                let padding = String(repeating: " ", count: optionColumn - flag.count)
                lines.append(flag + padding + summary.removeFirst())
            } else {
                lines.append(flag)
            }
            let indent = String(repeating: " ", count: optionColumn)
            lines += summary.map { indent + $0 }
        }
        return lines.joined(separator: "\n")
    }
}
