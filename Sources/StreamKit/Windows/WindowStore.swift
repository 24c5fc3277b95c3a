/// The open windows of one windowed operator on one partition, with their changelog.
///
/// Windows are kept in buckets by start time (few are open at once: size / step + grace), and keys in
/// insertion order inside a bucket, so closing emits in a deterministic order without sorting. Updates
/// only mark an entry dirty; the changelog entry is encoded at the next checkpoint, and a window closed
/// before it was ever written leaves no tombstone.
@usableFromInline
final class WindowStore<Key: Hashable & Codable, State: Codable>: ChangelogStore {
    /// The windows of one start time. A class, so the hot path mutates it in place without copying.
    ///
    /// Stores are used by one partition task at a time, never concurrently, so their hot fields skip the
    /// runtime exclusivity checks (`@exclusivity(unchecked)`); no access to them is reentrant.
    @usableFromInline
    final class Bucket {
        @usableFromInline let start: Int64
        @exclusivity(unchecked) @usableFromInline var keys: [Key] = []
        @exclusivity(unchecked) @usableFromInline var states: [State] = []
        @exclusivity(unchecked) @usableFromInline var index: [Key: Int] = [:]
        /// Per entry: changed since the last drain.
        @exclusivity(unchecked) @usableFromInline var isDirty: [Bool] = []
        /// Per entry: present in the changelog (a tombstone is needed when it closes).
        @exclusivity(unchecked) @usableFromInline var isLogged: [Bool] = []
        @exclusivity(unchecked) @usableFromInline var dirtyEntries: [Int] = []

        @inlinable
        init(start: Int64) { self.start = start }

        @inlinable
        func append(_ key: Key, _ state: State, isLogged logged: Bool) {
            index[key] = keys.count
            if !logged { dirtyEntries.append(keys.count) }
            keys.append(key)
            states.append(state)
            isDirty.append(!logged)
            isLogged.append(logged)
        }

        func remove(at i: Int) {
            index[keys[i]] = nil
            keys.remove(at: i)
            states.remove(at: i)
            isDirty.remove(at: i)
            isLogged.remove(at: i)
            for j in i..<keys.count { index[keys[j]] = j }
        }
    }

    /// The changelog key: a window entry (start and key), an upstream watermark (`upstreamTopic` and
    /// `upstreamPartition`, for a window after a `keyBy`) or the watermark record (all `nil`).
    struct ChangelogKey: Codable {
        var start: Int64?
        var key: Key?
        var upstreamTopic: String?
        var upstreamPartition: Int?
    }

    /// The value of an upstream watermark entry: what ``UpstreamClock`` knows of one upstream partition.
    struct UpstreamMark: Codable, Equatable {
        var watermark: Int64
        var idle: Bool
        var upstreamPartitions: Int
    }

    @usableFromInline let name: String
    /// Open buckets, ascending by start.
    @exclusivity(unchecked) @usableFromInline var buckets: [Bucket] = []
    /// The highest event time seen on this partition (ms).
    @exclusivity(unchecked) @usableFromInline var watermark: Int64 = .min
    private var loggedWatermark: Int64 = .min
    private var tombstones: [ChangelogKey] = []
    /// The stream time of the repartition topic the window reads, when it reads one: its upstream watermarks are
    /// logged and restored with the windows.
    @usableFromInline var clock: UpstreamClock?
    private var loggedMarks: [TopicPartition: UpstreamMark] = [:]

    @usableFromInline
    init(name: String) { self.name = name }

    @usableFromInline var entryCount: Int { buckets.reduce(0) { $0 + $1.keys.count } }

    /// The earliest open window start, if any.
    @inlinable
    var earliestStart: Int64? { buckets.first?.start }

    /// Folds into the state of window (`start`, `key`), creating it from `initial` when new; returns
    /// the updated state.
    @inlinable
    func update(start: Int64, key: Key, initial: @autoclosure () -> State, _ body: (inout State) -> Void) -> State {
        let bucket = self.bucket(for: start)
        if let i = bucket.index[key] {
            body(&bucket.states[i])
            if !bucket.isDirty[i] {
                bucket.isDirty[i] = true
                bucket.dirtyEntries.append(i)
            }
            return bucket.states[i]
        }
        var state = initial()
        body(&state)
        bucket.append(key, state, isLogged: false)
        return state
    }

