import Dispatch
import Synchronization

/// The synchronous core of a running app: partition tasks, batch processing, outputs and changelogs.
///
/// Both the async runtime (`StreamApp.run`) and `PipelineHarness` drive an engine; neither duplicates
/// what happens to a batch. The engine never awaits: I/O (polling, producing, flushing, restoring) is
/// the driver's job.
final class PipelineEngine {
    let appName: String
    private let graph: StreamGraph
    private let errorPolicy: ErrorPolicy
    private(set) var tasks: [Int: PartitionTask] = [:]

    /// Partition counts of the topics the app reads, as the broker reports them (the declared ones until then).
    var inputPartitionCounts: [String: Int]
    /// The app's repartition topics: written by the app itself, read like inputs.
    let repartitionTopics: Set<String>

    init(app: StreamApp) {
        appName = app.name
        graph = app.graph
        errorPolicy = app.errorPolicy
        repartitionTopics = Set(graph.topics.values.filter { $0.roles.contains(.repartition) }.map(\.spec.name))
        inputPartitionCounts = Dictionary(
            graph.topics.values.filter { !$0.roles.isDisjoint(with: [.input, .repartition]) }.map {
                ($0.spec.name, $0.spec.partitions)
            }, uniquingKeysWith: max)
    }

    /// Builds a task for partition number `partition`, not yet installed: `TaskRestore` restores its stores from
    /// their changelogs, then installs it.
    func makeTask(partition: Int) -> PartitionTask {
        let context = PartitionContext(partition: partition, appName: appName, errorPolicy: errorPolicy)
        context.repartitionTopics = repartitionTopics
        context.inputPartitionCounts = inputPartitionCounts
        var roots: [String: (borrowing RawRecordView) throws -> Void] = [:]
        for (topic, source) in graph.sources.sorted(by: { $0.key < $1.key }) {
            context.compilingClockTopic = repartitionTopics.contains(topic) ? topic : nil
            roots[topic] = source.compile(in: context)
        }
        context.compilingClockTopic = nil
        return PartitionTask(context: context, roots: roots)
    }

    /// Tells the `keyBy` stages of the tasks reading `partitions` that those have been idle: they hold no
    /// downstream window back until they have records again.
    func markIdle(_ partitions: [TopicPartition]) {
        for partition in partitions {
            guard let context = tasks[partition.partition]?.context else { continue }
            let slot = context.slot(of: partition)
            for forwarder in context.watermarkForwarders { forwarder.markIdle(slot: slot) }
        }
    }

    /// Has every `keyBy` stage announce its watermarks again (when this instance is given repartition partitions,
    /// whose new tasks may not have heard them).
    func announceWatermarks() {
        for partition in tasks.keys.sorted() {
            for forwarder in tasks[partition]!.context.watermarkForwarders { forwarder.announceAll() }
        }
    }

    func install(_ task: PartitionTask) {
        tasks[task.context.partition] = task
    }

    func removeTask(partition: Int) {
        tasks[partition] = nil
    }

    /// Processes one batch in its partition's task (which must be installed).
    ///
    /// - Throws: The first record failure the error policy says to stop on, as `StreamAppError`.
    func process(_ batch: some RecordBatch) throws {
        let tp = batch.topicPartition
        guard let task = tasks[tp.partition], let root = task.roots[tp.topic] else {
            preconditionFailure("batch for \(tp) arrived before its task was installed")
        }
        task.context.beginBatch(from: tp)
        do {
            try batch.forEach { view in try root(view) }
        } catch {
            throw StreamAppError(.recordFailed, "\(tp): \(error)")
        }
        task.context.endBatch()
        task.nextOffsets[tp] = batch.nextOffset
        task.context.counters.recordsIn += batch.count
    }

