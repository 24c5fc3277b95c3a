import Foundation
import Testing

/// docker-compose.yml checked the way `docker compose config` and `up` would check it, since no Docker engine
/// runs here: references resolve, each Kafka profile starts a working stack on its own, the topics the examples
/// use are created, credentials come from the environment, and the example image builds what the services run.
@Suite struct DockerComposeTests {
    /// DESIGN.md section 5's topics: other tools read them, so the stack must create them under these names.
    static let designTopics: Set<String> = [
        "orderbook.raw", "orderbook.bars.1s", "orderbook.invalid", "order_events", "product_views",
        "order_aggregates", "trend_alerts", "bank.transactions", "market.price.updates",
    ]

    /// Debian bookworm's runtime package for each `-dev` package Package.swift names (`apt-cache depends`).
    static let runtimePackages = ["librdkafka-dev": "librdkafka1", "libpq-dev": "libpq5", "libavro-dev": "libavro23"]

    @Test func everyServiceHasAPinnedImageOrABuildThatExists() throws {
        let compose = try ComposeFile.load()
        #expect(!compose.services.isEmpty)
        for service in compose.services.values {
            if let build = service.build {
                #expect(
                    Repository.exists(build.context, directory: true), "\(service.name): no context \(build.context)")
                let dockerfile = (build.context as NSString).appendingPathComponent(build.dockerfile)
                #expect(Repository.exists(dockerfile), "\(service.name): no \(dockerfile)")
            }
            if service.build == nil {
                let image = try #require(service.image, "\(service.name) has neither an image nor a build")
                let tag = image.split(separator: "/").last?.split(separator: ":").dropFirst().first
                #expect(tag != nil && tag != "latest", "\(service.name): pin \(image) to a version")
            }
        }
    }

    @Test func dependenciesNameServicesWhoseConditionsCanBeMet() throws {
        let compose = try ComposeFile.load()
        for service in compose.services.values {
            for (name, dependency) in service.dependsOn {
                let target = try #require(compose.services[name], "\(service.name) depends on unknown service \(name)")
                switch dependency.condition {
                case "service_started": break
                case "service_healthy":
                    #expect(
                        target.healthcheck != nil, "\(service.name) waits for \(name) to be healthy: no healthcheck")
                case "service_completed_successfully":
                    #expect([nil, "no"].contains(target.restart), "\(name) must run once for \(service.name) to start")
                default: Issue.record("\(service.name): unknown condition \(dependency.condition) on \(name)")
                }
            }
        }
    }

    @Test func networksAndVolumesAreDeclaredAndBindMountsExist() throws {
        let compose = try ComposeFile.load()
        #expect(compose.networks["data-pipeline"] == "data-pipeline")
        var usedVolumes: Set<String> = []
        for service in compose.services.values {
            #expect(service.networks.keys.contains("data-pipeline"), "\(service.name) is not on data-pipeline")
            for network in service.networks.keys {
                #expect(compose.networks[network] != nil, "\(service.name) uses undeclared network \(network)")
            }
            for mount in service.mounts {
                switch mount.kind {
                case .volume:
                    #expect(
                        compose.volumes.contains(mount.source), "\(service.name): undeclared volume \(mount.source)")
                    usedVolumes.insert(mount.source)
                case .bind:
                    let isFile = Repository.exists(mount.source)
                    #expect(
                        isFile || Repository.exists(mount.source, directory: true),
                        "\(service.name): no \(mount.source)")
                }
            }
        }
        #expect(compose.volumes.subtracting(usedVolumes).isEmpty, "declared but unused volumes")
        let timescale = try #require(compose.services["timescaledb"])
        #expect(
            timescale.mounts.contains {
                $0.kind == .volume && $0.source == "timescale-data"
                    && $0.target == "/var/lib/postgresql/data"
            })
    }

    /// Compose refuses a file whose enabled services require a disabled one; with no Kafka profile the stack
    /// still parses (the topic initialiser then reports that no broker answers).
    @Test func theFileIsConsistentWithAnyProfileSelection() throws {
        let compose = try ComposeFile.load()
        for profiles: Set<String> in [[], ["cluster"], ["single"], ["cluster", "single"]] {
            let enabled = compose.services(withProfiles: profiles)
            for service in enabled.values {
                for (name, dependency) in service.dependsOn where dependency.isRequired {
                    #expect(enabled[name] != nil, "profiles \(profiles): \(service.name) requires disabled \(name)")
                }
            }
        }
    }

    @Test(arguments: KafkaProfile.allCases)
    func eachKafkaProfileStartsAWorkingStackOnItsOwn(_ profile: KafkaProfile) throws {
        let compose = try ComposeFile.load()
        let enabled = compose.services(withProfiles: [profile.rawValue])
        let brokers = enabled.values.filter { $0.environment["KAFKA_PROCESS_ROLES"]?.contains("broker") == true }
        #expect(brokers.count == profile.brokerCount)

        var published: [Int: String] = [:]
        for service in enabled.values.sorted(by: { $0.name < $1.name }) {
            for port in service.ports {
                guard let host = port.published else { continue }
                #expect(published[host] == nil, "host port \(host): \(published[host] ?? "") and \(service.name)")
                published[host] = service.name
            }
        }

        try checkBrokers(brokers, profile: profile)

        // Every client inside the network reaches Kafka through a name the enabled brokers answer to.
        let internalPort = try #require(brokers.first.flatMap(Self.internalListenerPort))
        let brokerNames = brokers.reduce(into: Set<String>()) { $0.formUnion($1.dnsNames) }
        for service in enabled.values where !brokers.contains(where: { $0.name == service.name }) {
            let text = (Array(service.environment.values) + service.command + service.entrypoint).joined(separator: " ")
            for host in Repository.captures(of: #"([A-Za-z0-9_.-]+):\#(internalPort)\b"#, in: text) {
                #expect(brokerNames.contains(host), "\(profile): \(service.name) bootstraps from \(host), not a broker")
            }
        }

        let initialiser = try #require(enabled["kafka-init"])
        for broker in brokers {
            #expect(initialiser.dependsOn[broker.name]?.condition == "service_healthy")
        }
    }

    @Test func theTopicInitialiserCreatesEveryTopicTheExamplesUse() throws {
        let compose = try ComposeFile.load()
        let initialiser = try #require(compose.services["kafka-init"])
        let mount = try #require(initialiser.mounts.first { $0.kind == .bind })
        let topicsFile = try #require(initialiser.environment["TOPICS_FILE"])
        #expect(topicsFile.hasPrefix(mount.target + "/"))
        let script = try #require(initialiser.entrypoint.last { $0.hasPrefix(mount.target + "/") })
        #expect(Repository.exists(mount.source + script.dropFirst(mount.target.count)))

        let list = try KafkaTopicList(text: Repository.read(mount.source + topicsFile.dropFirst(mount.target.count)))
        #expect(list.topics.count == list.names.count, "a topic is listed twice")
        for topic in list.topics {
            #expect(topic.partitions > 0)
            #expect(
                topic.name.count <= 249
                    && topic.name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
        }
        #expect(Self.designTopics.subtracting(list.names).isEmpty, "DESIGN.md topics missing from topics.txt")
        let used = try Repository.exampleTopicNames()
        #expect(!used.isEmpty)
        #expect(used.subtracting(list.names).isEmpty, "topics the examples use but the stack does not create")
        #expect(list.topic("bank.transactions")?.partitions == 3)
        #expect(list.topic("market.price.updates")?.partitions == 3)
    }

    @Test func credentialsComeFromTheEnvironmentWithDevelopmentDefaults() throws {
        let compose = try ComposeFile.load()
        #expect(
            compose.variablesWithoutDefault.isEmpty, "variables without a default: \(compose.variablesWithoutDefault)")
        #expect(compose.variablesUsed.isSuperset(of: ["POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD"]))
        // As written, before interpolation: a password or a URL with user info must be a variable.
        let services = try #require(compose.raw["services"] as? [String: Any])
        for (name, value) in services {
            let service = try ComposeService(name: name, value as? [String: Any] ?? [:])
            for (key, text) in service.environment
            where key.contains("PASSWORD") || text.range(of: #"://[^/\s]*@"#, options: .regularExpression) != nil {
                #expect(text.contains("${"), "\(name).\(key) holds a literal credential")
            }
        }
    }

    @Test func theExampleImageBuildsWhatTheServicesRun() throws {
        let compose = try ComposeFile.load()
        let dockerfile = DockerfileStages(text: try Repository.read("Dockerfile"))
        let built = Set((dockerfile.arguments["EXAMPLES"] ?? "").split(separator: " ").map(String.init))
        let run = Set(compose.builtServices.compactMap(\.command.first))
        #expect(!run.isEmpty)
        #expect(run == built, "Dockerfile EXAMPLES \(built.sorted()) vs binaries the services run \(run.sorted())")
        let products = try Repository.exampleProducts()
        #expect(
            Set(products.keys).subtracting(built).subtracting([Repository.quickStart.product]).isEmpty,
            "example products the image does not build")

        try #require(dockerfile.stages.count == 2)
        let (build, runtime) = (dockerfile.stages[0], dockerfile.stages[1])
        // Same Debian release in both stages, so the sonames the binaries link against exist at run time.
        #expect(build.image.hasPrefix("swift:6.") && build.image.hasSuffix("-bookworm"))
        #expect(runtime.image.hasPrefix("debian:bookworm"))
        let providers = try Repository.aptProviders()
        #expect(!providers.isEmpty)
        #expect(providers.subtracting(DockerfileStages.aptPackages(build)).isEmpty)
        let needed = Set(providers.compactMap { Self.runtimePackages[$0] })
        #expect(needed.count == providers.count, "a system library without a known runtime package")
        #expect(needed.subtracting(DockerfileStages.aptPackages(runtime)).isEmpty)
    }

    // MARK: - Brokers

    private func checkBrokers(_ brokers: [ComposeService], profile: KafkaProfile) throws {
        let ids = brokers.compactMap { $0.environment["KAFKA_NODE_ID"] }
        #expect(Set(ids).count == brokers.count, "node ids must be unique")
        let clusterIDs = Set(brokers.compactMap { $0.environment["CLUSTER_ID"] })
        #expect(clusterIDs.count == 1, "one cluster id for all nodes")
        // A cluster id is a UUID in unpadded base64url: 22 characters, 16 bytes.
        let clusterID = try #require(clusterIDs.first)
        let base64 = clusterID.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "=="
        #expect(clusterID.count == 22 && Data(base64Encoded: base64)?.count == 16)

        for broker in brokers {
            let env = broker.environment
            for (key, value) in [
                ("KAFKA_DEFAULT_REPLICATION_FACTOR", profile.replicationFactor),
                ("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", profile.replicationFactor),
                ("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", profile.replicationFactor),
                ("KAFKA_MIN_INSYNC_REPLICAS", profile.minInSyncReplicas),
                ("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", profile.minInSyncReplicas),
            ] {
                #expect(env[key] == String(value), "\(broker.name): \(key)")
            }

            // The controller quorum is exactly the enabled nodes, each under its own id and name.
            let voters = Set((env["KAFKA_CONTROLLER_QUORUM_VOTERS"] ?? "").split(separator: ",").map(String.init))
            let expected = Set(
                brokers.compactMap { node in
                    node.environment["KAFKA_NODE_ID"].map { "\($0)@\(node.hostname ?? node.name):9093" }
                })
            #expect(voters == expected, "\(broker.name): quorum voters")

            // Each advertised listener is reachable: INTERNAL under the node's own name, EXTERNAL on a host port.
            let advertised = Self.listeners(env["KAFKA_ADVERTISED_LISTENERS"])
            let bound = Self.listeners(env["KAFKA_LISTENERS"])
            let interBroker = try #require(advertised[env["KAFKA_INTER_BROKER_LISTENER_NAME"] ?? ""])
            #expect(interBroker.host == (broker.hostname ?? broker.name))
            if let external = advertised["EXTERNAL"] {
                #expect(external.host == "localhost")
                #expect(bound["EXTERNAL"]?.port == external.port)
                #expect(broker.ports.contains { $0.published == external.port && $0.target == external.port })
            }
            let logDirectory = try #require(env["KAFKA_LOG_DIRS"])
            #expect(broker.mounts.contains { $0.kind == .volume && $0.target == logDirectory }, "\(broker.name): data")
            #expect(broker.healthcheck != nil)
        }
    }

    /// `NAME://host:port,…` → name → (host, port).
    private static func listeners(_ text: String?) -> [String: (host: String, port: Int)] {
        var result: [String: (host: String, port: Int)] = [:]
        for entry in (text ?? "").split(separator: ",") {
            let parts = entry.components(separatedBy: "://")
            guard parts.count == 2, let colon = parts[1].lastIndex(of: ":"),
                let port = Int(parts[1][parts[1].index(after: colon)...])
            else { continue }
            result[parts[0]] = (String(parts[1][..<colon]), port)
        }
        return result
    }

    private static func internalListenerPort(_ broker: ComposeService) -> Int? {
        listeners(broker.environment["KAFKA_LISTENERS"])[broker.environment["KAFKA_INTER_BROKER_LISTENER_NAME"] ?? ""]?
            .port
    }
}
