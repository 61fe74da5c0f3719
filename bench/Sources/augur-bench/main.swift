#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `augur-bench`: Augur's prediction and model loading timed in process, one thread, for
/// bench/inprocess/run.py. Each command prints one JSON line.
enum Usage {
    static let text = """
        usage: augur-bench predict MODEL --rows ROWS.json [--batch N] [--seconds S]
                           [--predictions OUT.json]
                   Times the model's default output (predict) on the first N rows of a
                   native /predict body, repeated for about S seconds on this thread.
               augur-bench load MODEL [--repeat K]
                   Times reading and building the model, K times.
        """
}

let arguments = CommandLine.arguments.dropFirst()
let status: Int32
do {
    switch arguments.first {
    case "predict":
        let options = try Options(
            arguments.dropFirst(),
            valued: ["rows", "batch", "seconds", "predictions"]
        )
        status = try Commands.predict(options)
    case "load":
        let options = try Options(arguments.dropFirst(), valued: ["repeat"])
        status = try Commands.load(options)
    default:
        throw BenchFailure(Usage.text)
    }
} catch {
    Files.writeAll(Array("augur-bench: \(error)\n".utf8), to: STDERR_FILENO)
    status = 64
}
exit(status)
