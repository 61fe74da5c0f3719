import CFuzzerDriver

/// The process entry point. SwiftPM links an executable target with `main` renamed to
/// `<Module>_main` (so tests can link the module), which hides libFuzzer's own `main`;
/// this stands in for it and hands the command line to libFuzzer's driver.
@_cdecl("FuzzModel_main")
public func fuzzModelMain(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzModel(data, size) }
}
