import Serving

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `augur`: serve, inspect and run scikit-learn models without Python.
let arguments = CommandLine.arguments
let status: Int32
switch arguments.dropFirst().first {
case "serve": status = ServeCommand.run(arguments.dropFirst(2))
case "predict": status = PredictCommand.run(arguments.dropFirst(2))
case "inspect": status = InspectCommand.run(arguments.dropFirst(2))
case "estimators": status = EstimatorsCommand.run(arguments.dropFirst(2))
case "nginx-config": status = NginxConfigCommand.run(arguments.dropFirst(2))
case "help" where arguments.count > 2:
    switch arguments[2] {
    case "serve":
        print(Usage.serve)
        status = 0
    case "nginx-config":
        print(Usage.nginxConfig)
        status = 0
    default:
        Console.error("no help for '\(arguments[2])'\n\n\(Usage.text)")
        status = ExitCode.usage
    }
case "--version", "version":
    print("augur \(AugurVersion.current)")
    status = 0
case "--help", "-h", "help", nil:
    print(Usage.text)
    status = arguments.count > 1 ? 0 : ExitCode.usage
default:
    Console.error("unknown command '\(arguments[1])'\n\n\(Usage.text)")
    status = ExitCode.usage
}
exit(status)
