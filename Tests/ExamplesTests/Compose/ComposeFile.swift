import Foundation
import Yams

/// docker-compose.yml as `docker compose config` sees it: YAML anchors and merge keys resolved, variables
/// interpolated with their defaults, `x-` extension fields left out, each service's attributes normalised.
struct ComposeFile: Sendable {
    /// The file's services by name.
    var services: [String: ComposeService]
    /// The declared networks: key → the network's real name (its `name:` or the key).
    var networks: [String: String]
    var volumes: Set<String>
    /// Variables the file uses, and those among them without a default.
    var variablesUsed: Set<String>
    var variablesWithoutDefault: Set<String>
    /// The file's mapping before interpolation, for checks on what is written literally.
    var raw: [String: Any] { (try? Yams.load(yaml: text) as? [String: Any]) ?? [:] }
    private let text: String

    static func load(_ path: String = "docker-compose.yml") throws -> ComposeFile {
        try ComposeFile(text: Repository.read(path))
    }

    init(text: String) throws {
        self.text = text
        guard let document = try Yams.load(yaml: text) as? [String: Any] else {
            throw ComposeService.Failure(description: "the Compose file is not a mapping")
        }
        var interpolation = ComposeInterpolation()
        guard let resolved = try Self.interpolate(document, &interpolation) as? [String: Any] else {
            throw ComposeService.Failure(description: "the Compose file is not a mapping")
        }
        let serviceMaps = resolved["services"] as? [String: Any] ?? [:]
        services = try Dictionary(
            uniqueKeysWithValues: serviceMaps.map { name, value in
                guard let map = value as? [String: Any] else {
                    throw ComposeService.Failure(description: "service \(name) is not a mapping")
                }
                return (name, try ComposeService(name: name, map))
            })
        networks = (resolved["networks"] as? [String: Any] ?? [:]).reduce(into: [:]) { result, entry in
            result[entry.key] = ((entry.value as? [String: Any])?["name"] as? String) ?? entry.key
        }
        volumes = Set((resolved["volumes"] as? [String: Any] ?? [:]).keys)
        variablesUsed = interpolation.variablesUsed
        variablesWithoutDefault = interpolation.variablesWithoutDefault
    }

    /// The services that run with `profiles` enabled.
    func services(withProfiles profiles: Set<String>) -> [String: ComposeService] {
        services.filter { $0.value.isEnabled(with: profiles) }
    }

    /// The services built from this repository (the example programs).
    var builtServices: [ComposeService] {
        services.values.filter { $0.build != nil }.sorted { $0.name < $1.name }
    }

    private static func interpolate(_ node: Any, _ interpolation: inout ComposeInterpolation) throws -> Any {
        switch node {
        case let string as String: return try interpolation.resolve(string)
        case let list as [Any]: return try list.map { try interpolate($0, &interpolation) }
        case let map as [String: Any]:
            var result: [String: Any] = [:]
            // Extension fields (`x-…`) are for anchors only; Compose does not interpolate or validate them.
            for (key, value) in map where !key.hasPrefix("x-") { result[key] = try interpolate(value, &interpolation) }
            return result
        default: return node
        }
    }
}