    /// Processes a poll's batches: in order within each partition task, and with `threads > 1` the tasks
    /// in parallel on that many threads (each task owns its state and outputs; sinks are thread-safe).
    ///
    /// This is synchronous CPU work and blocks the calling thread until every batch is processed.
    func process(_ batches: [any RecordBatch], threads: Int) throws {
        guard threads > 1 else {
            for batch in batches { try process(batch) }
            return
        }
        let byTask = Dictionary(grouping: batches, by: \.topicPartition.partition).values.map { $0 }
        guard byTask.count > 1 else {
            for batch in batches { try process(batch) }
            return
        }
        let failures = Mutex<[any Error]>([])
        // Each iteration touches only its own task (a partition number), which no other iteration reads
        // or writes; the engine's task table is not modified while this runs.
        nonisolated(unsafe) let engine = self
        nonisolated(unsafe) let groups = byTask
        DispatchQueue.concurrentPerform(iterations: min(threads, groups.count)) { worker in
            for index in stride(from: worker, to: groups.count, by: min(threads, groups.count)) {
                do {
                    for batch in groups[index] { try engine.process(batch) }
                } catch {
                    failures.withLock { $0.append(error) }
                    return
                }
            }
        }
        if let first = failures.withLock({ $0.first }) { throw first }
    }

    /// Delivers a time signal to every task.
    func signal(_ signal: TimeSignal) throws {
        for partition in tasks.keys.sorted() { try tasks[partition]!.context.signal(signal) }
    }

    /// Sets the wall time every task sees for the next batches.
    func setWallTime(_ now: Duration) {
        for task in tasks.values { task.context.wallTime = now }
    }

    /// Takes the records produced since the last call.
    func drainOutputs() -> [RawRecord] {
        var outputs: [RawRecord] = []
        for partition in tasks.keys.sorted() {
            let context = tasks[partition]!.context
            outputs += context.outputs
            context.outputs.removeAll(keepingCapacity: true)
        }
        return outputs
    }

    /// Takes the changelog records of every store changed since the last call, stamped `now` (brokers
    /// that apply time retention to compacted topics must not see them as old).
    func drainChangelogs(now: EventTime) throws -> [RawRecord] {
        var records: [RawRecord] = []
        for partition in tasks.keys.sorted() {
            for store in tasks[partition]!.context.stores {
                let topic = changelogTopicName(app: appName, store: store.name)
                try store.drainChanges { key, value in
                    records.append(
                        RawRecord(topic: topic, partition: partition, key: key, value: value, timestamp: now))
                }
            }
        }
        return records
    }

    /// The next offsets of every partition processed so far.
    var nextOffsets: [TopicPartition: Int64] {
        tasks.values.reduce(into: [:]) { $0.merge($1.nextOffsets) { _, new in new } }
    }

    /// Takes the counters of every task.
    func drainCounters() -> TaskCounters {
        var total = TaskCounters()
        for task in tasks.values {
            total.merge(task.context.counters)
            task.context.counters = TaskCounters()
        }
        return total
    }

    /// How far in event time each input partition has been read (``PartitionContext/inputTimes``); partitions
    /// whose records met no time-keeping stage yet are absent.
    var inputTimes: [TopicPartition: Int64] {
        var times: [TopicPartition: Int64] = [:]
        for task in tasks.values {
            let context = task.context
            for (slot, time) in context.inputTimes.enumerated() where time > .min && slot < context.inputs.count {
                times[context.inputs[slot]] = time
            }
        }
        return times
    }

    /// Entries held by each store, summed over tasks.
    var storeSizes: [String: Int] {
        var sizes: [String: Int] = [:]
        for task in tasks.values {
            for store in task.context.stores { sizes[store.name, default: 0] += store.entryCount }
        }
        return sizes
    }
}

/// The compiled pipeline of one partition number.
final class PartitionTask {
    let context: PartitionContext
    let roots: [String: (borrowing RawRecordView) throws -> Void]
    /// Next offset per input partition processed by this task.
    var nextOffsets: [TopicPartition: Int64] = [:]

    init(context: PartitionContext, roots: [String: (borrowing RawRecordView) throws -> Void]) {
        self.context = context
        self.roots = roots
    }

    /// Replays a store's changelog records into it.
    func restore(storeNamed name: String, from view: borrowing RawRecordView) throws {
        guard let store = context.stores.first(where: { $0.name == name }) else { return }
        guard let key = view.key else { return }
        try store.restore(key: key, value: view.value)
    }
}
