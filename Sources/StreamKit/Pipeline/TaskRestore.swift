/// The restore sequence of one partition task, written once for both drivers of a ``PipelineEngine``: the async
/// runtime and ``PipelineHarness``, which supply only the reads (the runtime's through the broker, the harness's in
/// memory).
///
/// The task is built but not installed; each of its stores replays its changelog partition (the partition with the
/// task's number), in store order; only then does the driver call ``install()``. The state-layout check that comes
/// before any restore is `StateFingerprint`'s.
///
///     let restore = TaskRestore(engine: engine, partition: 2)
///     for changelog in restore.changelogs {
///         try await broker.readToEnd(changelog.partition) { try restore.replay($0, into: changelog.store) }
///     }
///     restore.install()
struct TaskRestore {
    /// A store and the changelog partition it is restored from.
    struct Changelog {
        var store: String
        var partition: TopicPartition
    }

    private let engine: PipelineEngine
    private let task: PartitionTask
    /// What to read, in order.
    let changelogs: [Changelog]

    init(engine: PipelineEngine, partition number: Int) {
        self.engine = engine
        task = engine.makeTask(partition: number)
        changelogs = task.context.stores.map { store in
            Changelog(
                store: store.name,
                partition: TopicPartition(
                    topic: changelogTopicName(app: engine.appName, store: store.name), partition: number))
        }
    }

    /// Applies one changelog record to its store.
    func replay(_ view: borrowing RawRecordView, into store: String) throws {
        try task.restore(storeNamed: store, from: view)
    }

    /// Installs the restored task in the engine: from here on it processes the partition's records.
    func install() {
        engine.install(task)
    }
}
