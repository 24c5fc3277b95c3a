/// An in-memory key–value store for one operator on one partition, with a changelog of its changes.
///
/// Reads and writes are plain dictionary operations; a write only marks the key dirty, and the
/// changelog entry is encoded at the next checkpoint. So a key updated a thousand times between two
/// checkpoints costs one changelog record, as with Kafka Streams' caching stores.
@usableFromInline
final class KeyValueStore<Key: Hashable & Codable, Value: Codable>: ChangelogStore {
    @usableFromInline
    let name: String
    @usableFromInline
    var entries: [Key: Value] = [:]
    @usableFromInline
    var dirty: Set<Key> = []

    @inlinable
    init(name: String) {
        self.name = name
    }

    @inlinable
    var entryCount: Int { entries.count }

    @inlinable
    subscript(key: Key) -> Value? {
        get { entries[key] }
        set {
            entries[key] = newValue
            dirty.insert(key)
        }
    }

    /// Mutates the value for `key` in place, creating it with `makeInitial` when absent.
    @inline(__always)
    @inlinable
    func update<R>(_ key: Key, default makeInitial: @autoclosure () -> Value, _ body: (inout Value) throws -> R)
        rethrows
        -> R
    {
        dirty.insert(key)
        return try body(&entries[key, default: makeInitial()])
    }

    /// Removes keys for which `shouldRemove` is true (recorded as deletions in the changelog).
    @inlinable
    func removeAll(where shouldRemove: (Key, Value) -> Bool) {
        for (key, value) in entries where shouldRemove(key, value) {
            entries[key] = nil
            dirty.insert(key)
        }
    }

    @inlinable
    func drainChanges(_ write: (_ key: [UInt8], _ value: [UInt8]?) throws -> Void) throws {
        for key in dirty {
            try write(StateCoding.encode(key), try entries[key].map { try StateCoding.encode($0) })
        }
        dirty.removeAll(keepingCapacity: true)
    }

    @inlinable
    func restore(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) throws {
        let decodedKey = try StateCoding.decode(Key.self, from: key, store: name)
        entries[decodedKey] = try value.map { try StateCoding.decode(Value.self, from: $0, store: name) }
    }
}
