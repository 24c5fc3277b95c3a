internal import CRdKafka

/// Owns one `rd_kafka_conf_t` until `rd_kafka_new` takes it over; then `release()` forgets it.
final class RdKafkaConfig {
    private var conf: OpaquePointer?
    /// The in-process cluster of the configuration, if any: the client made from this keeps it alive.
    let embeddedCluster: AnyObject?

    /// Applies every property, stopping at the first that librdkafka rejects with its own message, which names
    /// the property. A credential's value is blanked out of that message.
    init(_ configuration: KafkaConfiguration, defaults: [(name: String, value: String)] = []) throws(KafkaError) {
        conf = rd_kafka_conf_new()
        embeddedCluster = configuration.embeddedCluster
        for property in defaults + configuration.librdkafkaProperties {
            try set(property.name, property.value)
        }
    }

    deinit {
        if let conf { rd_kafka_conf_destroy(conf) }
    }

    func set(_ name: String, _ value: String) throws(KafkaError) {
        var errstr = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(conf, name, value, &errstr, errstr.count)
        guard result != RD_KAFKA_CONF_OK else { return }
        var message = rdKafkaString(errstr)
        var shownValue = value
        if KafkaConfiguration.isSensitive(property: name) {
            if !value.isEmpty { message = message.replacingAll(value, with: "***") }
            shownValue = "***"
        }
        // librdkafka names aliases by their canonical name (`acks` as `request.required.acks`), so say both.
        throw KafkaError(
            code: .invalidArgument, reason: "invalid configuration \(name)=\"\(shownValue)\": \(message)")
    }

    func withConf<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R { try body(conf!) }

    /// Called once `rd_kafka_new` succeeded: the client owns the configuration now.
    func release() { conf = nil }
}

extension String {
    /// Replaces every occurrence of `target`; only used to mask a credential in an error message.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
