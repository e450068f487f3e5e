import Foundation
import StatusLabCore
import Synchronization

/// What stands between the connection and the service: the size limits, the request-level
/// facts the connection finds (RFC 9112 §3.2's Host rules, the version), the split of the
/// request target, `MockService` itself, the fields the server adds (`Date`, the framing) and
/// the exchange log. The connection handler only translates NIO's parts to and from these.
struct ServiceFront: Sendable {
    let service: any RequestResponder
    let log: ExchangeLog
    let limits: MockServer.Limits
    let dates = HTTPDates()

    init(service: any RequestResponder, log: ExchangeLog, limits: MockServer.Limits) {
        self.service = service
        self.log = log
        self.limits = limits
    }

    /// A request as it came off the wire: the target as sent, the header fields in order.
    struct Incoming {
        var method: String
        var target: String
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        /// The HTTP version of the request line, as major and minor.
        var version = (major: 1, minor: 1)
        /// The content went over `maxBodyBytes`; `body` holds none of it.
        var contentTooLarge = false
        /// The header section went over `maxHeaderBytes` (the service sees no fields then).
        var headersTooLarge = false
        var started = ContinuousClock.now

        /// 1xx responses may go to this client: not to an HTTP/1.0 one (RFC 9110 §15.2).
        var acceptsInterimResponses: Bool { version.major == 1 && version.minor >= 1 }
    }

    /// The service's response and what the server adds, framed for the request's method.
    struct Outgoing {
        var response: ServiceResponse
        var date: String
        var framing: Framing

        /// Every header field, in the order sent.
        func forEachHeader(_ body: (String, String) -> Void) {
            for (name, value) in response.headers { body(name, value) }
            body("Date", date)
            if let length = framing.contentLength { body("Content-Length", length) }
        }
    }

    /// The response to `incoming`, after recording the exchange.
    func answer(_ incoming: Incoming) -> Outgoing {
        var response = service.respond(request(incoming))
        if !incoming.acceptsInterimResponses { response.interim = [] }
        return finish(response, for: incoming)
    }

    /// The refusal `incoming` gets before its content is read, if it gets one (recorded then);
    /// nil when it would be served, so the content is worth reading.
    func refusalBeforeContent(_ incoming: Incoming) -> Outgoing? {
        service.refusalBeforeContent(request(incoming)).map { finish($0, for: incoming) }
    }

    /// The answer to bytes that are not an HTTP/1.1 request: decided by the `status` diagram
    /// like any other request, with what little is known (`method-known` is no for a method
    /// NIO's parser does not know, `headers-too-large` for a header section it refused for its
    /// size, else `request-well-formed` is no).
    /// `target`: the request line's, when it was well formed (only its method is unknown).
    func answerUnparseable(headersTooLarge: Bool, methodUnknown: Bool, why: String, target: String? = nil) -> Outgoing {
        let target = target.flatMap { $0.hasPrefix("/") && $0.utf8.count <= MockService.maxTargetBytes ? $0 : nil }
        var incoming = Incoming(method: methodUnknown ? "(unknown)" : "GET", target: target ?? "/", headers: [], body: [])
        incoming.headersTooLarge = headersTooLarge
        var request = request(incoming)
        request.malformed = why
        return finish(service.respond(request), for: incoming, logTarget: target ?? "(unparseable)")
    }

    private func request(_ incoming: Incoming) -> ServiceRequest {
        let (path, query) = Self.split(target: incoming.target)
        var request = ServiceRequest(method: incoming.method, path: path, query: query,
                                     headers: incoming.headersTooLarge ? [] : incoming.headers, body: incoming.body,
                                     target: incoming.target)
        request.headersTooLarge = incoming.headersTooLarge
        request.contentTooLarge = incoming.contentTooLarge
        request.malformed = Self.malformed(incoming)
        return request
    }

    private func finish(_ response: ServiceResponse, for incoming: Incoming, logTarget: String? = nil) -> Outgoing {
        var response = response
        if !response.fieldsChecked, !response.headersAreValid {
            // A server bug, not the client's: say so rather than send a broken response.
            response = .serverBug("This server built a response with a malformed header field; nothing was sent of it.\n")
        }
        let now = Date()
        let outgoing = Outgoing(response: response, date: dates.text(for: now),
                                framing: Framing(status: response.status, method: incoming.method, bodyCount: response.body.count))
        log.record(Exchange(date: now, method: incoming.method, target: logTarget ?? incoming.target,
                            requestHeaders: incoming.headers, bodyPrefix: String(decoding: incoming.body.prefix(512), as: UTF8.self),
                            status: response.status, serviceHeaders: response.headers, dateField: outgoing.date,
                            contentLength: outgoing.framing.contentLength,
                            content: !outgoing.framing.sendsContent ? []
                                : response.body.count <= ExchangeLog.contentLimit ? response.body : Array(response.body.prefix(ExchangeLog.contentLimit)),
                            interim: response.interim, decision: response.decision,
                            duration: ContinuousClock.now - incoming.started))
        return outgoing
    }

