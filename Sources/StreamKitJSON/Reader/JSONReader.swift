/// Reads one document, by the streaming path or from a tape of ``JSONToken``s, and answers the decoder's
/// questions about it.
///
/// The streaming path (``decodeStreaming(_:)``) reads values where they lie while `init(from:)` asks for them in
/// the order the document has them, the common case. Anything else, including every error, sends the call to
/// the tape path: one pass validates the whole document and records where each value lies, then `init(from:)`
/// reads them in any order, and errors come out exactly as that pass and the containers word them.
///
/// One reader serves one decode call at a time; ``StreamJSONDecoder`` keeps a small pool of them so the tape,
/// the scratch buffer and the path stack are allocated once and reused for every record. The payload itself is
/// never copied: `base` points into the caller's buffer for the duration of the call.
///
/// `@unchecked Sendable` because the pool moves readers between threads: a reader is used by one decode call
/// at a time, which takes it from the pool and gives it back only when it has finished with it.
final class JSONReader: JSONPoolable, @unchecked Sendable {
    let keyMapping: JSONKeyMapping
    let limits: JSONLimits

    /// The mutable state, behind a pointer the reader owns.
    ///
    /// Stored `var`s of a class pay for a dynamic exclusivity check on every access, which on the per-byte and
    /// per-member paths costs more than the work itself. The reader is used by one thread at a time and never
    /// hands out an access that overlaps another, so it keeps its state where no such check applies.
    private struct State {
        var base: UnsafePointer<UInt8> = UnsafePointer(bitPattern: 1)!
        var length = 0
        var tape: UnsafeMutablePointer<JSONToken>
        var tapeCapacity: Int
        var tapeCount = 0
        /// Open containers while scanning: their tape index and, for objects, the tape index of the current key.
        var open: [(token: Int32, key: Int32)] = []
        /// Unescaped strings are assembled here.
        var scratch: [UInt8] = []
        /// How the types met so far are read; see ``JSONTypeCache``.
        var typeCache = JSONTypeCache(decoding: true)
        /// The coding path of the value being decoded; pushed and popped around nested values.
        var path: [JSONPathComponent] = []
        /// The wire names of the coding keys met so far, kept across records.
        var memberNames: [ObjectIdentifier: JSONMemberNames] = [:]
        /// Records of one type usually come in a row: skip hashing for the key type met last.
        var lastMemberNames: (type: ObjectIdentifier, names: JSONMemberNames)?
        /// The streaming path's values being decoded, outermost first.
        var frames: UnsafeMutablePointer<JSONStreamFrame>
        var frameCapacity: Int
        var frameCount = 0
        /// The keyed containers handed out on the streaming path, by frame index, for reuse; see
        /// ``streamingContainer(keyedBy:frame:)``.
        var keyedContainers: [JSONKeyedContainerSlot] = []
        /// Set by every error made while decoding: a streaming result is then discarded, even if `init(from:)`
        /// caught the error, and the tape path decodes the document again.
        var hasFailed = false
    }

    private let state: UnsafeMutablePointer<State>

    var base: UnsafePointer<UInt8> { state.pointee.base }
    var length: Int { state.pointee.length }
    var tape: UnsafeMutablePointer<JSONToken> { state.pointee.tape }
    private var tapeCapacity: Int {
        get { state.pointee.tapeCapacity }
        set { state.pointee.tapeCapacity = newValue }
    }
    var tapeCount: Int {
        get { state.pointee.tapeCount }
        set { state.pointee.tapeCount = newValue }
    }
    var open: [(token: Int32, key: Int32)] {
        _read { yield state.pointee.open }
        _modify { yield &state.pointee.open }
    }
    var scratch: [UInt8] {
        _read { yield state.pointee.scratch }
        _modify { yield &state.pointee.scratch }
    }
    var typeCache: JSONTypeCache {
        _read { yield state.pointee.typeCache }
        _modify { yield &state.pointee.typeCache }
    }
    var path: [JSONPathComponent] {
        _read { yield state.pointee.path }
        _modify { yield &state.pointee.path }
    }
    var frames: UnsafeMutablePointer<JSONStreamFrame> { state.pointee.frames }
    var frameCount: Int {
        get { state.pointee.frameCount }
        set { state.pointee.frameCount = newValue }
    }
    private var keyedContainers: [JSONKeyedContainerSlot] {
        _read { yield state.pointee.keyedContainers }
        _modify { yield &state.pointee.keyedContainers }
    }
    var hasFailed: Bool {
        get { state.pointee.hasFailed }
        set { state.pointee.hasFailed = newValue }
    }

