import Foundation
import StatusLabCore

/// A request as the demo service sees it: no framework types, so the whole service can be
/// tested as a function.
public struct ServiceRequest: Sendable {
    public var method: String
    public var path: String
    /// The request target as sent (path and query), which Digest signs.
    public var target: String
    public var query: [(name: String, value: String)]
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Facts the connection found before the service saw the request: the header section or
    /// the content was larger than the server accepts (neither is then in the request), or
    /// the message was malformed, and why (RFC 9112 §3.2's Host rules, an HTTP version other
    /// than 1.x).
    public var headersTooLarge = false
    public var contentTooLarge = false
    public var malformed: String? = nil

    /// `target` defaults to the path and query put back together.
    public init(method: String, path: String, query: [(name: String, value: String)] = [],
                headers: [(name: String, value: String)] = [], body: [UInt8] = [], target: String? = nil) {
        self.method = method
        self.path = path
        if let target {
            self.target = target
        } else {
            let joined = query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
            self.target = joined.isEmpty ? path : path + "?" + joined
        }
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    public func headers(_ name: String) -> [String] {
        headers.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }

    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// Whether the content is a form (`application/x-www-form-urlencoded`, as `curl -d` sends).
    var hasFormContent: Bool {
        header("Content-Type").map {
            ($0.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces).equalsIgnoringASCIICase("application/x-www-form-urlencoded")
        } ?? false
    }

    /// Cookies sent with the request, by name.
    public var cookies: [String: String] {
        var result: [String: String] = [:]
        for header in headers("Cookie") {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 { result[parts[0]] = parts[1] }
            }
        }
        return result
    }
}

/// A 1xx response, which goes out ahead of the final one on the same request: a status and
/// header fields, never content.
public struct InterimResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
}

/// A response, exactly as it goes on the wire (the server adds Date and Content-Length).
public struct ServiceResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)] {
        didSet { fieldsChecked = false }
    }
    public var body: [UInt8]
    /// 1xx responses sent before this one (RFC 9110 §15.2), such as 103 Early Hints.
    public var interim: [InterimResponse] = []
    /// `headersAreValid` held when the response was cached; any change to the headers clears it.
    var fieldsChecked = false
    /// The decision (`auth: public=no > … > challenge 401`); setting it also sets the
    /// `StatusLab-Decision` header that carries it.
    public var decision: String? {
        didSet { setDecisionHeader() }
    }

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], decision: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.decision = decision
        setDecisionHeader()
    }

    private mutating func setDecisionHeader() {
        headers.removeAll { $0.name == StatusLabHeader.decision }
        if let decision { headers.append((StatusLabHeader.decision, decision)) }
    }

    /// No diagram decided this status, on purpose: the learner chose it (`/status/{code}`), or
    /// it is a server bug's 500 (`serverBug`).
    var undecided = false

    public func header(_ name: String) -> String? {
        headers.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Every field name is a token and no value holds a control character but tab (RFC 9110
    /// §5.1, §5.5): nothing a request smuggled in can split the response.
    var headersAreValid: Bool {
        let valid = { (name: String, value: String) in
            !name.isEmpty && Self.all(name, Self.isTokenByte) && Self.all(value) { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
        }
        return headers.allSatisfy(valid) && interim.allSatisfy { $0.headers.allSatisfy(valid) }
    }

    /// Over the string's bytes in place when it has them contiguously (every native string).
    private static func all(_ text: String, _ test: (UInt8) -> Bool) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(test) } ?? text.utf8.allSatisfy(test)
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"),
             UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "^"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): true
        default: false
        }
    }

    /// A 500 saying what went wrong in this server: a bug, not a decision.
    static func serverBug(_ text: String) -> ServiceResponse {
        let content = Content.text(text)
        var response = ServiceResponse(status: 500, headers: content.headers, body: content.body)
        response.undecided = true
        return response
    }
}

extension StringProtocol {
    /// Equal but for the case of ASCII letters, as HTTP compares field names and tokens
    /// (RFC 9110 §5.1); no allocation, unlike `lowercased()`.
    func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        return zip(utf8, other.utf8).allSatisfy { a, b in
            a == b || (a | 0x20 == b | 0x20 && (0x61...0x7A).contains(a | 0x20))
        }
    }
}

/// `application/x-www-form-urlencoded`, as query strings and form bodies carry it: `&`-separated
/// pairs, `+` for a space, percent-escapes (a malformed escape is kept as sent).
enum FormEncoding {
    static func pairs(_ text: Substring) -> [(name: String, value: String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(decode)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }

    static func pairs(_ body: [UInt8]) -> [(name: String, value: String)] {
        pairs(Substring(String(decoding: body, as: UTF8.self)))
    }

    /// A form's fields by name; of a repeated name, the last.
    static func fields(_ body: [UInt8]) -> [String: String] {
        Dictionary(pairs(body), uniquingKeysWith: { _, last in last })
    }

    private static func decode(_ part: Substring) -> String {
        guard part.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(part) }
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
