import ArgumentParser
import Foundation
import StatusLabClient
import StatusLabCore
import StatusLabServer
import StatusLabTUI
import Synchronization

struct Lab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Open the full-screen interface on the Lab: send requests, see headers, the wire and the decision.",
        discussion: """
            The Lab starts the built-in server on 127.0.0.1 (port 8401, or a free one when that is \
            taken) for as long as it is open; curl it from another terminal and the exchanges appear \
            in the Lab's log. Any http:// or https:// URL, such as your own API, can be sent to as well \
            (certificates checked against the system's store, or --cacert FILE). \
            --open FILE judges a recording (as `statuslab judge` does) and shows its exchanges in \
            the log, each finding marked.
            """
    )

    @OptionGroup var listening: PortOption

    @Option(help: "A path or http(s):// URL to start the composer with (your own API, say).")
    var url: String?

    @Option(help: ArgumentHelp("A recording (HAR, or JSON lines from `serve --record`) to judge and show in the log.", valueName: "file"))
    var open: String?

    @OptionGroup var tls: TLSFlags
    @OptionGroup var options: GlobalOptions
    @OptionGroup var interface: InterfaceOptions

    func validate() throws {
        if let url, !url.hasPrefix("/") {
            do { _ = try LabRequest(url: url).target(base: nil) } catch { throw ValidationError("--url: \(error.description).") }
        }
    }

    func run() throws {
        let library = try options.loadLibrary()
        let palette = try interface.palette()
        let backend: LiveLabBackend
        do {
            backend = try LabWiring.backend(library: library, port: listening.port, tls: tls.options)
        } catch {
            Output.error("statuslab: \(error).")
            throw ExitCode(1)
        }
        var opened: (name: String, entries: [LabLogEntry])?
        if let open {
            // Judged before the screen opens: a file that cannot be read is said on the terminal.
            guard let auth = library.diagram("auth") else {
                Output.error("statuslab: the content has no `auth` diagram to judge by.")
                throw ExitCode(2)
            }
            guard let entries = Judge.reading(open, { (data) throws(TrafficFile.Problem) in try TrafficJudge.judgedEntries(data, auth: auth) }) else { throw ExitCode(2) }
            opened = (URL(fileURLWithPath: open).lastPathComponent, entries)
        }
        let screen = LabScreen(backend: backend, library: library, history: LabHistory.store(), url: url, opened: opened)
        try Interface.run(root: screen, lab: backend, palette: palette, mouse: !interface.noMouse)
    }
}

enum LabWiring {
    static func backend(library: ContentLibrary, port: Int, tls: TLSOptions = TLSOptions()) throws -> LiveLabBackend {
        LiveLabBackend(diagrams: try ServerWiring.diagrams(library), port: port, tls: tls)
    }

    /// Stops the Lab's server (best effort, a second at most): no port is left listening.
    static func stop(_ backend: LiveLabBackend) { Sync.wait(upTo: 1) { await backend.shutdown() } }
}

/// The Lab's backend, made the first time it is asked for (by the Lab or the Exercises).
final class LabOnDemand: Sendable {
    private let make: @Sendable () throws -> LiveLabBackend
    private let state = Mutex<LiveLabBackend?>(nil)

    init(_ make: @escaping @Sendable () throws -> LiveLabBackend) { self.make = make }

    /// Makes it now; false when it cannot be made (a content pack the server cannot answer).
    func madeWithoutError() -> Bool { (try? made(orMake: true)) != nil }

    /// The backend, made if need be. Only asked for once it is known to be makeable: for the
    /// built-in content, which the tests serve, or after `madeWithoutError`.
    var value: LiveLabBackend {
        do { return try made(orMake: true)! } catch { fatalError("the Lab's server cannot answer these diagrams: \(error)") }
    }

    /// The backend if it has been made.
    var made: LiveLabBackend? { try? made(orMake: false) }

    private func made(orMake: Bool) throws -> LiveLabBackend? {
        try state.withLock { backend in
            if backend == nil, orMake { backend = try make() }
            return backend
        }
    }
}