    @inlinable
    func bucket(for start: Int64) -> Bucket {
        // Most records land in the newest bucket; search from the back.
        var b = buckets.count - 1
        while b >= 0 {
            let s = buckets[b].start
            if s == start { return buckets[b] }
            if s < start { break }
            b -= 1
        }
        let bucket = Bucket(start: start)
        buckets.insert(bucket, at: b + 1)
        return bucket
    }

    /// Removes and returns the oldest bucket.
    @usableFromInline
    func popFirstBucket() -> Bucket {
        let first = buckets.removeFirst()
        for (i, key) in first.keys.enumerated() where first.isLogged[i] {
            tombstones.append(ChangelogKey(start: first.start, key: key))
        }
        return first
    }

    @usableFromInline func drainChanges(_ write: (_ key: [UInt8], _ value: [UInt8]?) throws -> Void) throws {
        for tombstone in tombstones { try write(StateCoding.encode(tombstone), nil) }
        tombstones.removeAll(keepingCapacity: true)
        for bucket in buckets {
            for i in bucket.dirtyEntries {
                let key = ChangelogKey(start: bucket.start, key: bucket.keys[i])
                try write(StateCoding.encode(key), StateCoding.encode(bucket.states[i]))
                bucket.isDirty[i] = false
                bucket.isLogged[i] = true
            }
            bucket.dirtyEntries.removeAll(keepingCapacity: true)
        }
        if watermark != loggedWatermark {
            try write(StateCoding.encode(ChangelogKey(start: nil, key: nil)), StateCoding.encode(watermark))
            loggedWatermark = watermark
        }
        try drainUpstreamMarks(write)
    }

    /// Logs the upstream watermarks that changed since the last drain (a handful: one per upstream partition).
    private func drainUpstreamMarks(_ write: (_ key: [UInt8], _ value: [UInt8]?) throws -> Void) throws {
        guard let clock else { return }
        let changed = clock.watermarks.compactMap { upstream, heard -> (TopicPartition, UpstreamMark)? in
            let mark = UpstreamMark(
                watermark: heard.time, idle: heard.idle, upstreamPartitions: clock.upstreamTopics[upstream.topic] ?? 1)
            return loggedMarks[upstream] == mark ? nil : (upstream, mark)
        }
        // In partition order, so that the same changes log the same records.
        for (upstream, mark) in changed.sorted(by: { $0.0 < $1.0 }) {
            let key = ChangelogKey(upstreamTopic: upstream.topic, upstreamPartition: upstream.partition)
            try write(StateCoding.encode(key), StateCoding.encode(mark))
            loggedMarks[upstream] = mark
        }
    }

    @usableFromInline func restore(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) throws {
        let entry = try StateCoding.decode(ChangelogKey.self, from: key, store: name)
        if let topic = entry.upstreamTopic, let partition = entry.upstreamPartition {
            guard let value else { return }
            let mark = try StateCoding.decode(UpstreamMark.self, from: value, store: name)
            let upstream = TopicPartition(topic: topic, partition: partition)
            clock?.restore(
                upstream, upstreamPartitions: mark.upstreamPartitions, watermark: mark.watermark, idle: mark.idle)
            loggedMarks[upstream] = mark
            return
        }
        guard let start = entry.start, let entryKey = entry.key else {
            if let value { watermark = try StateCoding.decode(Int64.self, from: value, store: name) }
            loggedWatermark = watermark
            return
        }
        let bucket = self.bucket(for: start)
        if let value {
            let state = try StateCoding.decode(State.self, from: value, store: name)
            if let i = bucket.index[entryKey] {
                bucket.states[i] = state
            } else {
                bucket.append(entryKey, state, isLogged: true)
            }
        } else if let i = bucket.index[entryKey] {
            bucket.remove(at: i)  // a tombstone: the window closed
        }
        if bucket.keys.isEmpty { buckets.removeAll { $0 === bucket } }
    }
}
