import ArgumentParser
import Foundation
import StatusLabCore
import StatusLabServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the mock server in the foreground, for curl and workshops.",
        discussion: "GET / on the server lists the endpoints, the demo users and tokens, the policies and curl lines. Ctrl-C stops it."
    )

    @Option(help: "The address to listen on. Anything but loopback exposes the (public) demo credentials.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port = 8401

    @Flag(help: "Hide forbidden resources as 404 by default.") var hide = false
    @Flag(name: .customLong("login-401"), help: "Answer browsers that are not logged in with 401 instead of a redirect.") var login401 = false
    @Flag(name: .customLong("no-describe"), help: "Leave error_description out of refusals.") var noDescribe = false

    @Flag(help: "Print no line per request on stderr.") var quiet = false

    @OptionGroup var options: GlobalOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port takes 0 to 65535, not \(port).") }
    }

    func run() async throws {
        let library = try options.loadLibrary()
        let diagrams: ServerDiagrams
        do {
            diagrams = try ServerDiagrams(library)
        } catch {
            Output.error("statuslab: \(error).")
            throw ExitCode(1)
        }
        let unknown = MockService.unknownFacts(in: diagrams)
        guard unknown.isEmpty else {
            Output.error("statuslab: the diagrams ask about facts the server cannot work out from a request: "
                         + unknown.joined(separator: ", ") + ". The server knows: "
                         + MockService.knownFacts.joined(separator: ", ") + ".")
            throw ExitCode(1)
        }
        if !["127.0.0.1", "::1", "localhost"].contains(host) {
            Output.error("statuslab: warning: listening on \(host). The demo users and tokens are public: anyone who can reach this address can use them.")
        }
        let policies = Policies(hideForbidden: hide, loginByRedirect: !login401, describeErrors: !noDescribe)
        let server = MockServer(service: MockService(diagrams: diagrams, policies: policies), host: host, port: port)
        // The lines of new exchanges, written a tenth of a second at a time: one write for many
        // requests, and nothing at all for the server to do per request (a flood of requests
        // would otherwise cost a wake-up and a write each; what the log no longer holds is
        // counted instead).
        let lines = Task { [quiet] in
            var shown = 0
            while !quiet, !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(100))
                shown = Self.printExchanges(of: server.log, after: shown)
            }
            return shown
        }
        defer { lines.cancel() }
        let host = self.host
        do {
            try await server.runUntilSignalled { port in
                print("StatusLab mock server on http://\(host.contains(":") ? "[\(host)]" : host):\(port)/")
                print("  curl -i http://\(host.contains(":") ? "[\(host)]" : host):\(port)/   lists endpoints, users, tokens and policies")
                print("  Ctrl-C stops it.")
                fflush(nil)
            }
        } catch MockServer.Failure.portInUse {
            Output.error("statuslab: port \(port) on \(host) is already in use. Stop what uses it, or pick another with --port (0 picks a free one).")
            throw ExitCode(1)
        } catch {
            Output.error("statuslab: \(error).")
            throw ExitCode(1)
        }
        // Stopped: the lines of the last exchanges too.
        lines.cancel()
        if !quiet { Self.printExchanges(of: server.log, after: await lines.value) }
    }

    /// Writes the log lines of the exchanges after number `shown` (and a count of those the log
    /// no longer holds) in one write; returns the number of the last one.
    @discardableResult
    static func printExchanges(of log: ExchangeLog, after shown: Int) -> Int {
        let (exchanges, missed) = log.entries(after: shown)
        guard let last = exchanges.last else { return shown }
        let lines = (missed > 0 ? ["… \(missed) more requests, too many to show"] : []) + exchanges.map(\.line)
        Output.error(lines.joined(separator: "\n"))
        return last.number
    }
}

