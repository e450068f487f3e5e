import ArgumentParser
import Foundation
import StatusLabClient
import StatusLabCore
import StatusLabServer
import StatusLabTUI

struct Lab: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the full-screen interface on the Lab: send requests, see headers, the wire and the decision.",
        discussion: """
            The Lab starts the built-in server on 127.0.0.1 (port 8401, or a free one when that is \
            taken) for as long as it is open; curl it from another terminal and the exchanges appear \
            in the Lab's log. Any http:// URL, such as your own API, can be sent to as well.
            """
    )

    @Option(help: "The port for the built-in server; 0 picks a free one.")
    var port = 8401

    @Option(help: "A path or http:// URL to start the composer with (your own API, say).")
    var url: String?

    @OptionGroup var options: GlobalOptions
    @OptionGroup var interface: InterfaceOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port takes 0 to 65535, not \(port).") }
        if let url, !url.hasPrefix("/") {
            do { _ = try LabRequest(url: url).target(base: nil) } catch { throw ValidationError("--url: \(error.description).") }
        }
    }

    func run() throws {
        let library = try options.loadLibrary()
        let palette = try interface.palette()
        let backend: LiveLabBackend
        do {
            backend = try LabWiring.backend(library: library, port: port)
        } catch {
            Output.error("statuslab: \(error).")
            throw ExitCode(1)
        }
        let screen = LabScreen(backend: backend, library: library, history: LabHistory.store(), url: url)
        try Interface.run(root: screen, startWith: screen.startCommands, lab: backend, palette: palette, mouse: !interface.noMouse)
    }
}

enum LabWiring {
    static func backend(library: ContentLibrary, port: Int) throws -> LiveLabBackend {
        let diagrams = try ServerDiagrams(library)
        let unknown = MockService.unknownFacts(in: diagrams)
        guard unknown.isEmpty else {
            throw ValidationError("the diagrams ask about facts the server cannot work out from a request: " + unknown.joined(separator: ", "))
        }
        return LiveLabBackend(diagrams: diagrams, port: port)
    }

    /// Stops the Lab's server (best effort, a second at most): no port is left listening.
    static func stop(_ backend: LiveLabBackend) {
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            await backend.shutdown()
            done.signal()
        }
        _ = done.wait(timeout: .now() + 1)
    }
}
