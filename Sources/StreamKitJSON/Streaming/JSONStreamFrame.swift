/// One value the streaming path is decoding: where it starts and how far its container has been read.
struct JSONStreamFrame {
    enum Phase: UInt8 {
        /// Nothing has been read yet; `pos` is unused.
        case untouched
        /// An object is open: `pos` is at the opening quote of the next member's name.
        case object
        /// An array is open: `pos` is at the first byte of the next element.
        case array
        /// The value has been read to its end: `pos` is just past it.
        case done
    }

    /// The offset of the value's first byte.
    let start: Int
    var pos: Int
    var phase = Phase.untouched
    /// Objects: the index in the key type's ``JSONMemberNames`` of the key expected next.
    var keyHint = 0

    init(start: Int) {
        self.start = start
        pos = start
    }
}
