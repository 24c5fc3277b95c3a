import ArgumentParser
import Foundation

/// `--results FILE`: where a subcommand appends its figures as JSON lines for `streamkit-bench report`.
struct ResultOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("Append the figures to this file as JSON lines (for `report`).", valueName: "file"))
    var results: String?

    /// Appends `figures` to the results file, if one was given.
    func emit(_ figures: [BenchResult]) throws {
        guard let results else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for figure in figures {
            data.append(try encoder.encode(figure))
            data.append(UInt8(ascii: "\n"))
        }
        if !FileManager.default.fileExists(atPath: results) {
            guard FileManager.default.createFile(atPath: results, contents: nil) else {
                throw BenchError("cannot create the results file \(results)")
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: results))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
    }
}
