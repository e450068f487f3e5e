import Dispatch
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The mock server: SwiftNIO's server bootstrap, each connection answered on its event loop by
/// `ServiceChannelHandler` behind NIO's HTTP/1.1 parser. It runs in the foreground
/// (`statuslab serve`, `runUntilSignalled`) or inside another program (the TUI: `start` and
/// `stop`), where it installs no signal handlers and writes nothing anywhere.
public final class MockServer: Sendable {
    public struct Limits: Sendable {
        public var maxBodyBytes = 64 * 1024
        /// Header fields larger than this in all get 431 (NIO's parser refuses a header section
        /// over 80 KiB before it reaches the service; that gets 431 too).
        public var maxHeaderBytes = 16 * 1024
        public var idleTimeout: TimeAmount = .seconds(30)
        public init() {}
    }

    public enum Failure: Error, CustomStringConvertible {
        case portInUse(host: String, port: Int)
        case cannotListen(host: String, port: Int, reason: String)

        public var description: String {
            switch self {
            case .portInUse(let host, let port): "port \(port) on \(host) is already in use"
            case .cannotListen(let host, let port, let reason): "the server could not listen on \(host):\(port): \(reason)"
            }
        }
    }

    public let service: MockService
    /// What answers requests: `service`, or a front of its (a room).
    let responder: any RequestResponder
    public let log: ExchangeLog
    let host: String
    let port: Int
    let limits: Limits

    public init(service: MockService, responder: (any RequestResponder)? = nil, host: String = "127.0.0.1", port: Int = 8401,
                limits: Limits = Limits(), log: ExchangeLog = ExchangeLog()) {
        self.service = service
        self.responder = responder ?? service
        self.host = host
        self.port = port
        self.limits = limits
        self.log = log
    }

    private let running = Mutex<Task<Void, any Error>?>(nil)
    private let bound = Mutex<Int?>(nil)

    /// The port the server listens on while it runs.
    public var boundPort: Int? { bound.withLock { $0 } }

    /// Starts serving in the background and returns the bound port once it listens (the TUI's
    /// way in). Errors such as a port in use are thrown here. A server runs once: start it
    /// again only after `stop`.
    public func start() async throws -> Int {
        precondition(running.withLock { $0 == nil }, "MockServer.start while it runs")
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

    /// Serves until SIGINT or SIGTERM, then stops as `run` does when cancelled.
    public func runUntilSignalled(onStarted: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        // The signals are watched before the server starts, so that no SIGTERM sent after the
        // ready line (a supervisor, a test) can fall between ignoring it and watching for it;
        // one that comes before the server is up stops it as soon as it is.
        let stop = StopSignal()
        let task = Task { try await run(onStarted: onStarted) }
        stop.whenRaised { task.cancel() }
        try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
        withExtendedLifetime(stop) {}  // its signal sources live until the server has stopped
    }

    /// Serves until the task is cancelled. `onStarted` gets the bound port (useful with port 0).
    /// When it stops, idle connections close at once and busy ones after their response; it
    /// returns when all are closed.
    public func run(onStarted: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let connections = OpenConnections()
        let front = ServiceFront(service: responder, log: log, limits: limits)
        let idleTimeout = limits.idleTimeout
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    let requestLines = RequestLineSniffer()
                    try pipeline.addHandler(requestLines)
                    try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
                    try pipeline.addHandler(ServiceChannelHandler(front: front, idleTimeout: idleTimeout, requestLines: requestLines))
                    connections.add(channel)  // once the handler is there to hear a close
                }
            }
        let listener: any Channel
        do {
            listener = try await bootstrap.bind(host: host, port: port).get()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw Failure.portInUse(host: host, port: port)
        } catch {
            throw Failure.cannotListen(host: host, port: port, reason: "\(error)")
        }
        let port = listener.localAddress?.port ?? 0
        bound.withLock { $0 = port }
        await withTaskCancellationHandler {
            await onStarted(port)
            try? await listener.closeFuture.get()
        } onCancel: {
            listener.close(promise: nil)
        }
        bound.withLock { $0 = nil }
        await connections.closeAll()
    }
}

/// The server's open connections, which it closes when it stops.
final class OpenConnections: Sendable {
    private let state = Mutex<(channels: [ObjectIdentifier: any Channel], closing: Bool)>(([:], false))

    /// Records a connection; one set up after `closeAll` (the server is stopping) closes at once.
    func add(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let closing = state.withLock { state in
            if !state.closing { state.channels[id] = channel }
            return state.closing
        }
        if closing { Self.quiesce(channel); return }
        channel.closeFuture.whenComplete { [weak self] _ in _ = self?.state.withLock { $0.channels.removeValue(forKey: id) } }
    }

    /// Each connection closes at once when idle, else after the response it is writing; returns
    /// when all have closed.
    func closeAll() async {
        let open = state.withLock { state in
            state.closing = true
            return Array(state.channels.values)
        }
        for channel in open { Self.quiesce(channel) }
        for channel in open { try? await channel.closeFuture.get() }
    }

    private static func quiesce(_ channel: any Channel) {
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
    }
}
