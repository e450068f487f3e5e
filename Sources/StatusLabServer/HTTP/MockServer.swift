import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import StatusLabCore
import Synchronization

/// The mock server: Hummingbird's server (binding, accepting, graceful shutdown) with each
/// connection answered on its event loop by `ServiceChildChannel`. It can run in the foreground
/// (`statuslab serve`, which owns SIGINT/SIGTERM) or inside another program (the TUI), where it
/// installs no signal handlers and logs only to the logger it is given.
public final class MockServer: Sendable {
    public struct Limits: Sendable {
        public var maxBodyBytes = 64 * 1024
        /// Header fields larger than this in all get 431 (NIO's parser refuses far larger ones
        /// before they reach the service).
        public var maxHeaderBytes = 16 * 1024
        public var idleTimeout: TimeAmount = .seconds(30)
        public init() {}
    }

    public let service: MockService
    public let log: ExchangeLog
    let host: String
    let port: Int
    let limits: Limits
    let logger: Logger

    public init(service: MockService, host: String = "127.0.0.1", port: Int = 8401, limits: Limits = Limits(),
                log: ExchangeLog = ExchangeLog(), logger: Logger) {
        self.service = service
        self.host = host
        self.port = port
        self.limits = limits
        self.log = log
        self.logger = logger
    }

    func application(connections: OpenConnections = OpenConnections(), onStarted: @escaping @Sendable (Int) async -> Void)
        -> Application<ServiceResponder> {
        let front = ServiceFront(service: service, log: log, limits: limits)
        let idleTimeout = limits.idleTimeout
        return Application(
            responder: ServiceResponder(front: front),
            // Connections are answered on their event loops; the responder serves `.router` tests.
            server: HTTPServerBuilder { _ in
                ServiceChildChannel(fronts: FrontsByLoop(front), connections: connections, idleTimeout: idleTimeout)
            },
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onStarted(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    private let running = Mutex<Task<Void, any Error>?>(nil)

    /// Starts serving in the background and returns the bound port once it listens (the TUI's
    /// way in). Errors such as a port in use are thrown here.
    public func start() async throws -> Int {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { [self] in
            defer { continuation.finish() }
            try await run { port in continuation.yield(port) }
        }
        running.withLock { $0 = task }
        var iterator = ports.makeAsyncIterator()
        if let port = await iterator.next() { return port }
        try await task.value
        throw CancellationError()
    }

    /// Stops a server started with `start` and waits until it has closed.
    public func stop() async {
        guard let task = running.withLock({ state in defer { state = nil }; return state }) else { return }
        task.cancel()
        _ = try? await task.value
    }

    /// Serves until the task is cancelled. `onStarted` gets the bound port (useful with port 0).
    /// Open connections close when it stops.
    public func run(onStarted: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await serve(onStarted: onStarted) { try await $0.run() }
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully.
    public func runUntilSignalled(onStarted: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await serve(onStarted: onStarted) { try await $0.runService() }
    }

    /// Runs the application with `run`, closing its open connections if cancelled (Hummingbird's
    /// graceful shutdown closes them on a signal) and whichever remain when it returns.
    private func serve(onStarted: @escaping @Sendable (Int) async -> Void,
                       _ run: (Application<ServiceResponder>) async throws -> Void) async throws {
        let connections = OpenConnections()
        defer { connections.closeAll() }
        try await withTaskCancellationHandler {
            try await run(application(connections: connections, onStarted: onStarted))
        } onCancel: {
            connections.closeAll()
        }
    }
}

/// Hummingbird's router way in, which HummingbirdTesting's `.router` tests use: translates a
/// Hummingbird request to `ServiceFront` and back. The live server answers on the event loop
/// instead (`ServiceChildChannel`); both end in the same `ServiceFront.answer`.
struct ServiceResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let front: ServiceFront

    func respond(to request: Request, context: Context) async throws -> Response {
        var headers: [(name: String, value: String)] = []
        if let authority = request.head.authority { headers.append(("Host", authority)) }
        for field in request.headers { headers.append((field.name.rawName, field.value)) }
        var incoming = ServiceFront.Incoming(method: request.method.rawValue, target: request.uri.description, headers: headers, body: [])
        var request = request
        do {
            incoming.body = Array(buffer: try await request.collectBody(upTo: front.limits.maxBodyBytes))
        } catch {
            incoming.bodyTooLarge = true
        }
        let outgoing = front.answer(incoming)
        let response = outgoing.response  // its `interim` 1xx responses are lost here: the router cannot send them
        var fields = HTTPFields()
        outgoing.forEachHeader { name, value in
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return Response(status: .init(code: response.status), headers: fields,
                        body: response.body.isEmpty ? .init() : .init(byteBuffer: ByteBuffer(bytes: response.body)))
    }
}

/// One front per event loop, each with its own response cache and Date formatter, so that the
/// loops do not share (and bounce between cores) those locks and the refusals' reference
/// counts: that sharing cost more than the whole decision (docs/BENCHMARKS.md). Sessions,
/// digest nonces and the log stay shared.
final class FrontsByLoop: Sendable {
    private let base: ServiceFront
    private let fronts = Mutex<[ObjectIdentifier: ServiceFront]>([:])

    init(_ base: ServiceFront) { self.base = base }

    func front(for loop: any EventLoop) -> ServiceFront {
        fronts.withLock { fronts in
            if let front = fronts[ObjectIdentifier(loop)] { return front }
            var front = base
            front.service = base.service.with(policies: base.service.policies, cache: ResponseCache())
            front.dates = HTTPDates()
            fronts[ObjectIdentifier(loop)] = front
            return front
        }
    }
}
