import Foundation

/// The repository's Dockerfile split into its stages, with the global `ARG` defaults substituted into the
/// `FROM` lines, as `docker build` does.
struct DockerfileStages {
    struct Stage {
        var image: String
        var name: String?
        /// The instructions after `FROM`, line continuations joined.
        var instructions: [String]
    }

    var arguments: [String: String] = [:]
    var stages: [Stage] = []

    init(text: String) {
        let lines = text.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        for line in lines where !line.isEmpty && !line.hasPrefix("#") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if words[0] == "FROM" {
                var image = words[1]
                for (name, value) in arguments { image = image.replacingOccurrences(of: "${\(name)}", with: value) }
                stages.append(Stage(image: image, name: words.count > 3 ? words[3] : nil, instructions: []))
            } else if stages.isEmpty, words[0] == "ARG", words.count > 1 {
                let parts = line.dropFirst(4).split(separator: "=", maxSplits: 1).map(String.init)
                let value = parts.count > 1 ? parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) : ""
                arguments[parts[0]] = value
            } else if !stages.isEmpty {
                stages[stages.count - 1].instructions.append(line)
            }
        }
    }

    /// The Debian packages a stage installs with `apt-get install`.
    static func aptPackages(_ stage: Stage) -> Set<String> {
        var packages: Set<String> = []
        for instruction in stage.instructions {
            for command in instruction.components(separatedBy: "&&") where command.contains("apt-get") {
                guard let install = command.range(of: "install") else { continue }
                packages.formUnion(
                    command[install.upperBound...].split(separator: " ").map(String.init).filter { !$0.hasPrefix("-") })
            }
        }
        return packages
    }
}