    private static let initialTapeCapacity = 64
    private static let initialFrameCapacity = 8
    /// A tape grown past this for one huge document is released rather than kept in the pool.
    private static let retainedTapeCapacity = 1 << 16

    init(keyMapping: JSONKeyMapping, limits: JSONLimits) {
        self.keyMapping = keyMapping
        self.limits = limits
        state = .allocate(capacity: 1)
        state.initialize(
            to: State(
                tape: .allocate(capacity: Self.initialTapeCapacity), tapeCapacity: Self.initialTapeCapacity,
                frames: .allocate(capacity: Self.initialFrameCapacity), frameCapacity: Self.initialFrameCapacity))
        scratch.reserveCapacity(64)
        path.reserveCapacity(8)
        open.reserveCapacity(8)
    }

    deinit {
        state.pointee.tape.deallocate()
        state.pointee.frames.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    // MARK: - Lifecycle

    /// Points the reader at `bytes`, which must be within ``JSONLimits/maxDocumentBytes``.
    func attach(_ bytes: UnsafeRawBufferPointer) throws(JSONError) {
        guard bytes.count <= limits.maxDocumentBytes else {
            throw JSONError(
                kind: .limitExceeded, byteOffset: 0, codingPath: "",
                reason: "document is \(bytes.count) bytes, more than maxDocumentBytes (\(limits.maxDocumentBytes))")
        }
        state.pointee.length = bytes.count
        state.pointee.base =
            bytes.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? UnsafePointer(bitPattern: 1)!
    }

    /// Scans the attached document onto the tape, validating all of it, for the tape path.
    func scan() throws(JSONError) {
        tapeCount = 0
        path.removeAll(keepingCapacity: true)
        try scanDocument()
    }

    /// Makes room for one more streaming frame and returns its index; `-1` beyond ``JSONLimits/maxDepth``.
    func pushFrame(at start: Int) -> Int {
        let index = frameCount
        guard index < limits.maxDepth else { return -1 }
        if index == state.pointee.frameCapacity {
            let capacity = index * 2
            let grown = UnsafeMutablePointer<JSONStreamFrame>.allocate(capacity: capacity)
            grown.moveInitialize(from: frames, count: index)
            frames.deallocate()
            state.pointee.frames = grown
            state.pointee.frameCapacity = capacity
        }
        (frames + index).initialize(to: JSONStreamFrame(start: start))
        frameCount = index + 1
        return index
    }

    /// Forgets the payload (it belongs to the caller) and trims buffers a huge document grew.
    func reset() {
        state.pointee.base = UnsafePointer(bitPattern: 1)!
        state.pointee.length = 0
        if tapeCapacity > Self.retainedTapeCapacity {
            tape.deallocate()
            tapeCapacity = Self.initialTapeCapacity
            state.pointee.tape = .allocate(capacity: tapeCapacity)
        }
        if scratch.capacity > Self.retainedTapeCapacity { scratch = [] }
        frameCount = 0
        open.removeAll(keepingCapacity: open.capacity <= 1024)
    }

    // MARK: - Tape

    /// Appends one token to the tape, growing it when full, and returns its index.
    @inline(__always)
    func append(_ kind: JSONToken.Kind, flag: Bool, start: Int, end: Int) -> Int32 {
        if tapeCount == tapeCapacity { growTape() }
        let index = Int32(truncatingIfNeeded: tapeCount)
        tape[tapeCount] = JSONToken(
            kind: kind, flag: flag, start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end),
            next: index &+ 1, hint: index &+ 1, keyHint: 0)
        tapeCount += 1
        return index
    }

