import NIOCore
import NIOHTTP1
import StatusLabCore

/// One connection: NIO's HTTP/1.1 parser reads the requests (RFC 9112 framing, chunked bodies,
/// Content-Length with Transfer-Encoding and bad lengths refused), this handler answers each
/// on the connection's event loop through `ServiceFront`, and writes the response as one
/// buffer (`ResponseBytes`). Responses go out in request order, so pipelined requests are
/// fine; while the peer does not read what we write we stop reading from it.
///
/// Connection rules (RFC 9112 §9): after a request with `Connection: close` (or an HTTP/1.0
/// one without keep-alive) nothing more is read or answered; a peer that half-closes gets
/// every queued response before the connection ends; a request refused for its size or
/// syntax is answered, its remaining bytes are read and dropped within a bound, and only then
/// does the connection close, so the client can read the answer rather than meet a reset.
final class ServiceChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = Never
    typealias OutboundOut = ByteBuffer

    private enum State {
        /// Between requests.
        case idle
        /// Reading a request's content.
        case reading(ServiceFront.Incoming)
        /// The request was answered before its content arrived (refused); what remains of it is
        /// read and dropped, then the connection closes.
        case discarding(dropped: Int)
        /// The last response is written; nothing more is read or answered.
        case closing
    }

    let front: ServiceFront
    let idleTimeout: TimeAmount
    /// How much of a refused request's content is read and dropped before closing anyway, and
    /// for how long.
    static let discardLimit = 1024 * 1024
    static let lingerTime = TimeAmount.seconds(2)

    private var state = State.idle
    private var keepAlive = true
    private var readWhenWritable = false
    private var lastActivity = NIODeadline.now()
    private var idleCheck: Scheduled<Void>?
    private var quiescing = false

    /// The current request's first line as it arrived, for telling a 400 from a 501.
    let requestLines: RequestLineSniffer?

    init(front: ServiceFront, idleTimeout: TimeAmount, requestLines: RequestLineSniffer? = nil) {
        self.front = front
        self.idleTimeout = idleTimeout
        self.requestLines = requestLines
    }

    // MARK: Requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastActivity = .now()
        let part = unwrapInboundIn(data)
        switch (state, part) {
        case (.closing, _):
            return
        case (.discarding(let dropped), .body(let buffer)):
            let total = dropped + buffer.readableBytes
            if total > Self.discardLimit { close(context) } else { state = .discarding(dropped: total) }
        case (.discarding, .end):
            close(context)
        case (.discarding, .head), (.reading, .head):
            close(context)  // the parser does not let this happen
        case (.idle, .head(let head)):
            started(head, context: context)
        case (.reading(var request), .body(let buffer)):
            state = .idle  // keeps the body array uniquely referenced while it grows
            if !request.contentTooLarge, request.body.count + buffer.readableBytes > front.limits.maxBodyBytes {
                request.contentTooLarge = true
                request.body = []
            }
            if !request.contentTooLarge { request.body.append(contentsOf: buffer.readableBytesView) }
            state = .reading(request)
        case (.reading(let request), .end):
            state = .idle
            requestLines?.nextRequest()
            respond(front.answer(request), version: request.version, context: context)
        case (.idle, .body), (.idle, .end):
            return
        }
    }

    private func started(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        keepAlive = head.isKeepAlive
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(head.headers.count)
        var headerBytes = 0
        for (name, value) in head.headers {
            headers.append((name, value))
            headerBytes += name.utf8.count + value.utf8.count + 4
        }
        var request = ServiceFront.Incoming(method: head.method.rawValue, target: head.uri, headers: headers, body: [],
                                            version: (head.version.major, head.version.minor))
        request.headersTooLarge = headerBytes > front.limits.maxHeaderBytes
        if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > front.limits.maxBodyBytes {
            request.contentTooLarge = true
        }
        let expectsContinue = request.acceptsInterimResponses && head.headers.first(name: "expect")?.lowercased() == "100-continue"
        // Before reading content the client waits to send, or content too large to keep: if
        // the request is refused whatever its content, the refusal goes now instead of 100
        // Continue, and the content is dropped.
        if request.contentTooLarge || expectsContinue, let refusal = front.refusalBeforeContent(request) {
            respond(refusal, version: request.version, context: context, contentFollows: true)
            return
        }
        state = .reading(request)
        if expectsContinue {
            // RFC 9110 §10.1.1: an HTTP/1.0 request's 100-continue is ignored.
            var interim = context.channel.allocator.buffer(capacity: 32)
            ResponseBytes.writeHead(InterimResponse(status: 100, headers: []), into: &interim)
            context.writeAndFlush(wrapOutboundOut(interim), promise: nil)
        }
    }

    /// Writes `outgoing`; `contentFollows` when the request's content has not been read (it is
    /// dropped, then the connection closes).
    private func respond(_ outgoing: ServiceFront.Outgoing, version: (major: Int, minor: Int), context: ChannelHandlerContext,
                         contentFollows: Bool = false) {
        let closes = !keepAlive || quiescing || contentFollows || outgoing.response.connectionCloses
        var buffer = context.channel.allocator.buffer(capacity: ResponseBytes.estimatedSize(of: outgoing))
        ResponseBytes.write(outgoing, closes: closes, http10: version == (1, 0), into: &buffer)
        guard closes else {
            context.write(wrapOutboundOut(buffer), promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        if contentFollows {
            state = .discarding(dropped: 0)
            scheduleLinger(context)
        } else {
            close(context)
        }
    }

    /// Ends the connection once everything written has gone: the write side first, then, a
    /// little later or when the peer closes its side, the rest (RFC 9112 §9.6's lingering
    /// close: a peer still sending would otherwise get a reset instead of its answer).
    private func close(_ context: ChannelHandlerContext) {
        if case .closing = state { return }
        state = .closing
        let channel = context.channel
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: done)
        done.futureResult.whenComplete { _ in
            channel.close(mode: .output, promise: nil)
            channel.eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
        }
    }

    private func scheduleLinger(_ context: ChannelHandlerContext) {
        let channel = context.channel
        context.eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
        context.fireChannelReadComplete()
    }

    // MARK: Back-pressure

    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable { context.read() } else { readWhenWritable = true }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, readWhenWritable {
            readWhenWritable = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Idle connections and shutdown

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { scheduleIdleCheck(context: context, at: .now() + idleTimeout) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if idleCheck == nil { scheduleIdleCheck(context: context, at: .now() + idleTimeout) }
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        idleCheck = nil
    }

    /// One timer per connection, moved along rather than reset on every read: when it fires it
    /// closes the connection if nothing has arrived for `idleTimeout`, mid-request or not (a
    /// client that stops halfway through a body is idle too).
    private func scheduleIdleCheck(context: ChannelHandlerContext, at deadline: NIODeadline) {
        idleCheck = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            let due = lastActivity + idleTimeout
            if due <= .now() {
                idleCheck = nil
                context.close(promise: nil)
            } else {
                scheduleIdleCheck(context: context, at: max(due, .now() + .milliseconds(100)))
            }
        }
    }

    /// A request NIO's parser rejects (a malformed request line or field, a bad Content-Length,
    /// Content-Length beside Transfer-Encoding, a header section over its limit, a method it
    /// does not know) is answered as the `status` diagram says (400, 431, or 501), and the
    /// connection ends: what follows on it cannot be trusted. Any other error ends it at once.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch state {
        case .closing, .discarding: return
        case .idle, .reading: break
        }
        guard let parseError = error as? HTTPParserError else {
            context.close(promise: nil)
            return
        }
        // NIO calls both `BREW / HTTP/1.1` and `THIS IS NOT HTTP` an invalid method; only the
        // first is a request line, whose method this server does not implement.
        let requestLine = requestLines.map { RequestLine.isWellFormed($0.line, complete: $0.complete) } ?? true
        let methodUnknown = parseError == .invalidMethod && requestLine
        let why = parseError == .invalidMethod && !requestLine
            ? "The request line is not `METHOD /target HTTP/1.1` (RFC 9112 §3)." : "NIO's HTTP/1.1 parser refused the message: \(parseError)."
        // The target of a request line whose method is unknown still says whose it is (a room's
        // personal base URL), so it is kept.
        let target = methodUnknown ? requestLines.flatMap { line in
            line.line.split(separator: UInt8(ascii: " ")).dropFirst().first.map { String(decoding: $0, as: UTF8.self) }
        } : nil
        let outgoing = front.answerUnparseable(headersTooLarge: parseError == .headerOverflow, methodUnknown: methodUnknown, why: why,
                                               target: target)
        keepAlive = false
        respond(outgoing, version: (1, 1), context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            // The peer has sent all it will send: every complete request has been answered, so
            // the connection ends once what is queued has been written.
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).whenComplete { _ in
                channel.close(promise: nil)
            }
            return
        }
        if event is ChannelShouldQuiesceEvent {
            // Between requests, close now; in the middle of one, after its response.
            if case .idle = state { context.close(promise: nil) } else { quiescing = true }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

extension ServiceResponse {
    /// The response asks for the connection to be closed (a request refused for its size or
    /// syntax: what follows it cannot be trusted).
    var connectionCloses: Bool {
        headers.contains { $0.name.equalsIgnoringASCIICase("Connection") && $0.value.equalsIgnoringASCIICase("close") }
    }
}

/// A response as bytes on the wire (RFC 9112 §4, §5): interim responses, the status line, the
/// header fields, an empty line, the content as `Framing` allows; one buffer, so that it
/// leaves in one piece. The status line always says HTTP/1.1, the version this server
/// conforms to, whatever 1.x the request used (RFC 9112 §2.3).
enum ResponseBytes {
    /// `HTTP/1.1 401 Unauthorized\r\n` for every code, as the registry names it.
    private static let statusLines: [[UInt8]] = (100..<600).map { Array("HTTP/1.1 \(StatusRegistry.statusText($0))\r\n".utf8) }

    static func write(_ outgoing: ServiceFront.Outgoing, closes: Bool, http10: Bool, into buffer: inout ByteBuffer) {
        let response = outgoing.response
        for interim in response.interim { writeHead(interim, into: &buffer) }
        writeStatusLine(response.status, into: &buffer)
        outgoing.forEachHeader { writeField($0, $1, into: &buffer) }
        if closes {
            if !response.connectionCloses { writeField("Connection", "close", into: &buffer) }
        } else if http10 {
            writeField("Connection", "keep-alive", into: &buffer)
        }
        buffer.writeStaticString("\r\n")
        if outgoing.framing.sendsContent { buffer.writeBytes(response.body) }
    }

    /// A 1xx response: status line and fields, never content.
    static func writeHead(_ interim: InterimResponse, into buffer: inout ByteBuffer) {
        writeStatusLine(interim.status, into: &buffer)
        for (name, value) in interim.headers { writeField(name, value, into: &buffer) }
        buffer.writeStaticString("\r\n")
    }

    static func writeStatusLine(_ status: Int, into buffer: inout ByteBuffer) {
        if (100..<600).contains(status) {
            buffer.writeBytes(statusLines[status - 100])
        } else {
            buffer.writeString("HTTP/1.1 \(status) \r\n")
        }
    }

    static func writeField(_ name: String, _ value: String, into buffer: inout ByteBuffer) {
        buffer.writeString(name)
        buffer.writeStaticString(": ")
        buffer.writeString(value)
        buffer.writeStaticString("\r\n")
    }

    /// Enough for the whole response in most cases, so the buffer is not grown while written.
    static func estimatedSize(of outgoing: ServiceFront.Outgoing) -> Int {
        var size = 96 + outgoing.date.utf8.count + outgoing.response.body.count + outgoing.response.interim.count * 96
        for (name, value) in outgoing.response.headers { size += name.utf8.count + value.utf8.count + 4 }
        return size
    }
}
