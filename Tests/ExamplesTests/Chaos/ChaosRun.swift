import Foundation

/// One chaos run: a fresh app id and topics, the seeded input produced over `produceSeconds` while the seeded
/// schedule starts, stops and kills worker processes, then catch-up, the sentinels that close every window,
/// a graceful stop of all, and the `read_committed` output compared with the reference.
struct ChaosRun {
    /// What a run found: the comparison, what went wrong with the processes, and everything needed to replay
    /// and diagnose it.
    struct Outcome {
        var verdict: ChaosVerdict
        var anomalies: [String]
        var report: String
        var seconds: Int

        var isPassing: Bool { verdict.isPassing && anomalies.isEmpty }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Bounds that keep a failing run short enough for `scripts/test` (a passing one needs a few seconds of each).
    static let catchUpLimit: Duration = .seconds(60)
    static let outputLimit: Duration = .seconds(120)

    let seed: UInt64
    /// `at-least-once` or `exactly-once`, as the worker's `--guarantee` spells it.
    let guarantee: String
    let settings: ChaosSettings

    var exactlyOnce: Bool { guarantee == "exactly-once" }

    func execute(brokers: String) async throws -> Outcome {
        let input = ChaosInput(seed: seed, count: settings.readings)
        let reference = ChaosReference(input.readings)
        let produceMs = settings.produceSeconds * 1_000
        let schedule = ChaosSchedule(
            seed: seed, produceMs: produceMs, kills: !exactlyOnce || settings.exactlyOnceKills)
        let appID = "chaos-\(exactlyOnce ? "eos" : "alo")-\(seed)-\(UInt16.random(in: 0...UInt16.max))"
        let inputTopic = "\(appID).readings"
        let outputTopic = "\(appID).windows"
        let transcript = ChaosTranscript(label: "chaos \(guarantee) \(seed)")
        let replay = "replay: " + settings.replayCommand(seed: seed, guarantee: guarantee)
        transcript.note(
            "seed \(seed) (\(replay)): \(input.sites.count) sites, \(input.sensors.count) sensors, "
                + "\(input.readings.count) readings, \(reference.windows.count) windows; app \(appID)")
        transcript.note("schedule: \(schedule)")

        let cluster = try ChaosCluster(brokers: brokers)
        try await cluster.createTopic(inputTopic, partitions: schedule.partitions)
        try await cluster.createTopic(outputTopic, partitions: 1)
        let fleet = ChaosFleet(transcript: transcript) { id in
            [
                "--brokers", brokers, "--app-id", appID, "--instance-id", id, "--guarantee", guarantee,
                "--input", inputTopic, "--output", outputTopic, "--partitions", "\(schedule.partitions)",
            ] + (settings.staticMembership ? ["--static-membership"] : [])
        }
        let started = ContinuousClock.now
        var stalls: [String] = []
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    try await Self.producePaced(input.readings, to: inputTopic, over: produceMs, cluster, transcript)
                }
                try await Self.drive(schedule, fleet, transcript) {
                    let committed = try? await cluster.committedOffsets(
                        group: appID, inputTopic, partitions: schedule.partitions)
                    return "the group has committed \(committed?.values.reduce(0, +) ?? -1) readings"
                }
                try await tasks.waitForAll()
            }
            if let lag = try await catchUp(
                cluster, group: appID, inputTopic, partitions: schedule.partitions, fleet, transcript)
            {
                stalls.append("the group did not commit the end of the input within \(Self.catchUpLimit): \(lag) left")
            }
            let sentinels = input.sentinels(partitions: schedule.partitions)
            try await cluster.produce(sentinels.map { ($0.reading, Optional($0.partition)) }, to: inputTopic)
            transcript.note("sent \(sentinels.count) sentinels at 2026-06-01 (one per input partition)")
            try await awaitOutputs(
                cluster, outputTopic, reference, fleet, transcript, group: appID,
                repartition: (topic: "\(appID)-by-site-repartition", partitions: schedule.partitions))
            try await fleet.terminateAll()
        } catch {
            await fleet.killAll()
            throw Failure(
                description: "chaos driver failed: \(error)\n\(replay)\n\(transcript.text)\n\(fleet.stderrTails())")
        }

        let verdict = ChaosVerdict(
            outputs: try await cluster.readCommitted(outputTopic), reference: reference, exactlyOnce: exactlyOnce)
        let seconds = Int((ContinuousClock.now - started).components.seconds)
        let anomalies = fleet.anomalies + stalls
        transcript.note("\(verdict.isPassing && anomalies.isEmpty ? "passed" : "FAILED") in \(seconds) s")
        let anomalyLines = anomalies.isEmpty ? "" : "anomalies:\n  " + anomalies.joined(separator: "\n  ")
        let report = """
            chaos run \(guarantee), seed \(seed) — \(replay)
            schedule: \(schedule)
            \(verdict)
            \(anomalyLines)
            transcript:
            \(transcript.text)
            \(fleet.stderrTails())
            """
        return Outcome(verdict: verdict, anomalies: anomalies, report: report, seconds: seconds)
    }

    // MARK: - Phases

    /// Produces `readings` in half-second chunks spread evenly over `milliseconds`.
    private static func producePaced(
        _ readings: [ChaosInput.Reading], to topic: String, over milliseconds: Int, _ cluster: ChaosCluster,
        _ transcript: ChaosTranscript
    ) async throws {
        let chunks = max(1, milliseconds / 500)
        let start = ContinuousClock.now
        for chunk in 0..<chunks {
            try await Task.sleep(until: start + .milliseconds(chunk * milliseconds / chunks))
            let range = (chunk * readings.count / chunks)..<((chunk + 1) * readings.count / chunks)
            try await cluster.produce(readings[range], to: topic)
            if (chunk + 1) % max(1, chunks / 4) == 0 || chunk == chunks - 1 {
                transcript.note("produced \(range.upperBound) of \(readings.count) readings")
            }
        }
    }

    /// Runs the schedule's steps no earlier than their times, noting processes that end by themselves and,
    /// every few seconds, `progress`.
    private static func drive(
        _ schedule: ChaosSchedule, _ fleet: ChaosFleet, _ transcript: ChaosTranscript,
        progress: () async -> String
    ) async throws {
        var nextProgressMs = 3_000
        for step in schedule.steps {
            while transcript.elapsedMs < step.atMs {
                fleet.collectUnexpectedExits()
                if transcript.elapsedMs >= nextProgressMs {
                    transcript.note(await progress())
                    nextProgressMs = transcript.elapsedMs + 3_000
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            fleet.collectUnexpectedExits()
            try await fleet.perform(step.action)
        }
    }

    /// Waits until the group has committed the end of every input partition, restarting workers that ended by
    /// themselves (an anomaly already); the sentinels must come after every real reading. Returns the readings
    /// still uncommitted when it gives up, `nil` once caught up.
    private func catchUp(
        _ cluster: ChaosCluster, group: String, _ topic: String, partitions: Int, _ fleet: ChaosFleet,
        _ transcript: ChaosTranscript
    ) async throws -> Int64? {
        let end = try await cluster.endOffsets(topic, partitions: partitions)
        let deadline = ContinuousClock.now + Self.catchUpLimit
        var lastNote = ContinuousClock.now
        while true {
            try fleet.restartUnexpectedExits()
            let committed = try await cluster.committedOffsets(group: group, topic, partitions: partitions)
            let lag = end.map { partition, end in max(0, end - (committed[partition] ?? 0)) }.reduce(0, +)
            if lag == 0 {
                transcript.note("the group committed the end of the input (\(end.values.reduce(0, +)) readings)")
                return nil
            }
            if ContinuousClock.now > deadline {
                transcript.note("giving up catching up: \(lag) readings not committed; sending the sentinels anyway")
                return lag
            }
            if ContinuousClock.now - lastNote > .seconds(5) {
                transcript.note("catching up: \(lag) readings not yet committed; running \(fleet.runningIDs)")
                lastNote = ContinuousClock.now
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// Waits until every reference window is in the output, or nothing moves for 15 s: neither the output nor the
    /// group's position in the repartition topic (on a loaded machine the windows' side can still be reading a
    /// long backlog of repartitioned readings when the input side has caught up), while some worker holds
    /// partitions. A group still forming counts as moving, up to the overall limit.
    private func awaitOutputs(
        _ cluster: ChaosCluster, _ topic: String, _ reference: ChaosReference, _ fleet: ChaosFleet,
        _ transcript: ChaosTranscript, group: String, repartition: (topic: String, partitions: Int)
    ) async throws {
        let deadline = ContinuousClock.now + Self.outputLimit
        var count = 0
        var position: Int64 = 0
        var grewAt = ContinuousClock.now
        while true {
            try fleet.restartUnexpectedExits()
            let outputs = try await cluster.readCommitted(topic)
            let verdict = ChaosVerdict(outputs: outputs, reference: reference, exactlyOnce: exactlyOnce)
            if verdict.missing.isEmpty {
                transcript.note("all \(reference.windows.count) windows are out (\(outputs.count) outputs)")
                // Stragglers: a repeat that would break exactly-once must have a chance to show up.
                try await Task.sleep(for: .seconds(2))
                return
            }
            let committed = try await cluster.committedOffsets(
                group: group, repartition.topic, partitions: repartition.partitions
            ).values.reduce(0, +)
            if outputs.count != count || committed != position || fleet.isAwaitingAssignment {
                count = outputs.count
                position = committed
                grewAt = ContinuousClock.now
            }
            if ContinuousClock.now - grewAt > .seconds(15) || ContinuousClock.now > deadline {
                transcript.note(
                    "output stopped at \(outputs.count) records, \(verdict.missing.count) windows still missing")
                return
            }
            try await Task.sleep(for: .seconds(1))
        }
    }
}