    private func growTape() {
        let capacity = tapeCapacity * 2
        let grown = UnsafeMutablePointer<JSONToken>.allocate(capacity: capacity)
        grown.moveInitialize(from: tape, count: tapeCount)
        tape.deallocate()
        state.pointee.tape = grown
        tapeCapacity = capacity
    }

    // MARK: - Keyed containers

    /// A keyed container for the object in `frame` on the streaming path.
    ///
    /// Making a `KeyedDecodingContainer` allocates its box and looks up the box's generic metadata, which costs
    /// more than reading a small record, so the container made for a key type at a frame index is kept and handed
    /// out again. It stays correct: it holds nothing but the reader, the frame index and the key type's names,
    /// and a frame index is in use by one value at a time, whose decode has returned before the index is reused.
    func streamingContainer<Key: CodingKey>(keyedBy type: Key.Type, frame: Int) -> KeyedDecodingContainer<Key> {
        let id = ObjectIdentifier(type)
        if frame < keyedContainers.count, keyedContainers[frame].keyType == id {
            return unsafeDowncast(keyedContainers[frame], to: JSONKeyedContainerHolder<Key>.self).container
        }
        let container = KeyedDecodingContainer(JSONInPlaceKeyedContainer<Key>(reader: self, frame: frame))
        while keyedContainers.count <= frame { keyedContainers.append(JSONKeyedContainerSlot()) }
        keyedContainers[frame] = JSONKeyedContainerHolder(container)
        return container
    }

    // MARK: - Member names

    /// The wire names of `Key`, worked out on first use and kept with this reader.
    func memberNames<Key: CodingKey>(for type: Key.Type) -> JSONMemberNames {
        let id = ObjectIdentifier(type)
        if let last = state.pointee.lastMemberNames, last.type == id { return last.names }
        let names = state.pointee.memberNames[id] ?? JSONMemberNames(keyMapping: keyMapping)
        state.pointee.memberNames[id] = names
        state.pointee.lastMemberNames = (id, names)
        return names
    }

    /// Whether the member name at `keyIndex` is, byte for byte, the wire name of `name` in `names`; `object`'s
    /// key hint then points at the name after `name`.
    ///
    /// `false` says nothing about whether the member matches by the key mapping: the caller then compares
    /// the slow way. `true` is final.
    @inline(__always)
    func memberHasWireName(at keyIndex: Int, of name: String, in names: JSONMemberNames, object: Int) -> Bool {
        let index = names.index(of: name, hint: Int(tape[object].keyHint))
        tape[object].keyHint = Int32(truncatingIfNeeded: index &+ 1)
        let token = tape[keyIndex]
        return !token.flag && names.isWireName(index, base + Int(token.start), count: Int(token.end &- token.start))
    }

    // MARK: - Errors

    /// An error about a value that was read: a type mismatch, a number out of range, a missing key.
    ///
    /// On the streaming path such an error leaves the reader where it was, so `init(from:)` may catch it and try
    /// something else, as it could on the tape path; errors about the document itself (`scanError`) or about
    /// what the streaming path cannot do (`giveUp(at:)`) set `hasFailed` instead.
    func error(_ kind: JSONError.Kind, at offset: Int, _ reason: String) -> JSONError {
        JSONError(kind: kind, byteOffset: offset, codingPath: JSONPathComponent.render(path), reason: reason)
    }

    /// An error found while scanning: the path comes from the containers open at that moment.
    func scanError(_ kind: JSONError.Kind, at offset: Int, _ reason: String) -> JSONError {
        hasFailed = true
        var components: [JSONPathComponent] = []
        for entry in open {
            let token = tape[Int(entry.token)]
            if token.kind == .array {
                components.append(.index(token.count))
            } else if entry.key >= 0 {
                components.append(.name(string(at: Int(entry.key))))
            }
        }
        return JSONError(
            kind: kind, byteOffset: offset, codingPath: JSONPathComponent.render(components), reason: reason)
    }

    func describeByte(at offset: Int) -> String {
        guard offset < length else { return "the end of the document" }
        let byte = base[offset]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}
