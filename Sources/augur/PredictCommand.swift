import Estimators
import Serving

/// `augur predict MODEL [--input FILE]`: one request through the same service the
/// workers run, printed exactly as the server would send it.
enum PredictCommand {
    static func run(_ arguments: ArraySlice<String>) -> Int32 {
        let options: CommandLineOptions
        do {
            options = try CommandLineOptions(arguments, valued: ["input", "content-type"])
        } catch {
            Console.error("\(error)\n\n\(Usage.text)")
            return ExitCode.usage
        }
        guard options.positionals.count == 1, let path = options.positionals.first else {
            Console.error("predict takes one model file\n\n\(Usage.text)")
            return ExitCode.usage
        }
        let model: Model
        do {
            model = try ModelLoader.load(path: path)
        } catch {
            Console.error(error.description)
            return ExitCode.badModel
        }
        let input = options.last("input")
        guard let body = Console.readAll(path: input) else {
            Console.error("cannot read \(input ?? "standard input")")
            return ExitCode.noInput
        }
        let name = ServeCommand.modelName(forPath: path)
        let service = PredictionService(models: [ServedModel(name: name, model: model)])
        let response = service.respond(
            to: HTTPRequest(
                method: "POST",
                path: "/predict",
                contentType: options.last("content-type") ?? "application/json",
                body: body
            )
        )
        Console.write(response.body)
        return response.status == 200 ? ExitCode.success : ExitCode.requestFailed
    }
}
