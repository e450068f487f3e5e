import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import StatusLabCore
import Synchronization

/// The live server's connections. Hummingbird's own HTTP/1.1 channel hands each request to a
/// Swift Concurrency task and back through two more codecs; on this project's 2-core machine
/// that costs several times what the service itself does (docs/BENCHMARKS.md). The service is
/// synchronous, so this channel answers on the event loop: NIO's HTTP/1.1 codec, then
/// `ServiceChannelHandler`. Hummingbird still runs the server around it: binding, accepting,
/// graceful shutdown.
struct ServiceChildChannel: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        let channel: any Channel
    }

    let fronts: FrontsByLoop
    let connections: OpenConnections
    let idleTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let front = fronts.front(for: channel.eventLoop)
        return channel.eventLoop.makeCompletedFuture {
            // NIO's parser reads the requests; ServiceChannelHandler writes each response as
            // one buffer itself (see `ResponseBytes`), so NIO's encoder is not in the pipeline.
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
            try pipeline.addHandler(ServiceChannelHandler(front: front, idleTimeout: idleTimeout))
            connections.add(channel)  // once the handler is there to hear a close
            return Value(channel: channel)
        }
    }

    /// Waits for the connection to close; `OpenConnections` closes it when the server stops.
    func handle(value: Value, logger: Logger) async {
        try? await value.channel.closeFuture.get()
    }
}

/// The server's open connections, which it closes when it stops by cancellation. A connection
/// is answered on its event loop from the moment it is set up, possibly before Hummingbird's
/// task for it exists, so the connections are reached from here rather than through those tasks.
final class OpenConnections: Sendable {
    private let state = Mutex<(channels: [ObjectIdentifier: any Channel], closing: Bool)>(([:], false))

    /// Records a connection; one set up after `closeAll` (the server is stopping) closes at once.
    func add(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let closing = state.withLock { state in
            if !state.closing { state.channels[id] = channel }
            return state.closing
        }
        if closing { Self.close(channel); return }
        channel.closeFuture.whenComplete { [weak self] _ in _ = self?.state.withLock { $0.channels.removeValue(forKey: id) } }
    }

    /// Each connection closes at once when idle, else after the response it is writing.
    func closeAll() {
        let open = state.withLock { state in
            state.closing = true
            return Array(state.channels.values)
        }
        for channel in open { Self.close(channel) }
    }

    private static func close(_ channel: any Channel) {
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
    }
}

