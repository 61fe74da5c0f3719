import Arrays
import Estimators
import Pickle
import TestSupport
import Testing

/// Nearest-neighbor models Augur refuses at load, each naming what it refuses, and the cost
/// of a brute-force search over a large training set.
@Suite struct NeighborsLoadTests {
    static let folder = "\(Fixtures.root)/neighbors-unsupported"

    /// Each file of `Tests/Fixtures/neighbors-unsupported` and the attribute its refusal
    /// names. A function given as the metric or the weights is refused by name, never
    /// called.
    @Test(arguments: [
        ("metric-mahalanobis-brute-without-vi-1.9", "metric_params"),
        ("metric-seuclidean-without-v-1.9", "metric_params"),
        ("minkowski-p-below-one-1.9", "p"),
        ("outlier-label-not-a-class-1.9", "outlier_label"),
        ("sparse-training-rows-1.9", "_fit_X"),
        ("float32-brute-1.9", "_fit_X"),
        ("classmode-strings-1.5", "classes_"),
        ("metric-callable-1.9", "metric"),
        ("weights-callable-1.9", "weights"),
    ])
    func refusesWhatItCannotAnswerAsScikitLearn(file: String, attribute: String) throws {
        let value = try ModelFile.load(path: "\(Self.folder)/\(file).joblib")
        #expect {
            try EstimatorRegistry.model(from: value)
        } throws: { error in
            let failure = error as? EstimatorError
            return failure?.code == .unsupportedOption && failure?.attribute == attribute
        }
    }

    /// A request of one row against 200,000 training rows of 50 features scans them once.
    @Test func oneRowAgainstALargeTrainingSetAnswersQuickly() throws {
        let rows = 200_000
        let width = 50
        var state: UInt64 = 7
        var points = [Double](repeating: 0, count: rows * width)
        for index in points.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            points[index] = Double(state >> 40) / 1000
        }
        let targets = (0..<rows).map { Double($0 % 97) }
        let model = try EstimatorRegistry.model(
            from: try PickleMachine().load(
                Self.regressorPickle(points: points, targets: targets, width: width)
            )
        )
        let query = Matrix(rows: 1, columns: width, values: Array(points[0..<width]))
        _ = try model.compute(.predict, query)
        let clock = ContinuousClock()
        var result: ModelResult?
        let elapsed = try clock.measure { result = try model.compute(.predict, query) }
        guard case .numbers(let values)? = result else {
            Issue.record("expected one number, found \(String(describing: result))")
            return
        }
        #expect(values.count == 1)
        // Debug builds are many times slower than the release build that serves (a few
        // milliseconds); the bound only catches a search that does more than one pass.
        #expect(elapsed < .seconds(2), "one row took \(elapsed)")
        print("one row against \(rows)×\(width) training rows: \(elapsed)")
    }

    /// Brute force over more rows than it screens finds the same neighbors as a plain
    /// exact search (points in general position, so no ties).
    @Test(arguments: ["KNeighborsRegressor", "RadiusNeighborsRegressor"])
    func screenedSearchesFindTheExactNeighbors(className: String) throws {
        let rows = 5000
        let width = 7
        var state: UInt64 = 42
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53) * 4 - 2
        }
        let points = (0..<(rows * width)).map { _ in next() }
        let targets = (0..<rows).map { _ in next() }
        let model = try EstimatorRegistry.model(
            from: try PickleMachine().load(
                Self.regressorPickle(
                    points: points,
                    targets: targets,
                    width: width,
                    className: className
                )
            )
        )
        let queries = (0..<(20 * width)).map { _ in next() * 1.2 }
        guard
            case .numbers(let predicted) = try model.compute(
                .predict,
                Matrix(rows: 20, columns: width, values: queries)
            )
        else {
            Issue.record("expected one number per row")
            return
        }
        for query in 0..<20 {
            let distances = (0..<rows).map { row in
                (0..<width).reduce(0.0) { total, j in
                    let difference = queries[query * width + j] - points[row * width + j]
                    return total + difference * difference
                }
            }
            let chosen =
                className == "KNeighborsRegressor"
                ? Array(distances.indices.sorted { distances[$0] < distances[$1] }.prefix(5))
                : distances.indices.filter { distances[$0] <= 0.6 * 0.6 }
            let mean = chosen.reduce(0.0) { $0 + targets[$1] } / Double(chosen.count)
            #expect(
                abs(predicted[query] - mean) <= 1e-12 * max(1, abs(mean))
                    || (chosen.isEmpty && predicted[query].isNaN),
                "row \(query): \(predicted[query]) against \(mean)"
            )
        }
    }

    /// A protocol 2 pickle of a brute-force euclidean neighbors regressor (k=5 or radius
    /// 0.6) fitted on `points`, `width` values per row, and `targets`.
    static func regressorPickle(
        points: [Double],
        targets: [Double],
        width: Int,
        className: String = "KNeighborsRegressor"
    ) -> [UInt8] {
        func text(_ string: String) -> [UInt8] {
            let utf8 = Array(string.utf8)
            return bytes("X") + int32(utf8.count) + utf8  // BINUNICODE
        }
        func int32(_ value: Int) -> [UInt8] {
            (0..<4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
        }
        func array(_ values: [Double], shape: [Int]) -> [UInt8] {
            var pickle = bytes("cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\n")
            pickle += bytes("K<00><85>C<01>b<87>R")
            pickle += bytes("(K<01>(") + shape.flatMap { bytes("J") + int32($0) } + bytes("t")
            pickle += bytes("cnumpy\ndtype\n") + text("f8") + bytes("<89><88><87>R")
            pickle += bytes("(K<03>") + text("<") + bytes("NNNJ<ff><ff><ff><ff>J<ff><ff><ff><ff>")
            pickle += bytes("K<00>tb<89>")
            // Little-endian, as the dtype says (every platform Augur builds for is).
            let data = values.withUnsafeBytes { Array($0) }
            return pickle + bytes("B") + int32(data.count) + data + bytes("tb")
        }
        let rows = targets.count
        var pickle = bytes("<80><02>csklearn.neighbors._regression\n\(className)\n)<81>}(")
        pickle += text("n_neighbors") + bytes("K<05>")
        pickle +=
            text("radius") + bytes("G")
            + withUnsafeBytes(of: (0.6).bitPattern.bigEndian) {
                Array($0)
            }
        pickle += text("weights") + text("uniform")
        pickle += text("p") + bytes("K<02>")
        pickle += text("n_features_in_") + bytes("K") + [UInt8(width)]
        pickle += text("effective_metric_") + text("euclidean")
        pickle += text("effective_metric_params_") + bytes("}")
        pickle += text("_fit_method") + text("brute")
        pickle += text("_fit_X") + array(points, shape: [rows, width])
        pickle += text("_y") + array(targets, shape: [rows])
        return pickle + bytes("ub.")
    }
}
