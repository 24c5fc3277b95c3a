import Foundation

/// A Grafana dashboard JSON file: its panels (rows flattened), their queries and the template variables.
struct GrafanaDashboard {
    struct Panel {
        var id: Int?
        var title: String
        var type: String
        var gridPos: [String: Int]
        var datasourceUIDs: [String]
        var expressions: [String]
    }

    let json: [String: Any]
    let text: String
    let panels: [Panel]

    init(path: String) throws {
        text = try Repository.read(path)
        guard let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw Repository.Failure(description: "\(path) is not a JSON object")
        }
        self.json = json
        panels = Self.flatten(json["panels"] as? [[String: Any]] ?? [])
    }

    var variables: [[String: Any]] { (json["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? [] }

    /// Every PromQL expression: the panels' queries and the query variables'.
    var expressions: [String] {
        panels.flatMap(\.expressions)
            + variables.compactMap { variable in
                (variable["query"] as? String) ?? ((variable["query"] as? [String: Any])?["query"] as? String)
            }.filter { !$0.isEmpty && $0 != "prometheus" }
    }

    private static func flatten(_ items: [[String: Any]]) -> [Panel] {
        items.flatMap { item -> [Panel] in
            let targets = item["targets"] as? [[String: Any]] ?? []
            let panel = Panel(
                id: item["id"] as? Int,
                title: item["title"] as? String ?? "",
                type: item["type"] as? String ?? "",
                gridPos: (item["gridPos"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int },
                datasourceUIDs: ([item["datasource"]] + targets.map { $0["datasource"] }).compactMap {
                    ($0 as? [String: Any])?["uid"] as? String
                },
                expressions: targets.compactMap { $0["expr"] as? String })
            return [panel] + flatten(item["panels"] as? [[String: Any]] ?? [])
        }
    }
}
