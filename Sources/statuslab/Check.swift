import ArgumentParser
import Foundation
import StatusLabCheck
import StatusLabClient
import StatusLabCore

/// `statuslab check [PLAN.yaml] [--openapi SPEC]`: grades the status codes of an API.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Grade the status codes of an API by the decision model, from a YAML plan or its OpenAPI document.",
        discussion: """
            A plan names the API's base URL, credentials (bearer, basic, cookie or apikey; expired: \
            true; scheme: and scopes: for a spec), resources (path, allow: [names], hidden: true, \
            public: true, methods: [GET, …]), a missing path and params: { name: value }. With \
            --openapi the spec gives the operations, their security and documented responses, and \
            the plan is optional. Each resource is asked for with no credentials, malformed and \
            wrong ones, each named credential (and one that lacks the scopes), GET also as HEAD (with a spec, once an operation); \
            every answer is held to the auth diagram. Only safe methods are sent unless --unsafe, \
            and even then only with credentials that must be refused: never with one that could \
            succeed. Exit 1 on any failure, 2 on a bad plan or spec. See docs/CHECK.md.
            """
    )

    @Argument(help: ArgumentHelp("The plan (optional with --openapi).", valueName: "plan.yaml")) var plan: String?
    @Option(help: ArgumentHelp("The API's OpenAPI 3.0 or 3.1 document: a YAML or JSON file, or an http(s):// URL.", valueName: "spec"))
    var openapi: String?
    @Option(help: ArgumentHelp("The API's base URL (default: the plan's base, else the spec's first server).", valueName: "url"))
    var base: String?
    @Flag(help: "Send unsafe methods (POST, PUT, PATCH, DELETE) too, only with credentials that must be refused.") var unsafe = false
    @Flag(name: .customLong("dry-run"), help: "List the requests and what each should get; send nothing.") var dryRun = false
    @Option(help: ArgumentHelp("Requests in flight at once (1 to 64).", valueName: "n")) var concurrency = 4
    @Option(help: ArgumentHelp("At most this many requests a second, for an API you do not own.", valueName: "r")) var rate: Double?
    @Option(help: ArgumentHelp("text, json or junit.", valueName: "format")) var format: CheckReport.Format = .text
    @OptionGroup var tls: TLSFlags
    @OptionGroup var options: GlobalOptions

    func validate() throws {
        guard plan != nil || openapi != nil else { throw ValidationError("Give a plan, an OpenAPI document (--openapi SPEC), or both.") }
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency takes 1 to 64, not \(concurrency).") }
        if let rate, !(rate > 0) { throw ValidationError("--rate takes a number of requests a second above 0.") }
        if openapi == nil, unsafe || dryRun { throw ValidationError("--unsafe and --dry-run go with --openapi.") }
    }

    func run() async throws {
        var parsed: CheckPlan?
        if let plan {
            let text: String
            do { text = try String(contentsOfFile: plan, encoding: .utf8) } catch {
                Output.error("statuslab: \(plan): \(error.localizedDescription)")
                throw ExitCode(2)
            }
            do { parsed = try CheckPlan.parse(text, forSpec: openapi != nil) } catch {
                Output.error("\(plan):\(error.line): \(error.message)")
                throw ExitCode(2)
            }
        }
        let library = try options.loadLibrary()
        guard let auth = library.diagram("auth") else {
            Output.error("statuslab: the content has no `auth` diagram to judge by.")
            throw ExitCode(2)
        }
        // Said before any request is sent, as `serve` says it before listening.
        let unknown = AuthFacts.unknown(in: auth)
        guard unknown.isEmpty else {
            Output.error("statuslab: the auth diagram asks about facts check cannot know: \(unknown.joined(separator: ", ")).")
            throw ExitCode(2)
        }
        guard let openapi else {
            let plan = parsed!
            let results = await APICheck(plan: plan, auth: auth, client: LabClient(tls: tls.options)).run()
            print(CheckReport.render(results, format: format, base: plan.base, insecure: tls.insecure), terminator: "")
            if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
            return
        }
        if tls.insecure { Output.error("statuslab: " + TLSOptions.insecureWarning) }
        let spec = try await Self.loadSpec(openapi, tls: tls.options)
        let plan = parsed ?? (try? CheckPlan.parse("{}", forSpec: true))!
        guard let base = Self.base(given: base ?? (plan.base.isEmpty ? nil : plan.base), spec: spec, source: openapi) else {
            Output.error("statuslab: no base URL: the spec names no absolute server. Give one with --base http://… or base: in the plan.")
            throw ExitCode(2)
        }
        let check = SpecCheck(spec: spec, plan: plan, base: base, auth: auth,
                              options: SpecCheck.Options(unsafe: unsafe, concurrency: concurrency, rate: rate))
        if dryRun {
            let (probes, skipped) = check.probes()
            for probe in probes {
                let expected = probe.facts.compactMap { try? DecisionEngine.decide(auth, facts: $0).outcome }
                print("\(probe.name) → " + expected.map { "\($0.status) (\($0.label))" }.joined(separator: " or "))
            }
            for skip in skipped { print("not probed: \(skip.operation): \(skip.reason)") }
            print("\(probes.count) requests, and each GET operation once more as HEAD; nothing sent")
            return
        }
        let report = await check.run(client: LabClient(tls: tls.options))
        print(report.render(format, insecure: tls.insecure), terminator: "")
        if report.failed { throw ExitCode(1) }
    }

    static func loadSpec(_ source: String, tls: TLSOptions) async throws -> APISpec {
        do { return try await APISpec.load(source, client: LabClient(tls: tls)) } catch {
            Output.error("statuslab: \(source): \(error.message)")
            throw ExitCode(2)
        }
    }

    /// The base URL: the one given, else the spec's first absolute server, else (for a spec
    /// fetched from a URL) its first server read against that URL, or the URL's origin.
    static func base(given: String?, spec: APISpec, source: String) -> String? {
        if let given { return given }
        if let absolute = spec.servers.first(where: { $0.hasPrefix("http://") || $0.hasPrefix("https://") }) { return absolute }
        guard let url = URL(string: source), let scheme = url.scheme, let host = url.host, scheme.hasPrefix("http") else { return nil }
        let origin = "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
        return origin + (spec.servers.first.map { $0 == "/" ? "" : $0 } ?? "")
    }
}

extension CheckReport.Format: ExpressibleByArgument {}
