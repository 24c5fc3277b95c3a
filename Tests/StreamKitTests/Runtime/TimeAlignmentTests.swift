import Testing

@testable import StreamKit

/// The pause-and-resume decisions of time-aligned consumption, on event times given by hand.
@Suite("Time alignment")
struct TimeAlignmentTests {
    static let a = TopicPartition(topic: "in", partition: 0)
    static let b = TopicPartition(topic: "in", partition: 1)
    static let c = TopicPartition(topic: "in", partition: 2)
    static let all: Set<TopicPartition> = [a, b, c]

    @Test("a partition more than the bound ahead of the slowest is paused, and resumed once it caught up")
    func pausesAndResumes() {
        var alignment = TimeAlignment(bound: .seconds(10))
        var step = alignment.update(times: [Self.a: 100_000, Self.b: 95_000, Self.c: 80_000], candidates: Self.all) {
            _ in false
        }
        #expect(step.pause == [Self.a, Self.b])
        #expect(step.resume.isEmpty)
        step = alignment.update(times: [Self.a: 100_000, Self.b: 95_000, Self.c: 86_000], candidates: Self.all) {
            _ in false
        }
        #expect(step.pause.isEmpty)
        #expect(step.resume == [Self.b])
        #expect(alignment.paused == [Self.a])
    }

    @Test("partitions at their end or not read yet hold nobody back; paused ones do")
    func whoHoldsBack() {
        var alignment = TimeAlignment(bound: .seconds(1))
        var step = alignment.update(times: [Self.a: 50_000, Self.c: 1_000], candidates: Self.all) { $0 == Self.c }
        #expect(step.pause.isEmpty, "c is at its end and b has nothing read")
        step = alignment.update(times: [Self.a: 50_000, Self.b: 10_000, Self.c: 1_000], candidates: Self.all) {
            $0 == Self.c
        }
        #expect(step.pause == [Self.a])
        // b moves past a paused partition's time + bound: a (still with records) now holds b back.
        step = alignment.update(times: [Self.a: 50_000, Self.b: 60_000, Self.c: 1_000], candidates: Self.all) {
            $0 == Self.c
        }
        #expect(step.pause == [Self.b])
        #expect(step.resume == [Self.a])
    }

    @Test("with no partition left to wait for, every paused partition resumes; forgotten ones leave the set")
    func releases() {
        var alignment = TimeAlignment(bound: .seconds(1))
        _ = alignment.update(times: [Self.a: 50_000, Self.b: 1_000], candidates: Self.all) { _ in false }
        #expect(alignment.paused == [Self.a])
        let step = alignment.update(times: [Self.a: 50_000, Self.b: 1_000], candidates: Self.all) { $0 == Self.b }
        #expect(step.resume == [Self.a])
        _ = alignment.update(times: [Self.a: 50_000, Self.b: 1_000], candidates: Self.all) { _ in false }
        #expect(alignment.forget([Self.a, Self.c]) == [Self.a])
        #expect(alignment.paused.isEmpty)
    }
}
