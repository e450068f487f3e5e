import ArgumentParser
import StatusLabClient
import StatusLabCore

struct ContentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "content",
        abstract: "Work with content folders.",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate a content folder: every registered code, links, spec references, required fields.",
            discussion: "Problems are printed as file:line: message and the exit status is 1. With no folder, checks the built-in content (or --content). Each `claim:` (what a page or an exercise says the built-in server answers) is then sent to that server, started on a free loopback port, and a claim the server contradicts is a problem too."
        )

        @Argument(help: ArgumentHelp("The content folder to check.", valueName: "dir"))
        var directory: String?

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let folder = directory ?? options.contentDirectory
            let files = try ContentLoading.files(from: folder)
            let report = ContentValidator().check(files)
            let name = folder ?? "built-in content"
            func place(_ text: String) -> String { folder.map { "\($0.hasSuffix("/") ? String($0.dropLast()) : $0)/\(text)" } ?? text }
            var problems = report.diagnostics.map { place($0.description) }
            // Prose that runs: only content that passed its checks can drive the server.
            if problems.isEmpty, let library = report.library {
                do { problems = try await ClaimReplay.drifts(in: library).map { place($0.description) } }
                catch { problems = ["the built-in server could not start to replay the claims: \(error)"] }
            }
            guard problems.isEmpty else {
                for problem in problems { print(problem) }
                Output.error("\(name): \(problems.count) problem\(problems.count == 1 ? "" : "s")")
                throw ExitCode(1)
            }
            let claims = report.library?.claims.count ?? 0
            print("\(name): ok — \(report.counts); \(claims) claim\(claims == 1 ? "" : "s") borne out by the server")
        }
    }
}
