import Inspection

/// `augur inspect MODEL [--json]`: what the file holds and whether it can be served,
/// without Python. The report itself is made and rendered by the Inspection module.
enum InspectCommand {
    static func run(_ arguments: ArraySlice<String>) -> Int32 {
        let json = arguments.contains("--json")
        let paths = arguments.filter { $0 != "--json" }
        guard paths.count == 1, let path = paths.first, !path.hasPrefix("--") else {
            Console.error("inspect takes one model file and an optional --json\n\n\(Usage.text)")
            return ExitCode.usage
        }
        let report = Inspector.inspect(path: path)
        if json {
            Console.write(Array(report.json.utf8))
        } else if report.failure != nil {
            Console.error(String(report.text.dropLast()))
        } else {
            Console.write(Array(report.text.utf8))
        }
        return report.exitCode
    }
}
