import Arrays
import Estimators
import Serving

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The two measurements, each printing one JSON line on standard output.
enum Commands {
    /// Loads the model as `augur serve` does, decodes the rows (untimed), then times the
    /// output a `/predict` request computes: `Model.compute`, which `InferenceResult.compute`
    /// calls once per output asked for.
    static func predict(_ options: Options) throws -> Int32 {
        let path = try options.modelPath()
        let served = try ModelSource(name: "model", path: path).load()
        let model = served.model
        let rowsPath = try options.required("rows")
        let batch = try options.integer("batch", default: 1)
        let seconds = try options.number("seconds", default: 1)
        let body = try ModelFile.readFile(rowsPath)
        // The server's own decoder, so the cells sit where a request would put them.
        let rows = try served.featureRows(ofNativeBody: body, limit: batch)
        guard rows.rows == batch else {
            throw BenchFailure("\(rowsPath) has \(rows.rows) rows, fewer than --batch \(batch)")
        }
        // What a request that names no output gets.
        let output = model.outputs.first ?? .predict

        let first = try model.compute(output, rows)
        var sink = 0.0
        let timing = Stopwatch.measure(seconds: seconds) {
            // A row the model refuses fails the first call above, so this cannot throw here.
            sink += (try? model.compute(output, rows))?.firstNumber ?? .nan
        }

        if let predictionsPath = options.last("predictions") {
            var predictions = JSONWriter(capacity: batch * 24)
            first.write(to: &predictions)
            guard Files.writeFile(predictions.finish(), path: predictionsPath) else {
                throw BenchFailure("cannot write \(predictionsPath)")
            }
        }
        printResult { line in
            line.key("batch")
            line.integer(Int64(batch))
            line.key("output")
            line.string(output.rawValue)
            line.key("seconds_per_call")
            line.double(timing.secondsPerCall)
            line.key("calls")
            line.integer(Int64(timing.calls))
            line.key("checksum")
            line.double(first.checksum)
            // Printed so that the timed calls' results are used; the reader can ignore it.
            line.key("sink")
            line.double(sink)
        }
        return 0
    }

    /// Times `ModelSource.load`, the call `augur serve` makes for each model before forking:
    /// read the file, run the pickle machine, build and check the estimator. The first load
    /// of the process is reported apart, since a server loads each file once.
    static func load(_ options: Options) throws -> Int32 {
        let path = try options.modelPath()
        let repeats = try options.integer("repeat", default: 10)
        var seconds: [Double] = []
        for _ in 0..<repeats {
            let clock = ContinuousClock()
            let start = clock.now
            _ = try ModelSource(name: "model", path: path).load()
            seconds.append((clock.now - start) / .seconds(1))
        }
        printResult { line in
            line.key("kind")
            line.string("load")
            line.key("seconds")
            line.double(Stopwatch.median(seconds))
            line.key("first_seconds")
            line.double(seconds[0])
            line.key("repeat")
            line.integer(Int64(repeats))
        }
        return 0
    }

    /// Prints one result line: an object naming the engine and its version, then the
    /// fields `fields` writes.
    private static func printResult(_ fields: (inout JSONWriter) -> Void) {
        var line = JSONWriter()
        line.beginObject()
        line.key("engine")
        line.string("augur")
        line.key("version")
        line.string(AugurVersion.current)
        fields(&line)
        line.endObject()
        Files.writeAll(line.finish(), to: STDOUT_FILENO)
    }
}
