/// The part of swift-argument-parser's `--experimental-dump-help` JSON that says which subcommands and
/// options a command takes.
struct CommandToolInfo: Decodable {
    struct Command: Decodable {
        var commandName: String
        var subcommands: [Command]?
        var arguments: [Argument]?

        /// The argument a long name (`metrics-port` for `--metrics-port`) belongs to.
        func argument(long name: String) -> Argument? {
            arguments?.first { $0.names?.contains { $0.kind == "long" && $0.name == name } == true }
        }
    }

    struct Argument: Decodable {
        struct Name: Decodable {
            var kind: String
            var name: String
        }

        /// `option` (takes a value), `flag` or `positional`.
        var kind: String
        var names: [Name]?
    }

    var command: Command
}
