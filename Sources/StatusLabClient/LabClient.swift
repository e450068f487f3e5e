import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import StatusLabCore
import StatusLabServer
import Synchronization

/// The Lab's HTTP client: SwiftNIO's HTTP/1.1 client codec, with a handler below it that keeps
/// every byte as it crosses the socket, so the Lab shows the wire as it was, not as re-printed.
/// One connection per exchange (`Connection: close`), bounded in time and in size; https under
/// TLS, the wire recorded above it (the HTTP bytes, not the ciphertext).
public struct LabClient: Sendable {
    /// A response larger than this is cut off (the start is kept and shown).
    public var maxResponseBytes = 4 * 1024 * 1024
    public var timeout: TimeAmount = .seconds(10)
    public var tls = TLSOptions()

    public init(tls: TLSOptions = TLSOptions()) { self.tls = tls }

    /// Sends `request`: with Digest, a first exchange for the challenge and a second that answers
    /// it, as `curl --digest` does; with a form login, the login first, then the request with
    /// the session cookie it set. `base` is the built-in server's URL, for paths.
    public func send(_ request: LabRequest, base: String?) async -> LabResult {
        let date = Date()
        let target: LabRequest.Target
        do {
            target = try request.target(base: base)
        } catch {
            return LabResult(request: request, url: request.url, exchanges: [
                WireExchange(sent: [], received: [], response: nil, failure: error.description, duration: .zero),
            ], date: date)
        }
        var headers = request.headerLines
        var exchanges: [WireExchange] = []
        if case .formLogin(let user, let password) = request.credentials {
            let form = "user=\(Self.formEncode(user))&password=\(Self.formEncode(password))"
            let login = await exchange(method: "POST", target: LabRequest.Target(host: target.host, port: target.port, target: "/app/login"),
                                       headers: [.init(name: "Content-Type", value: "application/x-www-form-urlencoded")], body: Array(form.utf8))
            exchanges.append(login)
            let cookies = CookieJar().receiving(login.response?.headers("Set-Cookie") ?? [])
            if let line = cookies.header { headers.append(.init(name: "Cookie", value: line)) }
        }
        var first = await exchange(method: request.method, target: target, headers: headers, body: Array(request.body.utf8))
        if case .digest(let user, let password) = request.credentials, first.response?.status == 401,
           let challenge = first.response?.headers("WWW-Authenticate").first(where: { $0.lowercased().hasPrefix("digest ") }) {
            exchanges.append(first)
            guard let answer = DigestAuth.answer(challenge: challenge, method: request.method, target: target.target,
                                                 body: Array(request.body.utf8), user: user, password: password) else {
                first.failure = "the Digest challenge names an algorithm or qop the Lab cannot answer"
                exchanges[exchanges.count - 1] = first
                return LabResult(request: request, url: target.url, exchanges: exchanges, date: date)
            }
            first = await exchange(method: request.method, target: target, headers: headers + [.init(name: "Authorization", value: answer)],
                                   body: Array(request.body.utf8))
        }
        exchanges.append(first)
        var note: String? = target.secure && tls.insecure ? TLSOptions.insecureWarning : nil
        if case .digest = request.credentials, exchanges.count == 1 {
            // As curl --digest: without a Digest challenge there is nothing to answer, so the
            // request went without credentials. Say so rather than let it look like a Digest try.
            let offered = first.response?.headers("WWW-Authenticate").compactMap { $0.split(separator: " ").first.map(String.init) } ?? []
            note = (note.map { $0 + ". " } ?? "") + "No Digest challenge came back" + (offered.isEmpty ? "" : " (the server offers \(offered.joined(separator: ", ")))")
                + ", so the request went without credentials, as curl --digest does."
        }
        return LabResult(request: request, url: target.url, exchanges: exchanges, date: date, note: note)
    }