    /// What makes the message itself malformed, beyond what NIO's parser refuses: RFC 9112
    /// §3.2 (an HTTP/1.1 request carries exactly one Host, and a valid one) and §2.3 (only
    /// HTTP/1.x is spoken on this connection).
    static func malformed(_ incoming: Incoming) -> String? {
        guard incoming.version.major == 1 else {
            return "HTTP/\(incoming.version.major).\(incoming.version.minor) is not a version this server speaks over HTTP/1.1 framing."
        }
        var host: String? = nil
        var hosts = 0
        for field in incoming.headers where field.name.equalsIgnoringASCIICase("Host") {
            hosts += 1
            host = field.value
        }
        if hosts > 1 { return "The request carries \(hosts) Host header fields; exactly one is allowed (RFC 9112 §3.2)." }
        if let host {
            if !isValidHost(host) { return "`\(host)` is not a valid Host (RFC 9112 §3.2: uri-host, then an optional port)." }
        } else if incoming.version.minor >= 1 {
            return "An HTTP/1.1 request must carry a Host header field (RFC 9112 §3.2)."
        }
        return nil
    }

    /// `uri-host [ ":" port ]` (RFC 3986 §3.2.2): a reg-name or IPv4 address, or an IP literal in
    /// brackets; empty is allowed (a URI without authority). Checked on the bytes: this runs on
    /// every request.
    static func isValidHost(_ value: String) -> Bool {
        var bytes = Substring(value).utf8[...]
        func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        func isPort(_ rest: Substring.UTF8View.SubSequence) -> Bool {
            rest.isEmpty || (rest.first == UInt8(ascii: ":") && rest.dropFirst().allSatisfy(isDigit))
        }
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = bytes[bytes.index(after: bytes.startIndex)..<close]
            let hex = { (byte: UInt8) in isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20) }
            guard !literal.isEmpty, literal.allSatisfy({ hex($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else { return false }
            return isPort(bytes[bytes.index(after: close)...])
        }
        if let colon = bytes.lastIndex(of: UInt8(ascii: ":")) {
            guard isPort(bytes[colon...]) else { return false }
            bytes = bytes[..<colon]
        }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            default: "-._~!$&'()*+,;=%".utf8.contains(byte)
            }
        }
    }

    /// The path and the decoded query of a request target: origin form (`/a?b=c`), or absolute
    /// form (`http://host/a?b=c`, as sent to proxies), whose path starts after the authority.
    static func split(target: String) -> (path: String, query: [(name: String, value: String)]) {
        var rest = Substring(target)
        if rest.utf8.first != UInt8(ascii: "/"), let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(where: { $0 == "/" || $0 == "?" }).map { rest[$0...] } ?? ""
        }
        let question = rest.utf8.firstIndex(of: UInt8(ascii: "?"))  // bytes: no grapheme breaking
        let path = question.map { rest[..<$0] } ?? rest
        let query = question.map { FormEncoding.pairs(rest[rest.index(after: $0)...]) } ?? []
        return (path.isEmpty ? "/" : String(path), query)
    }
}

/// How a response's content is framed on the wire: the one place the rules live.
/// - A response to HEAD carries no content, whatever its status (RFC 9110 §9.3.2); its
///   Content-Length is the one a GET would get (§8.6).
/// - 1xx, 204 and 304 carry no content and no Content-Length (RFC 9110 §15.2, §15.3.5,
///   §15.4.5; §8.6 forbids it on 1xx and 204).
/// - 205 carries no content (RFC 9110 §15.3.6), framed as `Content-Length: 0`.
/// - Everything else is framed by Content-Length (RFC 9112 §6.3); the server never chunks.
struct Framing: Sendable {
    /// Whether the body goes on the wire.
    let sendsContent: Bool
    let contentLength: String?

    init(status: Int, method: String, bodyCount: Int) {
        let bodiless = status < 200 || status == 204 || status == 304
        sendsContent = !bodiless && status != 205 && method != "HEAD"
        contentLength = bodiless ? nil : status == 205 ? "0" : String(bodyCount)
    }
}

/// IMF-fixdates, as the Date header wants them (RFC 9110 §5.6.7), formatted once a second.
final class HTTPDates: Sendable {
    private let cache = Mutex<(second: Int, text: String)>((-1, ""))

    func text(for date: Date) -> String {
        let second = Int(date.timeIntervalSince1970)
        if let cached = cache.withLock({ $0.second == second ? $0.text : nil }) { return cached }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let text = formatter.string(from: date)
        cache.withLock { $0 = (second, text) }
        return text
    }
}
