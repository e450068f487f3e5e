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
    private let running = Mutex<MockServer?>(nil)
    /// How many screens use the server (the Exercises screen and a Lab opened from it share one).
    private let users = Mutex(0)
    let client: LabClient

    public init(diagrams: ServerDiagrams, port: Int = 8401, tls: TLSOptions = TLSOptions()) {
        self.client = LabClient(tls: tls)
        self.diagrams = diagrams
        self.port = port
    }

    /// Starts the server on `port`, or on a free port when that one is taken; a server already
    /// running for another screen is shared.
    public func startServer() async -> LabServerState {
        users.withLock { $0 += 1 }
        if let port = running.withLock({ $0?.boundPort }) { return .running(url: "http://127.0.0.1:\(port)", note: nil) }
        func start(_ port: Int) async throws -> Int {
            let server = MockServer(service: MockService(diagrams: diagrams), port: port)
            let bound = try await server.start()
            running.withLock { $0 = server }
            return bound
        }
        do {
            return .running(url: "http://127.0.0.1:\(try await start(port))", note: nil)
        } catch MockServer.Failure.portInUse where port != 0 {
            do {
                let bound = try await start(0)
                return .running(url: "http://127.0.0.1:\(bound)",
                                note: "Port \(port) is taken by another program; the built-in server is on port \(bound) instead.")
            } catch {
                return .failed("\(error)")
            }
        } catch {
            return .failed("\(error)")
        }
    }

    /// The running server's URL, if it runs.
    public var serverURL: String? { running.withLock { $0?.boundPort } .map { "http://127.0.0.1:\($0)" } }

    /// Stops the server whoever uses it: the interface is ending.
    public func shutdown() async {
        users.withLock { $0 = 0 }
        let server = running.withLock { state in defer { state = nil }; return state }
        await server?.stop()
    }

    /// Stops the server once the last screen using it has let go.
    public func stopServer() async {
        let last = users.withLock { count in
            count = max(count - 1, 0)
            return count == 0
        }
        guard last else { return }
        let server = running.withLock { state in defer { state = nil }; return state }
        await server?.stop()
    }

    public func logEntries(after number: Int, limit: Int) -> (entries: [LabLogEntry], missed: Int) {
        guard let log = running.withLock({ $0?.log }) else { return ([], 0) }
        let (exchanges, missed) = log.entries(after: number)
        let kept = exchanges.suffix(limit)
        return (kept.map(Self.entry), missed + exchanges.count - kept.count)
    }

    public static func entry(_ exchange: Exchange) -> LabLogEntry {
        LabLogEntry(number: exchange.number, date: exchange.date, method: exchange.method, target: exchange.target,
                    status: exchange.status, interim: exchange.interim.map(\.status), decision: exchange.decision,
                    requestHeaders: exchange.requestHeaders.map { .init(name: $0.name, value: $0.value) },
                    responseHeaders: exchange.responseHeaders.map { .init(name: $0.name, value: $0.value) },
                    bodyPrefix: exchange.bodyPrefix, responseContent: exchange.content, duration: exchange.duration)
    }

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
