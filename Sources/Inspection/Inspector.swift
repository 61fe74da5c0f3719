import Arrays
import Estimators
import Pickle

/// Reads a model file the way the server does, and records along the way what a person
/// needs to know about it. Nothing in the file is run.
public enum Inspector {
    /// Inspects the file at `path`; `displayPath` (default: `path`) is what the report shows.
    public static func inspect(path: String, displayPath: String? = nil) -> Inspection {
        var report = Inspection(file: displayPath ?? path)
        let bytes: [UInt8]
        do {
            bytes = try ModelFile.readFile(path)
        } catch {
            report.failure = .init(kind: .unreadable, message: message(of: error))
            return report
        }
        return inspect(bytes: bytes, into: report)
    }

    /// Inspects a model file's bytes; `file` is the name the report shows.
    public static func inspect(bytes: [UInt8], file: String) -> Inspection {
        inspect(bytes: bytes, into: Inspection(file: file))
    }

    private static func inspect(bytes: [UInt8], into start: Inspection) -> Inspection {
        var report = start
        let format = ModelFile.format(of: bytes)
        if let container = Self.containerName(ofNonPickle: format) {
            return inspect(nonPickle: bytes, container: container, into: report)
        }
        let stream: [UInt8]
        do {
            stream = try ModelFile.pickleStream(bytes)
        } catch {
            report.failure = .init(kind: .notAPickle, message: error.message)
            return report
        }
        report.compression = format == .pickle ? nil : format.rawValue
        report.container = format == .pickle ? "pickle" : "joblib"
        let trace = PickleTrace()
        var machine = PickleMachine(interpreter: JoblibArrayInterpreter())
        machine.trace = trace
        let root: PickleValue
        do {
            root = try machine.load(stream)
        } catch {
            switch error.code {
            case .forbiddenGlobal:
                report.failure = .init(
                    kind: .refusedGlobal,
                    message: "refused for safety, nothing in it was run: \(error)"
                )
            case .notAPickle:
                report.failure = .init(kind: .notAPickle, message: "\(error)")
            default:
                report.failure = .init(
                    kind: .malformedPickle,
                    message: "not a readable pickle: \(error)"
                )
            }
            return report
        }
        if usesJoblib(trace) { report.container = "joblib" }
        report.pickleProtocol = trace.protocolVersion
        report.numpy = numpyGeneration(trace.modules)
        describe(root, into: &report)
        return report
    }

    /// The container name of a model file that is not a pickle (a skops archive, a booster
    /// saved by XGBoost or LightGBM), or nil for pickles and joblib files.
    static func containerName(ofNonPickle format: ModelFile.Format) -> String? {
        switch format {
        case .zip: "skops"
        case .xgboostJSON, .xgboostUBJSON, .lightGBMText: format.rawValue
        default: nil
        }
    }

    /// A skops archive or a saved booster: read into the same value graph the server reads
    /// it into, and described like a pickle's, without a pickle protocol or numpy facts.
    private static func inspect(nonPickle bytes: [UInt8], container: String, into start: Inspection)
        -> Inspection
    {
        var report = start
        report.container = container
        let root: PickleValue
        do {
            root = try ModelFile.load(bytes: bytes)
        } catch let error as PickleError where error.code == .forbiddenGlobal {
            report.failure = .init(
                kind: .refusedGlobal,
                message: "refused for safety, nothing in it was run: \(error)"
            )
            return report
        } catch {
            report.failure = .init(kind: .malformedPickle, message: message(of: error))
            return report
        }
        describe(root, into: &report)
        return report
    }

    /// Fills in the estimator tree, the model's facts and the problems.
    static func describe(_ root: PickleValue, into report: inout Inspection) {
        let tree = EstimatorTree(root: root)
        defer { report.tree = tree.root.map { $0.publicNode() } }
        if case .object(let object) = root,
            case .string(let version)? = object.stateDict?[
                "_sklearn_version"
            ]
        {
            report.sklearnVersion = version
        }
        do {
            let model = try EstimatorRegistry.model(from: root)
            report.sklearnVersion = model.sklearnVersion
            report.inputWidth = model.inputWidth
            report.featureNames = model.featureNames
            report.classes = model.classes
            report.isMultilabel = model.isMultilabel
            report.outputs = model.outputs
            _ = tree.judge(loaded: true, topError: nil)
            return
        } catch {
            report.problems = tree.judge(loaded: false, topError: error)
        }
        report.fillRawFacts(root)
    }

    /// Whether the pickle holds joblib's array wrappers.
    static func usesJoblib(_ trace: PickleTrace) -> Bool {
        trace.globals.contains { $0.hasSuffix(".numpy_pickle.NumpyArrayWrapper") }
    }

    static func numpyGeneration(_ modules: [String]) -> Inspection.NumpyGeneration {
        func under(_ package: String) -> Bool {
            modules.contains { $0 == package || $0.hasPrefix(package + ".") }
        }
        switch (under("numpy.core"), under("numpy._core")) {
        case (true, false): return .numpy1
        case (false, true): return .numpy2
        case (true, true): return .mixed
        case (false, false): return .unknown
        }
    }

    static func message(of error: any Error) -> String {
        if let error = error as? ArrayError { return error.message }
        return "\(error)"
    }
}

extension Inspection {
    fileprivate mutating func fillRawFacts(_ root: PickleValue) {
        let facts = RawFacts(root: root)
        inputWidth = facts.inputWidth
        featureNames = facts.featureNames
        classes = facts.classes
    }
}
