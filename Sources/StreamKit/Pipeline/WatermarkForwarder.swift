/// The upstream side of ``UpstreamClock``: one per `keyBy` stage and partition task. It follows the highest event
/// time the stage has sent per input partition and, at the end of each batch that moved it, tells every partition
/// of the repartition topic (a ``WatermarkRecord``). When a repartition partition is assigned to this instance, it
/// tells them all again, so that the task restored there learns where every upstream is.
@usableFromInline
final class WatermarkForwarder {
    @usableFromInline let topic: String
    @usableFromInline let partitions: Int
    @usableFromInline unowned let context: PartitionContext
    /// Per input slot of the task (``PartitionContext/inputSlot``): the highest event time sent, and the one
    /// last announced.
    @usableFromInline var sent: [Int64] = []
    @usableFromInline var announced: [Int64] = []
    @usableFromInline var idle: [Bool] = []

    @inlinable
    init(topic: String, partitions: Int, context: PartitionContext) {
        self.topic = topic
        self.partitions = partitions
        self.context = context
        context.watermarkForwarders.append(self)
    }

    /// Notes a record sent through the repartition topic from the current input.
    @inline(__always)
    @inlinable
    func note(_ time: EventTime) {
        let slot = context.inputSlot
        if slot >= sent.count { grow(to: slot + 1) }
        if time.milliseconds > sent[slot] { sent[slot] = time.milliseconds }
        context.noteInputTime(time)
    }

    @usableFromInline
    func grow(to count: Int) {
        sent += Array(repeating: .min, count: count - sent.count)
        announced += Array(repeating: .min, count: count - announced.count)
        idle += Array(repeating: false, count: count - idle.count)
    }

    /// Announces the current input's watermark if the batch moved it (or the input was idle).
    func endBatch() {
        let slot = context.inputSlot
        guard slot < sent.count, sent[slot] > announced[slot] || (idle[slot] && sent[slot] > .min) else { return }
        idle[slot] = false
        announce(slot)
    }

    /// Announces that an input has had nothing to send for a while: it holds no downstream window back.
    func markIdle(slot: Int) {
        if slot >= sent.count { grow(to: slot + 1) }
        guard !idle[slot] else { return }
        idle[slot] = true
        announce(slot)
    }

    /// Announces every input's watermark again.
    func announceAll() {
        for slot in sent.indices where sent[slot] > .min || idle[slot] { announce(slot) }
    }

    private func announce(_ slot: Int) {
        announced[slot] = max(announced[slot], sent[slot])
        let upstream = context.inputs[slot]
        let count = context.inputPartitionCounts[upstream.topic] ?? 1
        for partition in 0..<partitions {
            context.outputs.append(
                WatermarkRecord.make(
                    topic: topic, partition: partition, upstream: upstream, upstreamPartitions: count,
                    watermark: sent[slot], idle: idle[slot]))
        }
    }
}
