import ArgumentParser
import Foundation
import StatusLabCore
import StatusLabServer
import StatusLabClient

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the mock server in the foreground, for curl and workshops.",
        discussion: "GET / on the server lists the endpoints, the demo users and tokens, the policies and curl lines. Ctrl-C stops it."
    )

    @Option(help: "The address to listen on. Anything but loopback exposes the (public) demo credentials.")
    var host = "127.0.0.1"

    @OptionGroup var listening: PortOption

    @Flag(help: "Hide forbidden resources as 404 by default.") var hide = false
    @Flag(name: .customLong("login-401"), help: "Answer browsers that are not logged in with 401 instead of a redirect.") var login401 = false
    @Flag(name: .customLong("no-describe"), help: "Leave error_description out of refusals.") var noDescribe = false

    @Flag(help: "Print no line per request on stderr.") var quiet = false

    @Option(help: ArgumentHelp("Write every exchange to this file as JSON lines (replacing it), for `statuslab judge` and `lab --open`.",
                               valueName: "file"))
    var record: String?

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let port = listening.port
        let library = try options.loadLibrary()
        let diagrams: ServerDiagrams
        do {
            diagrams = try ServerWiring.diagrams(library)
        } catch {
            Output.error("statuslab: \(error).")
            throw ExitCode(1)
        }
        if !["127.0.0.1", "::1", "localhost"].contains(host) {
            Output.error("statuslab: warning: listening on \(host). The demo users and tokens are public: anyone who can reach this address can use them.")
        }
        let recorder: TrafficRecorder?
        do { recorder = try record.map(TrafficRecorder.init(path:)) } catch {
            let folder = URL(fileURLWithPath: record ?? "").deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            let why = FileManager.default.fileExists(atPath: record ?? "", isDirectory: &isFolder) && isFolder.boolValue ? "it is a folder"
                : !FileManager.default.fileExists(atPath: folder) ? "the folder \(folder) does not exist"
                : !FileManager.default.isWritableFile(atPath: folder) ? "the folder \(folder) is not writable" : error.localizedDescription.trimmingCharacters(in: CharacterSet(charactersIn: "."))
            Output.error("statuslab: cannot record to \(record ?? ""): \(why).")
            throw ExitCode(1)
        }
        let policies = Policies(hideForbidden: hide, loginByRedirect: !login401, describeErrors: !noDescribe)
        // A recording keeps more exchanges between two reads, so that a burst is not lost.
        let server = ServerWiring.server(diagrams, host: host, port: port, policies: policies, logCapacity: recorder == nil ? 500 : 20_000)
        // The lines of new exchanges, a batch a tenth of a second: one write for many requests,
        // and nothing for the server to do per request (what the log no longer holds is
        // counted instead). The recording is written the same way; the last batch after a stop.
        let lines = Task { [quiet] in
            guard !quiet || recorder != nil else { return }
            await server.log.follow { exchanges, missed in Self.write(exchanges, missed: missed, quiet: quiet, recorder: recorder) }
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
        await lines.value
        if let recorder, let record { Output.error("statuslab: \(recorder.count) exchanges recorded in \(record)") }
    }

    /// Writes the log lines of a batch of exchanges (and a count of those the log no longer
    /// held) in one write, and records them.
    static func write(_ exchanges: [Exchange], missed: Int, quiet: Bool, recorder: TrafficRecorder?) {
        if !quiet {
            let lines = (missed > 0 ? ["… \(missed) more requests, too many to show"] : []) + exchanges.map(\.line)
            Output.error(lines.joined(separator: "\n"))
        }
        if let recorder {
            if missed > 0 { Output.error("statuslab: \(missed) exchanges came too fast to record") }
            recorder.write(exchanges.map(LiveLabBackend.entry))
        }
    }
}
