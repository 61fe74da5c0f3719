import Arrays
import Estimators
import Pickle

/// Reads a model file all the way to a servable model: container, pickle machine,
/// estimator registry. Every failure comes back as one message for people.
public enum ModelLoader {
    public struct Failure: Error, CustomStringConvertible {
        public let path: String
        public let reason: String

        public var description: String { "cannot load \(path): \(reason)" }
    }

    public static func load(path: String) throws(Failure) -> Model {
        do {
            let graph = try ModelFile.load(path: path)
            return try EstimatorRegistry.model(from: graph)
        } catch let error as PickleError {
            throw Failure(path: path, reason: "not a readable pickle: \(error)")
        } catch let error as ArrayError {
            throw Failure(path: path, reason: error.message)
        } catch let error as EstimatorError {
            throw Failure(path: path, reason: error.description)
        } catch {
            throw Failure(path: path, reason: "\(error)")
        }
    }
}
