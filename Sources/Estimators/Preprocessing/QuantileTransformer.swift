/// `sklearn.preprocessing.QuantileTransformer`: each column mapped through its fitted
/// `quantiles_` onto `references_` (a uniform output), then with `output_distribution=
/// 'normal'` through the normal quantile function, clipped as scikit-learn clips it.
struct QuantileTransformer: Transformer {
    /// Row-major `quantiles_`: one row per reference point, one column per feature.
    let quantiles: [[Double]]
    /// The same quantiles negated and reversed, for the descending interpolation.
    let reversedQuantiles: [[Double]]
    let references: [Double]
    let reversedReferences: [Double]
    let normal: Bool
    let inputWidth: Int

    var outputWidth: Int { inputWidth }
    var acceptsMissing: Bool { true }

    /// `BOUNDS_THRESHOLD` in scikit-learn.
    static let boundsThreshold = 1e-7
    static let clipLow = NormalQuantile.ppf(boundsThreshold - Double.ulpOfOne)
    static let clipHigh = NormalQuantile.ppf(1 - (boundsThreshold - Double.ulpOfOne))

    init(_ object: FittedObject) throws(EstimatorError) {
        let width = try object.featureCount()
        inputWidth = width
        references = try object.doubles("references_")
        let count = references.count
        guard count >= 2 else { throw object.error("references_", "expected two or more") }
        let flat = try object.doubles("quantiles_", count: count * width)
        quantiles = (0..<width).map { column in (0..<count).map { flat[$0 * width + column] } }
        reversedQuantiles = quantiles.map { $0.reversed().map { -$0 } }
        reversedReferences = references.reversed().map { -$0 }
        switch object.string("output_distribution") ?? "uniform" {
        case "uniform": normal = false
        case "normal": normal = true
        case let other:
            throw object.unsupported("output_distribution", "'\(other)' is not supported")
        }
    }

    func transform(_ input: Matrix) -> Matrix {
        var output = input
        for row in 0..<input.rows {
            for column in 0..<input.columns {
                output[row, column] = value(input[row, column], column)
            }
        }
        return output
    }

    /// `_transform_col` for one cell.
    private func value(_ x: Double, _ column: Int) -> Double {
        if x.isNaN { return x }
        let columnQuantiles = quantiles[column]
        let low = columnQuantiles[0]
        let high = columnQuantiles[columnQuantiles.count - 1]
        let atLow: Bool
        let atHigh: Bool
        if normal {
            atLow = x - Self.boundsThreshold < low
            atHigh = x + Self.boundsThreshold > high
        } else {
            atLow = x == low
            atHigh = x == high
        }
        // The mean of an ascending and a descending interpolation, so repeated quantiles
        // map to the middle of their references.
        var result =
            0.5
            * (NumpyReductions.interpolate(x, columnQuantiles, references)
                - NumpyReductions.interpolate(-x, reversedQuantiles[column], reversedReferences))
        if atHigh { result = 1 }
        if atLow { result = 0 }
        guard normal else { return result }
        return min(max(NormalQuantile.ppf(result), Self.clipLow), Self.clipHigh)
    }
}

/// The standard normal quantile function (`scipy.stats.norm.ppf`, scipy's `ndtri`), as a
/// rational approximation in three ranges with the published Cephes coefficients.
enum NormalQuantile {
    static func ppf(_ probability: Double) -> Double {
        if probability.isNaN || probability < 0 || probability > 1 { return .nan }
        if probability == 0 { return -.infinity }
        if probability == 1 { return .infinity }
        let tail = 0.13533528323661269189  // exp(-2)
        var y = probability
        var upper = false
        if y > 1 - tail {
            y = 1 - y
            upper = true
        }
        if y > tail {
            let w = y - 0.5
            let w2 = w * w
            let x =
                w + w * (w2 * evaluate(w2, central.numerator) / evaluate(w2, central.denominator))
            return x * 2.50662827463100050242
        }
        let root = (-2 * y.log()).squareRoot()
        let first = root - root.log() / root
        let z = 1 / root
        let coefficients = root < 8 ? near : far
        let correction =
            z * evaluate(z, coefficients.numerator)
            / evaluate(z, coefficients.denominator)
        let x = first - correction
        return upper ? x : -x
    }

    /// Horner's rule, highest power first.
    private static func evaluate(_ x: Double, _ coefficients: [Double]) -> Double {
        coefficients.dropFirst().reduce(coefficients[0]) { $0 * x + $1 }
    }

    /// |p - 0.5| <= 3/8.
    private static let central = (
        numerator: [
            -5.99633501014107895267E1, 9.80010754185999661536E1, -5.66762857469070293439E1,
            1.39312609387279679503E1, -1.23916583867381258016E0,
        ],
        denominator: [
            1.0, 1.95448858338141759834E0, 4.67627912898881538453E0, 8.63602421390890590575E1,
            -2.25462687854119370527E2, 2.00260212380060660359E2, -8.20372256168333339912E1,
            1.59056225126211695515E1, -1.18331621121330003142E0,
        ]
    )

    /// sqrt(-2 log p) between 2 and 8.
    private static let near = (
        numerator: [
            4.05544892305962419923E0, 3.15251094599893866154E1, 5.71628192246421288162E1,
            4.40805073893200834700E1, 1.46849561928858024014E1, 2.18663306850790267539E0,
            -1.40256079171354495875E-1, -3.50424626827848203418E-2, -8.57456785154685413611E-4,
        ],
        denominator: [
            1.0, 1.57799883256466749731E1, 4.53907635128879210584E1, 4.13172038254672030440E1,
            1.50425385692907503408E1, 2.50464946208309415979E0, -1.42182922854787788574E-1,
            -3.80806407691578277194E-2, -9.33259480895457427372E-4,
        ]
    )

    /// sqrt(-2 log p) between 8 and 64.
    private static let far = (
        numerator: [
            3.23774891776946035970E0, 6.91522889068984211695E0, 3.93881025292474443415E0,
            1.33303460815807542389E0, 2.01485389549179081538E-1, 1.23716634817820021358E-2,
            3.01581553508235416007E-4, 2.65806974686737550832E-6, 6.23974539184983293730E-9,
        ],
        denominator: [
            1.0, 6.02427039364742014255E0, 3.67983563856160859403E0, 1.37702099489081330271E0,
            2.16236993594496635890E-1, 1.34204006088543189037E-2, 3.28014464682127739104E-4,
            2.89247864745380683936E-6, 6.79019408009981274425E-9,
        ]
    )
}
