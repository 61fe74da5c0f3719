/// A strict reader of Prometheus' text exposition format, version 0.0.4, for tests: it
/// refuses what Prometheus would refuse (bad names, bad escapes, samples without a type,
/// a family split in two, repeated series) and checks histograms (cumulative buckets, a
/// `+Inf` bucket equal to `_count`, a `_sum`).
public struct PrometheusText {
    public struct Sample: Equatable, Sendable {
        public let name: String
        public let labels: [String: String]
        public let value: Double
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public private(set) var samples: [Sample] = []
    /// Family name to its `# TYPE`.
    public private(set) var types: [String: String] = [:]
    /// Family name to its `# HELP` text, unescaped.
    public private(set) var helps: [String: String] = [:]

    public init(parsing text: String) throws(Invalid) {
        guard text.hasSuffix("\n") else { throw Invalid(description: "text must end in \\n") }
        var finishedFamilies: Set<String> = []
        var currentFamily: String?
        var seenSeries: Set<String> = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().enumerated()
        {
            let place = "line \(number + 1): \(line.prefix(120))"
            guard !line.isEmpty else { throw Invalid(description: "\(place): empty line") }
            if line.hasPrefix("#") {
                let parts = line.split(
                    separator: " ",
                    maxSplits: 3,
                    omittingEmptySubsequences: false
                )
                guard parts.count >= 3, parts[1] == "HELP" || parts[1] == "TYPE" else { continue }
                let name = String(parts[2])
                guard Self.isMetricName(name) else {
                    throw Invalid(description: "\(place): bad metric name")
                }
                if parts[1] == "HELP" {
                    guard helps[name] == nil else {
                        throw Invalid(description: "\(place): second HELP for \(name)")
                    }
                    helps[name] = try Self.unescape(
                        parts.count > 3 ? parts[3] : "",
                        quoteAllowed: false,
                        place
                    )
                } else {
                    guard parts.count == 4,
                        ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3])
                    else { throw Invalid(description: "\(place): bad TYPE line") }
                    guard types[name] == nil, !finishedFamilies.contains(name) else {
                        throw Invalid(description: "\(place): TYPE for \(name) after its samples")
                    }
                    types[name] = String(parts[3])
                }
                continue
            }
            let sample = try Self.sample(line, place)
            guard let family = family(of: sample.name) else {
                throw Invalid(description: "\(place): sample without a TYPE line")
            }
            if types[family] == "histogram", sample.name == family {
                throw Invalid(description: "\(place): a histogram sample needs a suffix")
            }
            if family != currentFamily {
                if let currentFamily { finishedFamilies.insert(currentFamily) }
                guard !finishedFamilies.contains(family) else {
                    throw Invalid(description: "\(place): samples of \(family) are split")
                }
                currentFamily = family
            }
            let key =
                sample.name + "|"
                + sample.labels.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            guard seenSeries.insert(key).inserted else {
                throw Invalid(description: "\(place): repeated series")
            }
            if types[family] == "counter", !(sample.value >= 0) {
                throw Invalid(description: "\(place): negative counter")
            }
            samples.append(sample)
        }
        try checkHistograms()
    }

    /// The value of the one sample with exactly these labels, or nil.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// The sum of the samples called `name` whose labels satisfy `condition`.
    public func sum(_ name: String, where condition: ([String: String]) -> Bool = { _ in true })
        -> Double
    {
        samples.filter { $0.name == name && condition($0.labels) }.reduce(0) { $0 + $1.value }
    }

    private func family(of name: String) -> String? {
        if types[name] != nil { return name }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" || (types[base] == "summary" && suffix != "_bucket") {
                return base
            }
        }
        return nil
    }

    private func checkHistograms() throws(Invalid) {
        for (family, type) in types where type == "histogram" {
            var buckets: [[String: String]: [(bound: Double, count: Double)]] = [:]
            for sample in samples where sample.name == family + "_bucket" {
                guard let le = sample.labels["le"], let bound = Self.number(le) else {
                    throw Invalid(description: "\(family): a bucket without a numeric le")
                }
                var series = sample.labels
                series["le"] = nil
                buckets[series, default: []].append((bound, sample.value))
            }
            for (series, list) in buckets {
                for (earlier, later) in zip(list, list.dropFirst()) {
                    guard earlier.bound < later.bound, earlier.count <= later.count else {
                        throw Invalid(description: "\(family)\(series): buckets not cumulative")
                    }
                }
                guard let last = list.last, last.bound == .infinity else {
                    throw Invalid(description: "\(family)\(series): no +Inf bucket")
                }
                guard value(family + "_count", series) == last.count else {
                    throw Invalid(description: "\(family)\(series): _count is not the +Inf bucket")
                }
                guard value(family + "_sum", series) != nil else {
                    throw Invalid(description: "\(family)\(series): no _sum")
                }
            }
        }
    }

    private static func sample(_ line: Substring, _ place: String) throws(Invalid) -> Sample {
        var index = line.startIndex
        while index < line.endIndex, line[index] != "{", line[index] != " " {
            index = line.index(after: index)
        }
        let name = String(line[..<index])
        guard isMetricName(name) else { throw Invalid(description: "\(place): bad metric name") }
        var labels: [String: String] = [:]
        if index < line.endIndex, line[index] == "{" {
            index = line.index(after: index)
            while index < line.endIndex, line[index] != "}" {
                let nameStart = index
                while index < line.endIndex, line[index] != "=" {
                    index = line.index(after: index)
                }
                let label = String(line[nameStart..<index])
                guard isLabelName(label), index < line.endIndex else {
                    throw Invalid(description: "\(place): bad label name")
                }
                index = line.index(after: index)
                guard index < line.endIndex, line[index] == "\"" else {
                    throw Invalid(description: "\(place): label value must be quoted")
                }
                index = line.index(after: index)
                let valueStart = index
                while index < line.endIndex, line[index] != "\"" {
                    if line[index] == "\\" { index = line.index(after: index) }
                    guard index < line.endIndex else { break }
                    index = line.index(after: index)
                }
                guard index < line.endIndex else {
                    throw Invalid(description: "\(place): unterminated label value")
                }
                let value = try unescape(line[valueStart..<index], quoteAllowed: true, place)
                guard labels.updateValue(value, forKey: label) == nil else {
                    throw Invalid(description: "\(place): repeated label \(label)")
                }
                index = line.index(after: index)
                if index < line.endIndex, line[index] == "," {
                    index = line.index(after: index)
                } else if index < line.endIndex, line[index] != "}" {
                    throw Invalid(description: "\(place): expected , or }")
                }
            }
            guard index < line.endIndex else { throw Invalid(description: "\(place): no }") }
            index = line.index(after: index)
        }
        guard index < line.endIndex, line[index] == " " else {
            throw Invalid(description: "\(place): expected one space before the value")
        }
        let valueText = line[line.index(after: index)...]
        guard let value = number(valueText) else {
            throw Invalid(description: "\(place): bad value (timestamps are not expected)")
        }
        return Sample(name: name, labels: labels, value: value)
    }

    /// A value as Go's `ParseFloat` would read what exposition writers print.
    static func number(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default:
            guard !text.isEmpty,
                text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) })
            else { return nil }
            return Double(text)
        }
    }

    static func number(_ text: String) -> Double? { number(text[...]) }

    private static func unescape(_ text: Substring, quoteAllowed: Bool, _ place: String)
        throws(Invalid) -> String
    {
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                switch character {
                case "\\": out += "\\"
                case "n": out += "\n"
                case "\"" where quoteAllowed: out += "\""
                default: throw Invalid(description: "\(place): bad escape \\\(character)")
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        guard !escaped else { throw Invalid(description: "\(place): dangling backslash") }
        return out
    }

    private static func isMetricName(_ name: String) -> Bool {
        isName(name, alsoAllowing: "_:")
    }

    private static func isLabelName(_ name: String) -> Bool {
        isName(name, alsoAllowing: "_")
    }

    /// ASCII letters, digits (not first) and `extra`.
    private static func isName(_ name: String, alsoAllowing extra: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, !(48...57).contains(first) else { return false }
        return bytes.allSatisfy {
            (65...90).contains($0) || (97...122).contains($0) || (48...57).contains($0)
                || extra.utf8.contains($0)
        }
    }
}
