import Foundation
import Testing

/// Each example service's command line in docker-compose.yml is one the built example accepts: the
/// subcommands exist and every flag is one of theirs, with a value where it takes one. Read from the
/// executables' own `--experimental-dump-help`, so it needs `swift build --build-tests` first.
@Suite struct ExampleServiceCommandTests {
    static var services: [String] { ((try? ComposeFile.load())?.builtServices ?? []).map(\.name) }

    @Test(arguments: services)
    func theExampleAcceptsTheServiceCommandLine(_ name: String) async throws {
        let service = try #require(try ComposeFile.load().services[name])
        let binary = try #require(service.command.first)
        #expect(try Repository.exampleProducts().keys.contains(binary), "\(name): \(binary) is no example product")
        let dump = try ExampleProcess(binary, ["--experimental-dump-help"])
        try await dump.expectSuccess(within: .seconds(30))
        var command = try JSONDecoder().decode(CommandToolInfo.self, from: Data(dump.stdout.utf8)).command

        var words = service.command.dropFirst()
        while let word = words.first, !word.hasPrefix("-") {
            guard let subcommand = command.subcommands?.first(where: { $0.commandName == word }) else {
                Issue.record("\(name): \(binary) has no subcommand '\(word)'")
                return
            }
            command = subcommand
            words = words.dropFirst()
        }
        while let word = words.popFirst() {
            guard word.hasPrefix("--") else {
                #expect(command.arguments?.contains { $0.kind == "positional" } == true, "\(name): stray '\(word)'")
                continue
            }
            let flag = word.dropFirst(2).split(separator: "=", maxSplits: 1)
            guard let argument = command.argument(long: String(flag[0])) else {
                Issue.record("\(name): \(command.commandName) has no option \(word)")
                if words.first?.hasPrefix("-") == false { words = words.dropFirst() }
                continue
            }
            if argument.kind == "option" && flag.count == 1 {
                #expect(words.popFirst() != nil, "\(name): \(word) needs a value")
            }
            #expect(argument.kind != "flag" || flag.count == 1, "\(name): \(word) is a flag and takes no value")
        }
    }
}
