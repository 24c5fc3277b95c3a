import ExampleSupport

/// A seeded transcript of what the driver does to the worker processes of one run, in wall-clock milliseconds
/// after the input starts being produced: instance `a` starts at once, `b` (and, in half the runs, `c`) join
/// mid-stream, one instance is stopped gracefully (SIGTERM) and one killed (SIGKILL) in seeded order and each
/// restarted a few seconds later, and when the input is all produced every instance is stopped (each with a
/// seeded signal) and all are started again.
///
/// Without `kills`, every stop is graceful (SIGTERM): see ``ChaosSettings/exactlyOnceKills``.
///
/// A step's time is the earliest it runs: a graceful stop waits for the process to exit, which delays the
/// steps after it.
struct ChaosSchedule: CustomStringConvertible {
    enum Action: CustomStringConvertible {
        case start(String)
        case terminate(String)
        case kill(String)

        var description: String {
            switch self {
            case .start(let id): "start \(id)"
            case .terminate(let id): "SIGTERM \(id)"
            case .kill(let id): "SIGKILL \(id)"
            }
        }
    }

    struct Step {
        var atMs: Int
        var action: Action
    }

    let partitions: Int
    let instances: [String]
    let steps: [Step]

    init(seed: UInt64, produceMs: Int, kills: Bool = true) {
        // A stream of its own, so that the schedule and the input vary independently of each other.
        var random = SplitMix64(seed: seed ^ 0x00c4_a055_c4ed_0000)
        func time(_ low: Double, _ high: Double) -> Int {
            Int(Double(produceMs) * (low + (high - low) * random.unit()))
        }
        partitions = random.next(in: 3...4)
        instances = random.next(in: 0...1) == 1 ? ["a", "b", "c"] : ["a", "b"]

        var steps = [Step(atMs: 0, action: .start("a")), Step(atMs: time(0.10, 0.25), action: .start("b"))]
        if instances.count == 3 { steps.append(Step(atMs: time(0.25, 0.40), action: .start("c"))) }

        var at = time(0.40, 0.50)
        let faults: [(String) -> Action] =
            random.next(in: 0...1) == 0 ? [Action.terminate, Action.kill] : [Action.kill, Action.terminate]
        for fault in faults {
            let victim = instances[random.next(in: 0...(instances.count - 1))]
            let downMs = random.next(in: 1_000...5_000)
            steps.append(Step(atMs: at, action: fault(victim)))
            steps.append(Step(atMs: at + downMs, action: .start(victim)))
            at += downMs + random.next(in: 2_000...max(2_000, produceMs / 5))
        }

        let stopAll = max(at, produceMs) + random.next(in: 0...2_000)
        for id in instances {
            steps.append(Step(atMs: stopAll, action: random.next(in: 0...1) == 0 ? .terminate(id) : .kill(id)))
        }
        var startAll = stopAll + random.next(in: 1_000...3_000)
        for id in instances {
            steps.append(Step(atMs: startAll, action: .start(id)))
            startAll += random.next(in: 0...1_500)
        }
        if !kills {
            steps = steps.map { step in
                guard case .kill(let id) = step.action else { return step }
                return Step(atMs: step.atMs, action: .terminate(id))
            }
        }
        // Stable: steps at the same time keep the order they were drawn in.
        self.steps = steps.enumerated().sorted { ($0.element.atMs, $0.offset) < ($1.element.atMs, $1.offset) }
            .map(\.element)
    }

    var description: String {
        "\(partitions) input partitions, instances \(instances.joined(separator: ",")): "
            + steps.map { "\($0.atMs / 1_000).\($0.atMs % 1_000 / 100)s \($0.action)" }.joined(separator: "; ")
    }
}