    static func formEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// One request on a connection of its own.
    public func exchange(method: String, target: LabRequest.Target, headers: [LabRequest.Header], body: [UInt8]) async -> WireExchange {
        let started = ContinuousClock.now
        let recorder = WireRecorder(limit: maxResponseBytes)
        let collector = ResponseCollector()
        var context: NIOSSLContext?
        if target.secure {
            do { context = try TLS.context(tls) } catch {
                return WireExchange(sent: [], received: [], response: nil, failure: error.description, duration: .zero)
            }
        }
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let context {
                        try pipeline.addHandler(NIOSSLClientHandler(context: context, serverHostname: TLS.serverHostname(target.host)))
                    }
                    try pipeline.addHandler(recorder)
                    try pipeline.addHTTPClientHandlers(leftOverBytesStrategy: .forwardBytes)
                    try pipeline.addHandler(collector)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: target.host, port: target.port).get()
        } catch {
            return WireExchange(sent: [], received: [], response: nil, failure: Self.describe(connectError: error, target),
                                duration: ContinuousClock.now - started)
        }
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: target.target)
        head.headers.add(name: "Host", value: target.authority)
        for header in headers { head.headers.add(name: header.name, value: header.value) }
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) { head.headers.add(name: "Content-Length", value: "\(body.count)") }
        head.headers.add(name: "Connection", value: "close")
        let timeout = self.timeout
        let timer = channel.eventLoop.scheduleTask(in: timeout) { collector.timedOut(channel) }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if !body.isEmpty { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil) }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        let outcome = (try? await collector.result.futureResult.get())
            ?? ResponseCollector.Outcome(response: nil, failure: "the connection ended without an answer")
        timer.cancel()
        channel.close(promise: nil)
        let wire = recorder.recorded
        var failure = outcome.failure
        if case .verify? = outcome.tls {
            failure = await TLS.diagnose(target, options: tls, timeout: timeout)
        }
        if wire.truncated {
            let size = maxResponseBytes >= 1024 * 1024 ? "\(maxResponseBytes / (1024 * 1024)) MiB" : "\(maxResponseBytes / 1024) KiB"
            failure = "the response is larger than \(size); the Lab shows its first \(size) and closed the connection"
        }
        return WireExchange(sent: wire.sent, received: wire.received, response: outcome.response, failure: failure,
                            duration: ContinuousClock.now - started, truncated: wire.truncated)
    }

    static func describe(connectError error: any Error, _ target: LabRequest.Target) -> String {
        if let io = error as? IOError, io.errnoCode == ECONNREFUSED {
            return "connection refused: nothing listens on \(target.authority)"
        }
        if case ChannelError.connectTimeout = error {
            return "no connection to \(target.authority) within the time limit"
        }
        if let failed = error as? NIOConnectionError {
            if let first = failed.connectionErrors.first { return describe(connectError: first.error, target) }
            if failed.dnsAError != nil || failed.dnsAAAAError != nil { return "the host \(target.host) could not be found" }
        }
        return "could not connect to \(target.authority): \(error)"
    }
}

/// Every byte that crosses the socket, both ways, up to a bound for what comes in (past it the
/// connection is closed and the exchange marked as cut off).
final class WireRecorder: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct Recorded { var sent: [UInt8] = []; var received: [UInt8] = []; var truncated = false }
    private let limit: Int
    private let state = Mutex(Recorded())

    init(limit: Int) { self.limit = limit }

    var recorded: Recorded { state.withLock { $0 } }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let limit = self.limit
        let over = state.withLock { state -> Bool in
            guard !state.truncated else { return true }
            let room = limit - state.received.count
            state.received += buffer.readableBytesView.prefix(room)
            if buffer.readableBytes > room { state.truncated = true }
            return state.truncated
        }
        if over {
            context.fireErrorCaught(ResponseCollector.TooLarge())
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        state.withLock { $0.sent += buffer.readableBytesView }
        context.write(data, promise: promise)
    }
}

/// Collects the parsed response (1xx first, then the final one) and ends with it, or with what
/// went wrong.
final class ResponseCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    struct TooLarge: Error {}
    struct Outcome { var response: WireResponse?; var failure: String?; var tls: TLS.Failure? = nil }

    private(set) var result: EventLoopPromise<Outcome>! = nil
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []
    private var interim: [Int] = []
    private var done = false

    func handlerAdded(context: ChannelHandlerContext) {
        result = context.eventLoop.makePromise()
    }

    /// A channel that never connected is torn down without going inactive: the promise still ends.
    func handlerRemoved(context: ChannelHandlerContext) {
        finish(Outcome(response: partial, failure: "the connection ended without an answer"))
    }

    private func finish(_ outcome: Outcome) {
        guard !done else { return }
        done = true
        result.succeed(outcome)
    }

    private var partial: WireResponse? {
        head.map { head in
            WireResponse(version: "HTTP/\(head.version.major).\(head.version.minor)", status: Int(head.status.code), reason: head.status.reasonPhrase,
                         headers: head.headers.map { WireResponse.Field(name: $0.name, value: $0.value) }, body: body, interim: interim)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let received):
            if received.status.code < 200 { interim.append(Int(received.status.code)); return }
            head = received
        case .body(let buffer):
            body += buffer.readableBytesView
        case .end:
            if head != nil { finish(Outcome(response: partial, failure: nil)) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let failure = TLS.failure(error) {
            if case .other(let text) = failure {
                finish(Outcome(response: partial, failure: text, tls: failure))
            } else {
                finish(Outcome(response: partial, failure: "the certificate did not check out", tls: failure))
            }
        } else if error is TooLarge {
            finish(Outcome(response: partial, failure: nil))
        } else if let parse = error as? HTTPParserError, parse == .invalidEOFState {
            finish(Outcome(response: partial, failure: head == nil
                ? "the server closed the connection in the middle of the response's head"
                : "the server closed the connection in the middle of the response"))
        } else if error is HTTPParserError {
            finish(Outcome(response: partial, failure: "the answer is not well-formed HTTP/1.1 (\(error))"))
        } else {
            finish(Outcome(response: partial, failure: "the connection failed: \(error)"))
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(Outcome(response: partial, failure: head == nil
            ? "the server closed the connection without an answer"
            : "the server closed the connection in the middle of the response"))
        context.fireChannelInactive()
    }

    func timedOut(_ channel: any Channel) {
        finish(Outcome(response: partial, failure: "no complete answer within the time limit"))
        channel.close(promise: nil)
    }
}
