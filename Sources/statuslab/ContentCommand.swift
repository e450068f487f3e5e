import ArgumentParser
import StatusLabCore

struct ContentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "content",
        abstract: "Work with content folders.",
        subcommands: [Check.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate a content folder: every registered code, links, spec references, required fields.",
            discussion: "Problems are printed as file:line: message and the exit status is 1. With no folder, checks the built-in content (or --content)."
        )

        @Argument(help: ArgumentHelp("The content folder to check.", valueName: "dir"))
        var directory: String?

        @OptionGroup var options: GlobalOptions

        func run() throws {
            let folder = directory ?? options.contentDirectory
            let files = try ContentLoading.files(from: folder)
            let report = ContentValidator().check(files)
            let name = folder ?? "built-in content"
            guard report.diagnostics.isEmpty else {
                for diagnostic in report.diagnostics {
                    print(folder.map { "\($0.hasSuffix("/") ? String($0.dropLast()) : $0)/\(diagnostic)" } ?? diagnostic.description)
                }
                Output.error("\(name): \(report.diagnostics.count) problem\(report.diagnostics.count == 1 ? "" : "s")")
                throw ExitCode(1)
            }
            print("\(name): ok — \(report.counts)")
        }
    }
}
