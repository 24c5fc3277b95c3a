/// A place for one reusable keyed decoding container of any key type; see
/// ``JSONReader/streamingContainer(keyedBy:frame:)``.
class JSONKeyedContainerSlot {
    /// The container's key type, or this class itself for an empty slot.
    let keyType: ObjectIdentifier

    init(keyType: ObjectIdentifier) { self.keyType = keyType }

    /// A slot that holds nothing.
    convenience init() { self.init(keyType: ObjectIdentifier(JSONKeyedContainerSlot.self)) }
}

/// A slot holding a keyed decoding container for `Key`.
final class JSONKeyedContainerHolder<Key: CodingKey>: JSONKeyedContainerSlot {
    let container: KeyedDecodingContainer<Key>

    init(_ container: KeyedDecodingContainer<Key>) {
        self.container = container
        super.init(keyType: ObjectIdentifier(Key.self))
    }
}
