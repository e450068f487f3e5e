import Foundation
import Hummingbird
import Logging
import NIOCore
import StatusLabCore
import Synchronization

/// The mock server: Hummingbird plumbing around `MockService`. It can run in the foreground
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

    func application(onStarted: @escaping @Sendable (Int) async -> Void)
        -> Application<ServiceResponder> {
        Application(
            responder: ServiceResponder(service: service, log: log, maxBody: limits.maxBodyBytes, maxHeaders: limits.maxHeaderBytes),
            server: .http1(configuration: .init(idleTimeout: limits.idleTimeout)),
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
    public func run(onStarted: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onStarted: onStarted).run()
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully.
    public func runUntilSignalled(onStarted: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onStarted: onStarted).runService()
    }
}

/// Turns Hummingbird requests into `ServiceRequest`s and back, timing and logging each.
struct ServiceResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let service: MockService
    let log: ExchangeLog
    let maxBody: Int
    let maxHeaders: Int

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        var request = request
        var query: [(name: String, value: String)] = []
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            query.append((parts[0], parts.count > 1 ? parts[1] : ""))
        }
        let headers = request.headers.map { (name: $0.name.rawName, value: $0.value) }
        var serviceResponse: ServiceResponse
        var body: [UInt8] = []
        let headerBytes = headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
        do {
            guard headerBytes <= maxHeaders else {
                throw HeadersTooLarge()
            }
            let buffer = try await request.collectBody(upTo: maxBody)
            body = Array(buffer: buffer)
            var serviceRequest = ServiceRequest(method: request.method.rawValue, path: request.uri.path,
                                                query: query, headers: headers, body: body)
            serviceRequest.target = request.uri.description
            serviceResponse = service.respond(serviceRequest)
        } catch is HeadersTooLarge {
            serviceResponse = service.problem(431, "The header fields come to \(headerBytes) bytes; this server accepts \(maxHeaders).",
                                              extra: [("Connection", "close")])
        } catch {
            serviceResponse = service.problem(413, "The body is larger than this server accepts (\(maxBody) bytes).",
                                              extra: [("Connection", "close")])
        }
        var fields = HTTPFields()
        for (name, value) in serviceResponse.headers {
            if let fieldName = HTTPFields.Element.Name(name) { fields.append(HTTPFields.Element(name: fieldName, value: value)) }
        }
        fields[.date] = httpDate(Date())
        let response = Response(status: .init(code: serviceResponse.status), headers: fields,
                                body: serviceResponse.body.isEmpty ? .init() : .init(byteBuffer: ByteBuffer(bytes: serviceResponse.body)))
        let target = request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path
        log.record(Exchange(number: log.nextNumber(), date: Date(), method: request.method.rawValue, target: target,
                            requestHeaders: headers, bodyPrefix: String(decoding: body.prefix(512), as: UTF8.self),
                            status: serviceResponse.status, responseHeaders: serviceResponse.headers,
                            decision: serviceResponse.decision, duration: ContinuousClock.now - started))
        return response
    }
}

/// An IMF-fixdate, as the Date header wants it (RFC 9110 §5.6.7), formatted once a second.
func httpDate(_ date: Date) -> String {
    let second = Int(date.timeIntervalSince1970)
    if let cached = dateCache.withLock({ $0.second == second ? $0.text : nil }) { return cached }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    let text = formatter.string(from: date)
    dateCache.withLock { $0 = (second, text) }
    return text
}

private let dateCache = Mutex<(second: Int, text: String)>((-1, ""))

struct HeadersTooLarge: Error {}
