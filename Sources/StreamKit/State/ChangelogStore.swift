/// A state store whose changes are written to a changelog and can be rebuilt from it.
///
/// Every store belongs to one (operator, partition) pair. The runtime drains its changes at each
/// checkpoint into partition `p` of `<app>-<store>-changelog` (a compacted topic on Kafka) and, when
/// partition `p` is assigned, replays that changelog into a fresh store before any record is processed.
@usableFromInline
protocol ChangelogStore: AnyObject {
    /// The store's name, unique within the app; names the changelog topic.
    var name: String { get }
    /// How many entries the store holds now (reported as a gauge).
    var entryCount: Int { get }
    /// Hands over one changelog entry per key changed since the last drain; `nil` value deletes.
    func drainChanges(_ write: (_ key: [UInt8], _ value: [UInt8]?) throws -> Void) throws
    /// Applies one changelog entry during restore.
    func restore(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) throws
}

/// The changelog topic name of a store.
@usableFromInline
package func changelogTopicName(app: String, store: String) -> String { "\(app)-\(store)-changelog" }

/// Encodes state keys and values for changelogs with StreamKit's JSON format.
@usableFromInline
enum StateCoding {
    @inlinable
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        try StateJSON.encode(value)
    }

    @inlinable
    static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer, store: String) throws -> T {
        do {
            return try StateJSON.decode(type, from: bytes)
        } catch {
            throw StreamAppError.stateCorrupt(store: store, reason: String(describing: error))
        }
    }
}
