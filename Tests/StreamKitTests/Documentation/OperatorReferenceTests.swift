import Foundation
import Testing

/// The operator reference (`StreamKit.docc/Operators.md`) against the source: an operator added to the DSL without
/// a line in the reference, or a line left for one that was removed, fails here.
@Suite("Operator reference")
struct OperatorReferenceTests {
    /// The files that declare the DSL's operators, relative to `Sources/StreamKit`.
    static let operatorFiles = [
        "DataFrame/DataFrame+Filter.swift", "DataFrame/DataFrame+KeyBy.swift", "DataFrame/DataFrame+Map.swift",
        "DataFrame/DataFrame+Stateful.swift", "DataFrame/DataFrame+To.swift", "Windows/WindowedDataFrame.swift",
        "Windows/WindowAggregation.swift", "Anomaly/EMA.swift", "Anomaly/SpikeDetection.swift",
    ]

    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/StreamKit")

    /// The names of the public functions, and of the properties that give a frame (`lateRecords`), a file declares.
    static func publicNames(in file: String) throws -> Set<String> {
        let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
        let functions = text.matches(of: /public func ([a-zA-Z]+)/).map { String($0.output.1) }
        let frames = text.matches(of: /public var ([a-zA-Z]+): DataFrame</).map { String($0.output.1) }
        return Set(functions + frames)
    }

    @Test("every operator has a line in Operators.md, and every line names an operator")
    func everyOperatorIsListed() throws {
        let reference = try String(
            contentsOf: Self.sources.appendingPathComponent("StreamKit.docc/Operators.md"), encoding: .utf8)
        var operators: Set<String> = []
        for file in Self.operatorFiles { operators.formUnion(try Self.publicNames(in: file)) }
        #expect(operators.count > 25, "the scan found \(operators.count) operators; did the files move?")

        // The first column of each table row names operators: `name(…)` or `name`; app-level rows (`app.run()`)
        // and types (`PipelineHarness(app)`) name none.
        var listed: Set<String> = []
        for row in reference.split(separator: "\n") where row.hasPrefix("| `") {
            let firstColumn = row.dropFirst(2).prefix { $0 != "|" }
            listed.formUnion(firstColumn.matches(of: /`([a-z][a-zA-Z]*)[(`]/).map { String($0.output.1) })
        }
        #expect(
            operators.subtracting(listed).isEmpty,
            "operators without a row in Operators.md: \(operators.subtracting(listed).sorted())")
        #expect(
            listed.subtracting(operators).isEmpty,
            "Operators.md lists operators the source does not declare: \(listed.subtracting(operators).sorted())")
    }
}
