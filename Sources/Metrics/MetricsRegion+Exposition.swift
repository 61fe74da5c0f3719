extension MetricsRegion {
    /// The `Content-Type` of ``exposition()``.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Every metric in Prometheus' text exposition format (version 0.0.4), summed over every
    /// process that shares the region. Request counts and histograms list only the label
    /// sets seen so far; per-model series list every registered model.
    public func exposition() -> String {
        let models = registeredModels()
        // Slot order: registered names, then "" (no model) and `other`.
        let modelLabels = models + ["", Self.otherLabel]
        let modelSlots =
            Array(Layout.firstNamedModel..<Layout.firstNamedModel + models.count)
            + [Layout.noModel, Layout.otherModel]
        let statusLabels = Self.statuses.map(String.init) + [Self.otherLabel]
        var text = ExpositionText()

        text.family(
            "augur_requests_total",
            "Requests answered by the pool's workers, by model, route and status.",
            "counter"
        )
        for (model, slot) in zip(modelLabels, modelSlots) {
            for (routeSlot, route) in routeLabels.enumerated() {
                for (statusSlot, status) in statusLabels.enumerated() {
                    let count = load(
                        layout.request(model: slot, route: routeSlot, status: statusSlot)
                    )
                    guard count > 0 else { continue }
                    text.sample(
                        "augur_requests_total",
                        [("model", model), ("route", route), ("status", status)],
                        count
                    )
                }
            }
        }

        text.family(
            "augur_request_duration_seconds",
            "Time a worker took to answer a request, by route.",
            "histogram"
        )
        for (routeSlot, route) in routeLabels.enumerated() {
            let start = layout.duration(route: routeSlot)
            // Each bucket is read once and summed here, so `+Inf` always equals `_count`.
            let counts = (0...Self.durationBounds.count).map { load(start + $0) }
            let total = counts.reduce(0, &+)
            guard total > 0 else { continue }
            var cumulative: UInt64 = 0
            for (index, count) in counts.enumerated() {
                cumulative &+= count
                let bound =
                    index < Self.durationBounds.count ? "\(Self.durationBounds[index])" : "+Inf"
                text.sample(
                    "augur_request_duration_seconds_bucket",
                    [("route", route), ("le", bound)],
                    cumulative
                )
            }
            let nanoseconds = load(start + Layout.durationWords - 1)
            text.sample(
                "augur_request_duration_seconds_sum",
                [("route", route)],
                Double(nanoseconds) / 1e9
            )
            text.sample("augur_request_duration_seconds_count", [("route", route)], total)
        }

        text.family(
            "augur_rows_predicted_total",
            "Rows predicted, by model.",
            "counter"
        )
        for (model, slot) in zip(modelLabels, modelSlots) {
            let rows = load(layout.rows + slot)
            // The registered models always, the catch-all slots once they count something.
            guard slot >= Layout.firstNamedModel || rows > 0 else { continue }
            text.sample("augur_rows_predicted_total", [("model", model)], rows)
        }

        text.family(
            "augur_model_load_duration_seconds",
            "Seconds the served model's files took to read and check at the last load.",
            "gauge"
        )
        for (index, model) in models.enumerated() {
            let bits = load(layout.loadSeconds + Layout.firstNamedModel + index)
            guard bits != Layout.absent else { continue }
            text.sample(
                "augur_model_load_duration_seconds",
                [("model", model)],
                Double(bitPattern: bits)
            )
        }

        text.family(
            "augur_model_generation",
            "Model loads so far: 1 after start, one more for each successful reload (SIGHUP).",
            "gauge"
        )
        text.sample("augur_model_generation", [], load(Layout.generation))

        text.family(
            "augur_workers_alive",
            "Worker processes alive, as the master's supervisor counts them.",
            "gauge"
        )
        text.sample("augur_workers_alive", [], load(Layout.workersAlive))

        text.family(
            "augur_worker_restarts_total",
            "Workers that died unexpectedly and were replaced.",
            "counter"
        )
        text.sample("augur_worker_restarts_total", [], load(Layout.workerRestarts))
        return text.finish()
    }
}

/// Builds text in the exposition format: `# HELP` and `# TYPE` lines, then samples with
/// their label values escaped.
struct ExpositionText {
    private var text = ""

    mutating func family(_ name: String, _ help: String, _ type: String) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(type)\n"
    }

    mutating func sample(_ name: String, _ labels: [(String, String)], _ value: UInt64) {
        sample(name, labels, text: "\(value)")
    }

    mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        let formatted: String
        if value.isNaN {
            formatted = "NaN"
        } else if value.isInfinite {
            formatted = value > 0 ? "+Inf" : "-Inf"
        } else {
            formatted = "\(value)"
        }
        sample(name, labels, text: formatted)
    }

    private mutating func sample(_ name: String, _ labels: [(String, String)], text value: String) {
        text += name
        if !labels.isEmpty {
            text += "{"
            for (index, (label, labelValue)) in labels.enumerated() {
                if index > 0 { text += "," }
                text += "\(label)=\"\(Self.escapeLabelValue(labelValue))\""
            }
            text += "}"
        }
        text += " \(value)\n"
    }

    func finish() -> String { text }

    /// A label value as the format asks: backslash, double quote and line feed escaped.
    static func escapeLabelValue(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Help text as the format asks: backslash and line feed escaped.
    static func escapeHelp(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
