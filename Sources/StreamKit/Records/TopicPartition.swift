/// A partition of a named topic.
public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The topic's name.
    public var topic: String
    /// The partition number, from 0.
    public var partition: Int

    /// Names a partition of a topic.
    public init(topic: String, partition: Int) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// Where a record was read: topic, partition and offset.
public struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
    /// The topic and partition the record came from.
    public var topicPartition: TopicPartition
    /// The record's offset in that partition.
    public var offset: Int64

    /// Names a record's position.
    public init(topic: String, partition: Int, offset: Int64) {
        topicPartition = TopicPartition(topic: topic, partition: partition)
        self.offset = offset
    }

    /// The topic the record came from.
    public var topic: String { topicPartition.topic }
    /// The partition the record came from.
    public var partition: Int { topicPartition.partition }

    public var description: String { "\(topicPartition)@\(offset)" }
}
