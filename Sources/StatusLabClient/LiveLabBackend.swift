import Foundation
import StatusLabCore
import StatusLabServer
import Synchronization

/// The Lab's real world: the built-in server (SwiftNIO, in this process, writing nothing to the
/// screen) and the NIO client.
public final class LiveLabBackend: LabBackend {
    let diagrams: ServerDiagrams
    /// The port to try first (8401); 0 picks a free one.
    let port: Int
    let client: LabClient

    /// Where the server is, and how many screens hold it (the Exercises screen and a Lab opened
    /// from it share one), under one lock: a start and a stop may run in any order on any
    /// thread, and the count is balanced rather than clamped, so a stop that comes before its
    /// start (Lab opened and left at once) leaves the start nothing to do.
    private let state = Mutex<(holders: Int, phase: Phase, generation: Int)>((0, .stopped, 0))

    private enum Phase {
        case stopped
        /// A start in flight; a stop meanwhile makes it stop the server it made.
        case starting(generation: Int, Task<LabServerState, Never>)
        case running(MockServer, LabServerState)
    }

    public init(diagrams: ServerDiagrams, port: Int = 8401, tls: TLSOptions = TLSOptions()) {
        self.client = LabClient(tls: tls)
        self.diagrams = diagrams
        self.port = port
    }

    /// Starts the server on `port`, or on a free port when that one is taken; a server already
    /// running (or starting) for another screen is shared.
    public func startServer() async -> LabServerState {
        let task: Task<LabServerState, Never> = state.withLock { state in
            state.holders += 1
            guard state.holders > 0 else { return Task { LabServerState.stopped } }
            switch state.phase {
            case .running(_, let running): return Task { running }
            case .starting(_, let task): return task
            case .stopped:
                state.generation += 1
                let generation = state.generation
                let task = Task { await self.bind(generation) }
                state.phase = .starting(generation: generation, task)
                return task
            }
        }
        return await task.value
    }

    /// Binds a server for the start numbered `generation`; keeps it only if no stop came since.
    private func bind(_ generation: Int) async -> LabServerState {
        func start(_ port: Int) async throws -> (MockServer, Int) {
            let server = ServerWiring.server(diagrams, port: port)
            return (server, try await server.start())
        }
        let made: (server: MockServer, state: LabServerState)
        do {
            let (started, bound) = try await start(port)
            made = (started, .running(url: "http://127.0.0.1:\(bound)", note: nil))
        } catch MockServer.Failure.portInUse where port != 0 {
            do {
                let (started, bound) = try await start(0)
                made = (started, .running(url: "http://127.0.0.1:\(bound)",
                                          note: "Port \(port) is taken by another program; the built-in server is on port \(bound) instead."))
            } catch {
                return finish(generation, .failed("\(error)"))
            }
        } catch {
            return finish(generation, .failed("\(error)"))
        }
        let kept = state.withLock { state -> Bool in
            guard case .starting(let current, _) = state.phase, current == generation, state.holders > 0 else { return false }
            state.phase = .running(made.server, made.state)
            return true
        }
        if kept { return made.state }
        await made.server.stop()
        return .stopped
    }

    /// A start that made no server ends: nothing runs.
    private func finish(_ generation: Int, _ result: LabServerState) -> LabServerState {
        state.withLock { state in
            if case .starting(let current, _) = state.phase, current == generation { state.phase = .stopped }
        }
        return result
    }

    /// The running server's URL, if it runs.
    public var serverURL: String? { running?.boundPort.map { "http://127.0.0.1:\($0)" } }

    private var running: MockServer? {
        state.withLock { state in if case .running(let server, _) = state.phase { server } else { nil } }
    }

    /// Stops the server whoever uses it: the interface is ending.
    public func shutdown() async {
        let phase = state.withLock { state in
            defer { (state.holders, state.phase) = (0, .stopped) }
            return state.phase
        }
        await stop(phase)
    }

    /// Stops the server once the last screen using it has let go; a start still in flight is
    /// waited for, and stops the server it made.
    public func stopServer() async {
        let phase = state.withLock { state -> Phase in
            state.holders -= 1
            guard state.holders <= 0 else { return .stopped }
            defer { state.phase = .stopped }
            return state.phase
        }
        await stop(phase)
    }

    private func stop(_ phase: Phase) async {
        switch phase {
        case .stopped: break
        case .starting(_, let task): _ = await task.value
        case .running(let server, _): await server.stop()
        }
    }

    public func logEntries(after number: Int, limit: Int) -> (entries: [LabLogEntry], missed: Int) {
        guard let log = running?.log else { return ([], 0) }
        let (exchanges, missed) = log.entries(after: number)
        let kept = exchanges.suffix(limit)
        return (kept.map(Self.entry), missed + exchanges.count - kept.count)
    }

    public static func entry(_ exchange: Exchange) -> LabLogEntry { exchange.labEntry }

    public func send(_ request: LabRequest, base: String?) async -> LabResult {
        await client.send(request, base: base)
    }

    public var presets: [LabPreset] { Self.demoPresets }

    /// The demo world's credentials, one key each.
    public static let demoPresets: [LabPreset] = {
        var presets = [LabPreset(key: "0", label: "none", credentials: .none)]
        var key = 1
        func add(_ label: String, _ credentials: LabRequest.Credentials) {
            presets.append(LabPreset(key: Character("\(key)"), label: label, credentials: credentials))
            key += 1
        }
        for user in DemoWorld.users { add("Basic as \(user.name) (\(user.role)\(user.blocked ? ", blocked" : ""))", .basic(user: user.name, password: user.password)) }
        add("Basic as alice, wrong password", .basic(user: "alice", password: "wrong"))
        add("a malformed Authorization (Basic, not base64)", .header("Basic !!!not-base64"))
        for token in DemoWorld.tokens { add("Bearer \(token.value) (\(token.state.rawValue))", .header("Bearer \(token.value)")) }
        presets.append(LabPreset(key: "t", label: "Bearer a token the server never issued", credentials: .header("Bearer not-a-real-token")))
        presets.append(LabPreset(key: "w", label: "a browser session: log in as alice through the form first", credentials: .formLogin(user: "alice", password: "wonderland")))
        presets.append(LabPreset(key: "d", label: "Digest as alice (answered as curl --digest does)", credentials: .digest(user: "alice", password: "wonderland")))
        return presets
    }()

    public var routes: [String] { MockService.routePaths }
}
