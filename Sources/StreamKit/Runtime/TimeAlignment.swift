/// Time-aligned consumption of the input partitions an instance owns (Flink's watermark alignment): a partition
/// whose records are further ahead in event time than ``bound`` past the slowest partition that still has records
/// to read is paused until that one catches up, reaches its end, or goes away.
///
/// How far a partition has been read is the highest event time its records brought to a time-keeping stage
/// (``PipelineEngine/inputTimes``). Repartition topics are not aligned (their windows already wait for the least
/// upstream watermark); partitions at their end, and partitions not read yet, hold nobody back. So a replay of
/// history keeps the partitions within `bound` of each other, which bounds the windows held open downstream and
/// gives the same late records however the partitions are fetched.
struct TimeAlignment {
    /// How far ahead of the slowest partition a partition may run, in milliseconds of event time.
    let bound: Int64
    /// The partitions paused by the alignment (not by backpressure).
    private(set) var paused: Set<TopicPartition> = []

    init(bound: Duration) {
        self.bound = bound.wholeMilliseconds
    }

    /// The pauses and resumptions that bring the owned partitions back within the bound.
    ///
    /// - Parameters:
    ///   - times: How far each input partition has been read (``PipelineEngine/inputTimes``).
    ///   - candidates: The owned partitions of the app's input topics (repartition topics left out).
    ///   - atEnd: Partitions with nothing more to read as of the last poll.
    mutating func update(
        times: [TopicPartition: Int64], candidates: Set<TopicPartition>, atEnd: (TopicPartition) -> Bool
    ) -> (pause: [TopicPartition], resume: [TopicPartition]) {
        paused.formIntersection(candidates)
        // Paused partitions still have records to read, so they hold back those further ahead; the slowest
        // partition is never paused, so some partition always moves.
        let holding = candidates.filter { !atEnd($0) && times[$0] != nil }
        guard let slowest = holding.map({ times[$0]! }).min() else {
            defer { paused = [] }
            return ([], paused.sorted())
        }
        let limit = slowest > .max - bound ? .max : slowest + bound
        let pause = candidates.filter { !paused.contains($0) && (times[$0] ?? .min) > limit }
        let resume = paused.filter { (times[$0] ?? .min) <= limit }
        paused.formUnion(pause)
        paused.subtract(resume)
        return (pause.sorted(), resume.sorted())
    }

    /// Forgets partitions no longer owned; returns those that were paused (to resume before they are released).
    mutating func forget(_ partitions: [TopicPartition]) -> [TopicPartition] {
        let released = partitions.filter { paused.contains($0) }
        paused.subtract(released)
        return released
    }
}
