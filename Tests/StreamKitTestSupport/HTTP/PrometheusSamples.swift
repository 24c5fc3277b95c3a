/// The samples of a Prometheus text exposition, looked up by metric name and labels.
package struct PrometheusSamples {
    package struct Sample: Hashable {
        package var name: String
        package var labels: [String: String]
        package var value: Double
    }

    package let samples: [Sample]

    /// Parses `name{label="value",…} number` lines; comments and blank lines are skipped. Label values in these
    /// tests hold no escaped quotes or commas.
    package init(_ text: String) {
        samples = text.split(separator: "\n").compactMap { line -> Sample? in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "),
                let value = Double(line[line.index(after: space)...])
            else { return nil }
            let series = line[..<space]
            guard let open = series.firstIndex(of: "{") else {
                return Sample(name: String(series), labels: [:], value: value)
            }
            var labels: [String: String] = [:]
            for pair in series[series.index(after: open)..<series.index(before: series.endIndex)].split(separator: ",")
            {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            return Sample(name: String(series[..<open]), labels: labels, value: value)
        }
    }

    /// The value of the one sample with this name whose labels include `labels`; `nil` if there is none.
    package func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = self.matching(name, labels)
        return matching.count == 1 ? matching[0].value : nil
    }

    /// The sum of the samples with this name whose labels include `labels`; 0 if there is none.
    package func sum(_ name: String, _ labels: [String: String] = [:]) -> Double {
        matching(name, labels).reduce(0) { $0 + $1.value }
    }

    private func matching(_ name: String, _ labels: [String: String]) -> [Sample] {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
    }
}
