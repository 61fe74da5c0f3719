import Inspection

/// `augur estimators`: the supported estimators and their outputs, as Markdown.
enum EstimatorsCommand {
    static func run(_ arguments: ArraySlice<String>) -> Int32 {
        guard arguments.isEmpty else {
            Console.error("estimators takes no arguments\n\n\(Usage.text)")
            return ExitCode.usage
        }
        Console.write(Array(EstimatorCatalog.markdown.utf8))
        return 0
    }
}
