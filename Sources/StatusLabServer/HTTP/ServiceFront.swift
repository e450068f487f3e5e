import Foundation
import StatusLabCore
import Synchronization

/// What every way into the service shares, whatever carries the bytes: the size limits, the
/// split of the request target, `MockService` itself, the Date and Content-Length fields, and the
/// exchange log. The event-loop handler (the live server) and `ServiceResponder` (Hummingbird's
/// router, in tests) only translate their types to and from these.
struct ServiceFront: Sendable {
    var service: MockService
    let log: ExchangeLog
    let limits: MockServer.Limits
    /// Each front formats its own Date values (see `FrontsByLoop`).
    var dates = HTTPDates()

    init(service: MockService, log: ExchangeLog, limits: MockServer.Limits) {
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
        /// The body went over `maxBodyBytes`; `body` holds none of it.
        var bodyTooLarge = false
        /// 1xx responses may go to this client: not to an HTTP/1.0 one (RFC 9110 §15.2).
        var takesInterim = true
        var started = ContinuousClock.now
    }

    /// The service's response and the fields the server adds after its headers. Kept apart so
    /// that a cached response goes out without its header list being copied.
    struct Outgoing {
        var response: ServiceResponse
        var date: String
        /// Only where `measuresBody`; HEAD answers carry the GET body's length already.
        var contentLength: String?

        /// Every header field, in the order sent.
        func forEachHeader(_ body: (String, String) -> Void) {
            for (name, value) in response.headers { body(name, value) }
            body("Date", date)
            if let contentLength { body("Content-Length", contentLength) }
        }
    }

    /// The response to send, after recording the exchange.
    func answer(_ incoming: Incoming) -> Outgoing {
        let headerBytes = incoming.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
        var response: ServiceResponse
        if headerBytes > limits.maxHeaderBytes {
            response = service.problem(431, "The header fields come to \(headerBytes) bytes; this server accepts \(limits.maxHeaderBytes).",
                                       extra: [("Connection", "close")])
        } else if incoming.bodyTooLarge {
            response = service.problem(413, "The body is larger than this server accepts (\(limits.maxBodyBytes) bytes).",
                                       extra: [("Connection", "close")])
        } else {
            let (path, query) = Self.split(target: incoming.target)
            response = service.respond(ServiceRequest(method: incoming.method, path: path, query: query,
                                                      headers: incoming.headers, body: incoming.body, target: incoming.target))
        }
        if !incoming.takesInterim { response.interim = [] }
        if !response.fieldsChecked, !response.headersAreValid {
            // A server bug, not the client's: say so rather than send a broken response.
            response = service.problem(500, "This server built a response with a malformed header field; nothing was sent of it.")
        }
        let now = Date()
        let outgoing = Outgoing(response: response, date: dates.text(for: now),
                                contentLength: response.measuresBody && response.header("Content-Length") == nil ? String(response.body.count) : nil)
        log.record(Exchange(date: now, method: incoming.method, target: incoming.target,
                            requestHeaders: incoming.headers, bodyPrefix: String(decoding: incoming.body.prefix(512), as: UTF8.self),
                            status: response.status, serviceHeaders: response.headers, dateField: outgoing.date,
                            contentLength: outgoing.contentLength, interim: response.interim, decision: response.decision,
                            duration: ContinuousClock.now - incoming.started))
        return outgoing
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
