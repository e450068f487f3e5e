import ArgumentParser
import Foundation
import StatusLabCheck
import StatusLabCore

/// `statuslab check PLAN.yaml`: grades the status codes of an API a learner wrote.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Grade the status codes of an API you wrote, by the decision model, from a YAML plan.",
        discussion: """
            The plan names the API's base URL, credentials (bearer, basic or cookie; expired: true), \
            resources (path, allow: [names], hidden: true, public: true, methods: [GET, …]) and a \
            missing path. Each resource is asked for with no credentials, malformed and wrong \
            ones, and each named credential; every answer is held to the auth diagram. Exit 1 on \
            any failure, 2 on a bad plan (file:line: message). See docs/CHECK.md.
            """
    )

    @Argument(help: ArgumentHelp("The plan.", valueName: "plan.yaml")) var plan: String
    @Option(help: ArgumentHelp("text, json or junit.", valueName: "format")) var format: CheckReport.Format = .text
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let text: String
        do { text = try String(contentsOfFile: plan, encoding: .utf8) } catch {
            Output.error("statuslab: \(plan): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let parsed: CheckPlan
        do { parsed = try CheckPlan.parse(text) } catch {
            Output.error("\(plan):\(error.line): \(error.message)")
            throw ExitCode(2)
        }
        let library = try options.loadLibrary()
        guard let auth = library.diagram("auth") else {
            Output.error("statuslab: the content has no `auth` diagram to judge by.")
            throw ExitCode(2)
        }
        let results = await APICheck(plan: parsed, auth: auth).run()
        print(CheckReport.render(results, format: format, base: parsed.base), terminator: "")
        if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
}

extension CheckReport.Format: ExpressibleByArgument {}
