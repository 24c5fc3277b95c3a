/// The open windows of one windowed operator on one partition, with their changelog.
///
/// Windows are kept in buckets by start time (few are open at once: size / step + grace), and keys in
/// insertion order inside a bucket, so closing emits in a deterministic order without sorting. Updates
/// only mark an entry dirty; the changelog entry is encoded at the next checkpoint, and a window closed
/// before it was ever written leaves no tombstone.
final class WindowStore<Key: Hashable & Codable, State: Codable>: ChangelogStore {
    struct Bucket {
        var start: Int64
        var keys: [Key] = []
        var states: [State] = []
        var index: [Key: Int] = [:]
        /// Per entry: changed since the last drain.
        var isDirty: [Bool] = []
        /// Per entry: present in the changelog (a tombstone is needed when it closes).
        var isLogged: [Bool] = []
        var dirtyEntries: [Int] = []

        init(start: Int64) { self.start = start }
    }

    /// The changelog key: a window entry (start and key) or the watermark record (both `nil`).
    struct ChangelogKey: Codable {
        var start: Int64?
        var key: Key?
    }

    let name: String
    /// Open buckets, ascending by start.
    private(set) var buckets: [Bucket] = []
    /// The highest event time seen on this partition (ms).
    var watermark: Int64 = .min {
        didSet { if watermark != oldValue { isWatermarkDirty = true } }
    }
    private var isWatermarkDirty = false
    private var tombstones: [ChangelogKey] = []

    init(name: String) { self.name = name }

    var entryCount: Int { buckets.reduce(0) { $0 + $1.keys.count } }

    /// The earliest open window start, if any.
    var earliestStart: Int64? { buckets.first?.start }

    /// Folds into the state of window (`start`, `key`), creating it from `initial` when new; returns
    /// the updated state.
    @inline(__always)
    func update(start: Int64, key: Key, initial: @autoclosure () -> State, _ body: (inout State) -> Void) -> State {
        let b = bucketIndex(for: start)
        if let i = buckets[b].index[key] {
            body(&buckets[b].states[i])
            markDirty(bucket: b, entry: i)
            return buckets[b].states[i]
        }
        var state = initial()
        body(&state)
        let i = buckets[b].keys.count
        buckets[b].index[key] = i
        buckets[b].keys.append(key)
        buckets[b].states.append(state)
        buckets[b].isDirty.append(true)
        buckets[b].isLogged.append(false)
        buckets[b].dirtyEntries.append(i)
        return state
    }

    @inline(__always)
    private func markDirty(bucket b: Int, entry i: Int) {
        if !buckets[b].isDirty[i] {
            buckets[b].isDirty[i] = true
            buckets[b].dirtyEntries.append(i)
        }
    }

    @inline(__always)
    private func bucketIndex(for start: Int64) -> Int {
        // Most records land in the newest bucket; search from the back.
        var b = buckets.count - 1
        while b >= 0 {
            let s = buckets[b].start
            if s == start { return b }
            if s < start { break }
            b -= 1
        }
        buckets.insert(Bucket(start: start), at: b + 1)
        return b + 1
    }

    /// Removes and returns the oldest bucket if its start is at most `start`.
    func popBucket(startingAtOrBefore start: Int64) -> Bucket? {
        guard let first = buckets.first, first.start <= start else { return nil }
        buckets.removeFirst()
        for (i, key) in first.keys.enumerated() where first.isLogged[i] {
            tombstones.append(ChangelogKey(start: first.start, key: key))
        }
        return first
    }

    func drainChanges(_ write: (_ key: [UInt8], _ value: [UInt8]?) throws -> Void) throws {
        for tombstone in tombstones { try write(StateCoding.encode(tombstone), nil) }
        tombstones.removeAll(keepingCapacity: true)
        for b in buckets.indices {
            for i in buckets[b].dirtyEntries {
                let key = ChangelogKey(start: buckets[b].start, key: buckets[b].keys[i])
                try write(StateCoding.encode(key), StateCoding.encode(buckets[b].states[i]))
                buckets[b].isDirty[i] = false
                buckets[b].isLogged[i] = true
            }
            buckets[b].dirtyEntries.removeAll(keepingCapacity: true)
        }
        if isWatermarkDirty {
            try write(StateCoding.encode(ChangelogKey(start: nil, key: nil)), StateCoding.encode(watermark))
            isWatermarkDirty = false
        }
    }

    func restore(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) throws {
        let entry = try StateCoding.decode(ChangelogKey.self, from: key, store: name)
        guard let start = entry.start, let entryKey = entry.key else {
            if let value { watermark = try StateCoding.decode(Int64.self, from: value, store: name) }
            isWatermarkDirty = false
            return
        }
        let b = bucketIndex(for: start)
        guard let value else {
            // A tombstone: the window closed. Drop it if present.
            if let i = buckets[b].index[entryKey] { removeEntry(bucket: b, entry: i) }
            if buckets[b].keys.isEmpty { buckets.remove(at: b) }
            return
        }
        let state = try StateCoding.decode(State.self, from: value, store: name)
        if let i = buckets[b].index[entryKey] {
            buckets[b].states[i] = state
        } else {
            buckets[b].index[entryKey] = buckets[b].keys.count
            buckets[b].keys.append(entryKey)
            buckets[b].states.append(state)
            buckets[b].isDirty.append(false)
            buckets[b].isLogged.append(true)
        }
    }

    private func removeEntry(bucket b: Int, entry i: Int) {
        let key = buckets[b].keys[i]
        buckets[b].keys.remove(at: i)
        buckets[b].states.remove(at: i)
        buckets[b].isDirty.remove(at: i)
        buckets[b].isLogged.remove(at: i)
        buckets[b].index[key] = nil
        for j in i..<buckets[b].keys.count { buckets[b].index[buckets[b].keys[j]] = j }
    }
}
