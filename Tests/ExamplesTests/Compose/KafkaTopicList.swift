/// deploy/kafka/topics.txt, the topics the compose stack's `kafka-init` service creates: one a line, as
/// `name partitions [config=value,…]`, with `#` comments; parsed the way create-topics.sh reads it.
struct KafkaTopicList {
    struct Topic: Equatable {
        var name: String
        var partitions: Int
        var configs: [String: String]
    }

    var topics: [Topic]

    init(text: String) throws {
        topics = try text.split(separator: "\n").compactMap { line -> Topic? in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let name = fields.first, !name.hasPrefix("#") else { return nil }
            guard (2...3).contains(fields.count), let partitions = Int(fields[1]) else {
                throw Repository.Failure(description: "topics.txt: '\(line)' is not `name partitions [configs]`")
            }
            var configs: [String: String] = [:]
            for pair in fields.dropFirst(2).first?.split(separator: ",") ?? [] {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else {
                    throw Repository.Failure(description: "topics.txt: bad config '\(pair)'")
                }
                configs[parts[0]] = parts[1]
            }
            return Topic(name: name, partitions: partitions, configs: configs)
        }
    }

    var names: Set<String> { Set(topics.map(\.name)) }

    func topic(_ name: String) -> Topic? { topics.first { $0.name == name } }
}
