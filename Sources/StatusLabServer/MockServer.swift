import Foundation
import Hummingbird
import Logging
import NIOCore
import StatusLabCore

/// The mock server: Hummingbird plumbing around `MockService`. It can run in the foreground
/// (`statuslab serve`, which owns SIGINT/SIGTERM) or inside another program (the TUI), where it
/// installs no signal handlers and logs only to the logger it is given.
public final class MockServer: Sendable {
    public struct Limits: Sendable {
        public var maxBodyBytes = 64 * 1024
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
            responder: ServiceResponder(service: service, log: log, maxBody: limits.maxBodyBytes),
            server: .http1(configuration: .init(idleTimeout: limits.idleTimeout)),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onStarted(channel.localAddress?.port ?? 0) },
            logger: logger
        )
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
        do {
            let buffer = try await request.collectBody(upTo: maxBody)
            body = Array(buffer: buffer)
            var serviceRequest = ServiceRequest(method: request.method.rawValue, path: request.uri.path,
                                                query: query, headers: headers, body: body)
            serviceRequest.target = request.uri.description
            serviceResponse = service.respond(serviceRequest)
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

/// An IMF-fixdate, as the Date header wants it (RFC 9110 §5.6.7).
func httpDate(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    return formatter.string(from: date)
}
