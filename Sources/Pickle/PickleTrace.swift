/// An opt-in record of what one load saw, for tools that describe a file rather than use it
/// (`augur inspect`): the protocol its PROTO opcode declared and every global it named.
///
/// Give one to ``PickleMachine/trace`` before a load; a machine without a trace records
/// nothing. Recording only notes names: a global is recorded before ``GlobalPolicy`` judges
/// it, so a refused load still shows what it reached for. Pickles nested in the one being
/// read (joblib's object arrays) are recorded into the same trace.
public final class PickleTrace {
    /// The version of the first PROTO opcode, or nil when the stream has none (protocols 0
    /// and 1 have no PROTO opcode).
    public private(set) var protocolVersion: Int?
    /// Every global named by GLOBAL, STACK_GLOBAL or INST, as `module.name`, each once, in
    /// the order first seen.
    public private(set) var globals: [String] = []
    private var seen: Set<String> = []

    public init() {}

    /// The modules of ``globals``, each once, in the order first seen.
    public var modules: [String] {
        var modules: [String] = []
        var seenModules: Set<String> = []
        for global in globals {
            let module = global.lastIndex(of: ".").map { String(global[..<$0]) } ?? global
            if seenModules.insert(module).inserted { modules.append(module) }
        }
        return modules
    }

    func recordProtocol(_ version: UInt8) {
        if protocolVersion == nil { protocolVersion = Int(version) }
    }

    func recordGlobal(module: String, name: String) {
        let qualified = module + "." + name
        if seen.insert(qualified).inserted { globals.append(qualified) }
    }
}
