/// The core's error: bad configuration, unreadable state, or a failure the error policy said to stop on.
///
/// `description` is one actionable line. Record-level failures that the policy skips or dead-letters
/// never surface as this error; they are counted instead.
public struct StreamAppError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        public var description: String { name }

        /// A setting is missing or invalid; the message names it.
        public static let configuration = Code(name: "configuration")
        /// The pipeline's state layout differs from the one its saved state was written with.
        public static let stateLayoutChanged = Code(name: "stateLayoutChanged")
        /// A changelog entry could not be read back.
        public static let stateCorrupt = Code(name: "stateCorrupt")
        /// A record failed and the error policy says to stop.
        public static let recordFailed = Code(name: "recordFailed")
        /// The broker or a sink failed.
        public static let io = Code(name: "io")
        /// The open transaction cannot commit (the consumer group moved on, or the broker aborted it) and must
        /// be aborted; the runtime aborts it and processes the records since the last commit again.
        public static let transactionAborted = Code(name: "transactionAborted")
        /// The consumer group refused a commit because it rebalanced without this instance; the next owners of
        /// those partitions read again from the offsets committed before (at-least-once).
        public static let commitRefused = Code(name: "commitRefused")
    }

    /// The kind of failure.
    public var code: Code
    /// What happened and what to do about it.
    public var message: String

    /// Makes an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "StreamAppError.\(code): \(message)" }

    static func configuration(_ message: String) -> StreamAppError { StreamAppError(.configuration, message) }

    @usableFromInline
    static func stateCorrupt(store: String, reason: String) -> StreamAppError {
        StreamAppError(.stateCorrupt, "changelog entry of store '\(store)' is unreadable: \(reason)")
    }
}
