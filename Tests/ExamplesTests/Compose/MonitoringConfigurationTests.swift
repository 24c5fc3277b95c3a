import Foundation
import Testing
import Yams

/// Prometheus and Grafana as docker-compose.yml provisions them: the scrape targets are the stack's services,
/// Grafana finds its data source and the StreamKit dashboard, and the dashboard queries only metrics StreamKit
/// reports, in the shape swift-prometheus exposes them (Timers as `_seconds` histograms).
@Suite struct MonitoringConfigurationTests {
    @Test func prometheusScrapesEveryExampleServiceThatServesMetricsOnItsMetricsPort() throws {
        let compose = try ComposeFile.load()
        let prometheus = try #require(compose.services["prometheus"])
        let mount = try #require(prometheus.mounts.first { $0.target == "/etc/prometheus/prometheus.yml" })
        let configuration = try #require(try Yams.load(yaml: Repository.read(mount.source)) as? [String: Any])
        let jobs = try #require(configuration["scrape_configs"] as? [[String: Any]])
        let jobNames = jobs.compactMap { $0["job_name"] as? String }
        #expect(jobNames.count == jobs.count && Set(jobNames).count == jobNames.count, "job names: unique, present")

        // The example services run without a profile, so the targets must resolve under either Kafka profile.
        let everywhere = compose.services(withProfiles: ["cluster"]).filter { $0.value.profiles.isEmpty }
        var scraped: Set<String> = []
        for job in jobs {
            #expect([nil, "/metrics"].contains(job["metrics_path"] as? String))
            let groups = job["static_configs"] as? [[String: Any]] ?? []
            for target in groups.flatMap({ $0["targets"] as? [String] ?? [] }) {
                let parts = target.split(separator: ":").map(String.init)
                let (host, port) = (parts[0], Int(parts.last ?? "") ?? -1)
                if prometheus.extraHosts.contains(host) { continue }
                let service = everywhere.values.first { $0.dnsNames.contains(host) }
                #expect(service?.containerPorts.contains(port) == true, "\(target) is not a port of a stack service")
                if let service, service.build != nil {
                    #expect(service.option("--metrics-port") == String(port), "\(target): not its --metrics-port")
                }
                scraped.insert(host)
            }
        }
        let serving = Set(compose.builtServices.filter { $0.option("--metrics-port") != nil }.map(\.name))
        #expect(!serving.isEmpty)
        #expect(serving.subtracting(scraped).isEmpty, "example services with metrics that Prometheus does not scrape")
        #expect(
            Set(compose.builtServices.map(\.name)).intersection(scraped).subtracting(serving).isEmpty,
            "example services scraped without --metrics-port")
    }

    /// An example service's health check asks `/health` on a port its command line opens: `--metrics-port`
    /// (the operations endpoints) or `--port` (the order gateway's API).
    @Test func everyExampleHealthCheckAsksAPortTheServiceOpens() throws {
        let compose = try ComposeFile.load()
        for service in compose.builtServices {
            guard let check = service.healthcheck else {
                #expect(service.option("--metrics-port") == nil, "\(service.name) serves /health but is not checked")
                continue
            }
            let urls = check.compactMap(URL.init(string:)).filter { $0.scheme == "http" }
            let url = try #require(urls.first, "\(service.name): the health check asks no URL")
            #expect(url.path == "/health", "\(service.name): \(url)")
            let opened = ["--metrics-port", "--port"].compactMap(service.option).compactMap(Int.init)
            #expect(url.port.map(opened.contains) == true, "\(service.name): \(url) is not a port it opens")
            #expect(url.port.map(service.containerPorts.contains) == true, "\(service.name): \(url) is not exposed")
        }
    }

    @Test func grafanaIsProvisionedWithPrometheusAndTheStreamKitDashboard() throws {
        let compose = try ComposeFile.load()
        let grafana = try #require(compose.services["grafana"])
        let provisioning = try #require(grafana.mounts.first { $0.target == "/etc/grafana/provisioning" })
        #expect(provisioning.source == "./deploy/grafana/provisioning")
        let dashboards = try #require(grafana.mounts.first { $0.source == "./deploy/grafana/dashboards" })
        #expect(Repository.exists("deploy/grafana/dashboards/streamkit.json"))
        #expect(
            grafana.environment["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"] == dashboards.target + "/streamkit.json")

        let prometheus = try #require(compose.services["prometheus"])
        let sources = try Self.provisioned("datasources", key: "datasources")
        #expect(!sources.isEmpty)
        for source in sources {
            #expect(source["type"] as? String == "prometheus")
            let url = try #require(URL(string: source["url"] as? String ?? ""))
            #expect(
                url.host.map(prometheus.dnsNames.contains) == true, "data source \(url) is not the prometheus service")
            #expect(url.port.map(prometheus.containerPorts.contains) == true)
        }
        let providers = try Self.provisioned("dashboards", key: "providers")
        #expect(!providers.isEmpty)
        for provider in providers {
            #expect(provider["type"] as? String == "file")
            #expect((provider["options"] as? [String: Any])?["path"] as? String == dashboards.target)
        }
    }

    @Test func theDashboardIsWellFormedAndHoldsNoCredentials() throws {
        let dashboard = try GrafanaDashboard(path: "deploy/grafana/dashboards/streamkit.json")
        #expect(dashboard.json["uid"] as? String == "streamkit")
        let ids = dashboard.panels.compactMap(\.id)
        #expect(ids.count == dashboard.panels.count && Set(ids).count == ids.count, "panel ids: present, unique")
        for panel in dashboard.panels {
            #expect((panel.gridPos["x"] ?? 0) + (panel.gridPos["w"] ?? 0) <= 24, "\(panel.title) is wider than 24")
            if panel.type != "row" { #expect(!panel.expressions.isEmpty, "\(panel.title) has no query") }
        }
        let lowered = dashboard.text.lowercased()
        for secret in ["password", "secret", "postgres://", "basicauth", "token"] {
            #expect(!lowered.contains(secret), "the dashboard mentions \(secret)")
        }

        // Every panel reads the data source variable, which picks among the provisioned Prometheus sources.
        let variable = try #require(dashboard.variables.first { $0["type"] as? String == "datasource" })
        #expect(variable["query"] as? String == "prometheus")
        let variableUID = "${\(variable["name"] as? String ?? "")}"
        let provisionedUIDs = try Self.provisioned("datasources", key: "datasources").compactMap {
            $0["uid"] as? String
        }
        for panel in dashboard.panels {
            for uid in panel.datasourceUIDs {
                #expect(uid == variableUID || provisionedUIDs.contains(uid), "\(panel.title): data source \(uid)")
            }
        }
    }

    /// rate()/increase() only over counters and histogram series, quantiles only over `_bucket` by `le`:
    /// swift-prometheus names counters as given (`…_total`) and turns Timers into `_bucket/_sum/_count`.
    @Test func theDashboardQueriesFitTheExposedMetricTypes() throws {
        let dashboard = try GrafanaDashboard(path: "deploy/grafana/dashboards/streamkit.json")
        let expressions = dashboard.expressions
        #expect(!expressions.isEmpty)
        for expression in expressions {
            for metric in Repository.captures(
                of: #"\b(?:rate|irate|increase)\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)"#, in: expression)
            {
                #expect(
                    ["_total", "_bucket", "_sum", "_count"].contains { metric.hasSuffix($0) },
                    "rate over \(metric), which is not a counter")
            }
            if expression.contains("histogram_quantile") {
                #expect(expression.contains("_bucket") && expression.contains(", le)"), "\(expression)")
            }
            #expect(expression.filter { $0 == "(" }.count == expression.filter { $0 == ")" }.count, "\(expression)")
        }
    }

    /// Every name of `StreamMetricName`, the core's and StreamKitOperations' (consumer lag, sink flush time,
    /// delivery errors), has a panel, and no panel asks for another.
    @Test func theDashboardShowsEveryStreamKitMetricAndNoOther() throws {
        let dashboard = try GrafanaDashboard(path: "deploy/grafana/dashboards/streamkit.json")
        let defined = try Repository.metricNames()
        #expect(!defined.isEmpty)
        var shown: Set<String> = []
        for expression in dashboard.expressions {
            for series in Repository.captures(of: #"\b(streamkit_[a-z0-9_]+)"#, in: expression) {
                shown.insert(Self.metricName(ofSeries: series))
            }
        }
        #expect(shown.subtracting(defined).isEmpty, "the dashboard queries metrics StreamKit does not report")
        #expect(defined.subtracting(shown).isEmpty, "StreamKit metrics the dashboard does not show")
    }

    /// The metric a series belongs to: a Timer (`…_seconds`) is exposed as `_bucket`, `_sum` and `_count`.
    private static func metricName(ofSeries series: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where series.hasSuffix("_seconds" + suffix) {
            return String(series.dropLast(suffix.count))
        }
        return series
    }

    /// The entries under `key` of every provisioning file in deploy/grafana/provisioning/`kind`.
    private static func provisioned(_ kind: String, key: String) throws -> [[String: Any]] {
        let folder = "deploy/grafana/provisioning/\(kind)"
        let files = try FileManager.default.contentsOfDirectory(atPath: Repository.url(folder).path)
            .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
        return try files.flatMap { file -> [[String: Any]] in
            let document = try #require(try Yams.load(yaml: Repository.read("\(folder)/\(file)")) as? [String: Any])
            #expect(document["apiVersion"] as? Int == 1, "\(folder)/\(file): apiVersion")
            return document[key] as? [[String: Any]] ?? []
        }
    }
}