/// Collects one request at a time (head, body up to the limit, end), answers it through
/// `ServiceFront`, and writes the response. Responses go out in request order, so pipelined
/// requests are fine, and while the peer does not read what we write we stop reading from it.
/// It also closes connections that stay idle, and idle connections when the server shuts down.
final class ServiceChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = Never
    typealias OutboundOut = ByteBuffer

    let front: ServiceFront
    let idleTimeout: TimeAmount
    private var incoming: ServiceFront.Incoming?
    private var keepAlive = true
    private var version = HTTPVersion.http1_1
    private var readWhenWritable = false
    private var lastActivity = NIODeadline.now()
    private var idleCheck: Scheduled<Void>?
    private var quiescing = false
    /// A parse error has been answered; the connection is closing.
    private var failed = false

    init(front: ServiceFront, idleTimeout: TimeAmount) {
        self.front = front
        self.idleTimeout = idleTimeout
    }

    // MARK: Requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastActivity = .now()
        switch unwrapInboundIn(data) {
        case .head(let head):
            keepAlive = head.isKeepAlive
            version = head.version
            var headers: [(name: String, value: String)] = []
            headers.reserveCapacity(head.headers.count)
            for (name, value) in head.headers { headers.append((name, value)) }
            var request = ServiceFront.Incoming(method: head.method.rawValue, target: head.uri, headers: headers, body: [])
            request.takesInterim = head.version != .http1_0
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > front.limits.maxBodyBytes {
                // Refused before the body is read: 413 now, and the connection closes.
                request.bodyTooLarge = true
                respond(to: request, context: context)
                return
            }
            incoming = request
            // RFC 9110 §10.1.1: an HTTP/1.0 request's 100-continue is ignored.
            if request.takesInterim, head.headers.first(name: "expect")?.lowercased() == "100-continue" {
                var interim = context.channel.allocator.buffer(capacity: 32)
                ResponseBytes.writeStatusLine(100, version: head.version, into: &interim)
                interim.writeStaticString("\r\n")
                context.writeAndFlush(wrapOutboundOut(interim), promise: nil)
            }
        case .body(let buffer):
            guard var request = incoming, !request.bodyTooLarge else { return }
            incoming = nil  // keeps the body array uniquely referenced while it grows
            if request.body.count + buffer.readableBytes > front.limits.maxBodyBytes {
                request.bodyTooLarge = true
                request.body = []
            } else {
                request.body.append(contentsOf: buffer.readableBytesView)
            }
            incoming = request
        case .end:
            guard let request = incoming else { return }
            incoming = nil
            respond(to: request, context: context)
        }
    }

    private func respond(to request: ServiceFront.Incoming, context: ChannelHandlerContext) {
        let outgoing = front.answer(request)
        let response = outgoing.response
        let asked = response.connectionCloses
        let closes = !keepAlive || quiescing || asked
        var buffer = context.channel.allocator.buffer(capacity: ResponseBytes.estimatedSize(of: outgoing))
        for interim in response.interim {
            ResponseBytes.writeStatusLine(interim.status, version: version, into: &buffer)
            for (name, value) in interim.headers { ResponseBytes.writeField(name, value, into: &buffer) }
            buffer.writeStaticString("\r\n")
        }
        ResponseBytes.writeStatusLine(response.status, version: version, into: &buffer)
        outgoing.forEachHeader { ResponseBytes.writeField($0, $1, into: &buffer) }
        if closes {
            if !asked { ResponseBytes.writeField("Connection", "close", into: &buffer) }
        } else if version == .http1_0 {
            ResponseBytes.writeField("Connection", "keep-alive", into: &buffer)
        }
        buffer.writeStaticString("\r\n")
        buffer.writeBytes(response.body)
        if closes {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
        } else {
            context.write(wrapOutboundOut(buffer), promise: nil)
        }
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

    /// A request NIO's parser rejects gets 400 and the connection ends: what follows on it
    /// cannot be trusted. (NIO's own error handler does the same, at the cost of one more
    /// handler that every request and response passes through.) Any other error ends it too.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError, !failed else {
            context.close(promise: nil)
            return
        }
        failed = true
        incoming = nil
        var buffer = context.channel.allocator.buffer(capacity: 64)
        ResponseBytes.writeStatusLine(400, version: .http1_1, into: &buffer)
        ResponseBytes.writeField("Connection", "close", into: &buffer)
        ResponseBytes.writeField("Content-Length", "0", into: &buffer)
        buffer.writeStaticString("\r\n")
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Hummingbird's server allows half-closure: a client that has sent all it will send
        // (a shutdown of its side) has had every complete request answered already, so the
        // connection ends, after a flush (what a peer that does not read leaves queued is lost).
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.flush()
            context.close(promise: nil)
            return
        }
        if event is ChannelShouldQuiesceEvent {
            // Between requests, close now; in the middle of one, after its response.
            if incoming == nil { context.close(promise: nil) } else { quiescing = true }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

extension ServiceResponse {
    /// The response asks for the connection to be closed (413 and 431 do, as the rest of the
    /// request cannot be trusted).
    var connectionCloses: Bool {
        headers.contains { $0.name.equalsIgnoringASCIICase("Connection") && $0.value.equalsIgnoringASCIICase("close") }
    }
}

/// A response as bytes on the wire (RFC 9112 §4, §5): the status line, the header fields, an
/// empty line, the body; written into one buffer so that it leaves in one piece. The fields are
/// already checked (`ServiceFront`) and framed (Content-Length, or a closing connection).
enum ResponseBytes {
    /// `401 Unauthorized\r\n`, after the version, for every code: RFC 9110's names, as the
    /// registry has them ("413 Content Too Large", "418 Unused"), else NIO's, else none.
    private static let statusLines: [[UInt8]] = (100..<600).map { code in
        var phrase = StatusRegistry.lookup(code)?.reason ?? HTTPResponseStatus(statusCode: code).reasonPhrase
        if phrase.hasPrefix("("), phrase.hasSuffix(")") { phrase = String(phrase.dropFirst().dropLast()) }
        return Array("\(code) \(phrase)\r\n".utf8)
    }

    static func writeStatusLine(_ status: Int, version: HTTPVersion, into buffer: inout ByteBuffer) {
        if version == .http1_1 {
            buffer.writeStaticString("HTTP/1.1 ")
        } else {
            buffer.writeString("HTTP/\(version.major).\(version.minor) ")
        }
        if (100..<600).contains(status) {
            buffer.writeBytes(statusLines[status - 100])
        } else {
            buffer.writeString("\(status) \r\n")
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
        var size = 64 + outgoing.date.utf8.count + outgoing.response.body.count + outgoing.response.interim.count * 96
        for (name, value) in outgoing.response.headers { size += name.utf8.count + value.utf8.count + 4 }
        return size
    }
}
