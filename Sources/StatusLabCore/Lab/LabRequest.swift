import Foundation

/// A request composed in the Lab: what is sent, and the credentials to send it with.
public struct LabRequest: Codable, Sendable, Equatable {
    public struct Header: Codable, Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// How the request proves who it is.
    public enum Credentials: Codable, Sendable, Equatable {
        case none
        case basic(user: String, password: String)
        /// An `Authorization` header sent as written: a Bearer token, a malformed header.
        case header(String)
        /// Digest, answered as `curl --digest` does: first without, then with the challenge's nonce.
        case digest(user: String, password: String)
        /// A browser session: a `Cookie` header.
        case session(cookie: String)
        /// Log in through the login form first (`POST /app/login`), then send the request with
        /// the session cookie the form set, as a browser would.
        case formLogin(user: String, password: String)
    }

    public var method: String
    /// A path on the built-in server (`/api/profile`) or an absolute `http://` or `https://` URL.
    public var url: String
    public var headers: [Header]
    public var body: String
    public var credentials: Credentials
    /// Policies for the built-in server, sent as a `StatusLab-Policy` header: `hide=on`, …
    public var policies: [String]

    public init(method: String = "GET", url: String = "/api/profile", headers: [Header] = [], body: String = "",
                credentials: Credentials = .none, policies: [String] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.credentials = credentials
        self.policies = policies
    }

    /// The methods offered in the composer (any other token can be typed).
    public static let commonMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// Where the request goes: scheme, host, port, and the request target (path and query).
    public struct Target: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var target: String
        /// https: the exchange goes over TLS.
        public var secure: Bool
        public init(host: String, port: Int, target: String, secure: Bool = false) {
            self.host = host
            self.port = port
            self.target = target
            self.secure = secure
        }
        /// `host:port` as the Host header carries it (the scheme's own port left out).
        public var authority: String {
            let shown = host.contains(":") ? "[\(host)]" : host
            return port == (secure ? 443 : 80) ? shown : "\(shown):\(port)"
        }
        public var url: String { (secure ? "https://" : "http://") + authority + target }
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case emptyURL
        case unsupportedScheme(String)
        case badURL(String)
        case badMethod(String)
        case badHeader(String)

        public var description: String {
            switch self {
            case .emptyURL: "the URL is empty: type a path such as /api/profile, or an http:// or https:// URL"
            case .unsupportedScheme(let scheme): "\(scheme):// is not supported here: the Lab speaks http:// and https://"
            case .badURL(let why): why
            case .badMethod(let method): "`\(method)` is not a method: a method is one token of letters, digits and !#$%&'*+-.^_`|~"
            case .badHeader(let why): why
            }
        }
    }

    /// Resolves the URL against the built-in server's (`base`, `http://127.0.0.1:8401`), and
    /// checks the method and header lines: the composer refuses what cannot be sent.
    public func target(base: String?) throws(Problem) -> Target {
        guard Self.isToken(method) else { throw .badMethod(method) }
        for header in headers {
            guard Self.isToken(header.name) else { throw .badHeader("`\(header.name)` is not a header name (letters, digits and !#$%&'*+-.^_`|~)") }
            guard !header.value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw .badHeader("the value of \(header.name) has a line break or NUL in it")
            }
        }
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .emptyURL }
        var text = trimmed
        if text.hasPrefix("/") {
            guard let base else { throw .badURL("a path needs the built-in server, which is not running") }
            text = base + text
        }
        guard let schemeEnd = text.range(of: "://") else {
            throw .badURL("`\(trimmed)` is neither a path (/…) nor an http:// URL")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw .unsupportedScheme(scheme) }
        let rest = text[schemeEnd.upperBound...]
        let slash = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = String(rest[..<slash])
        var target = String(rest[slash...])
        if target.isEmpty { target = "/" } else if target.hasPrefix("?") { target = "/" + target }
        guard !target.unicodeScalars.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" || $0 == "#" }) else {
            throw .badURL("the path has a space, a line break or a # in it: write spaces as %20")
        }
        guard !authority.isEmpty, !authority.contains("@") else { throw .badURL("`\(trimmed)` names no host (user:password@ belongs in the credentials)") }
        var host = authority
        var port = scheme == "https" ? 443 : 80
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else {
                throw .badURL("`\(authority[authority.index(after: colon)...])` is not a port from 1 to 65535")
            }
            port = number
            host = String(authority[..<colon])
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .badURL("`\(trimmed)` names no host") }
        return Target(host: host, port: port, target: target, secure: scheme == "https")
    }

    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
        }
    }

    /// The header lines sent besides Host and Content-Length: the composer's, the credentials'
    /// (Basic and header credentials; Digest answers a challenge), the policies.
    public var headerLines: [Header] {
        var lines = headers.filter { !$0.name.isEmpty }
        switch credentials {
        case .none, .digest, .formLogin: break
        case .basic(let user, let password):
            lines.append(Header(name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()))
        case .header(let value): lines.append(Header(name: "Authorization", value: value))
        case .session(let cookie): if !cookie.isEmpty { lines.append(Header(name: "Cookie", value: cookie)) }
        }
        if !policies.isEmpty { lines.append(Header(name: StatusLabHeader.policy, value: policies.joined(separator: "; "))) }
        return lines
    }
}

extension LabRequest {
    /// The request a browser makes next when `response` (to this request, sent to `url`) is a
    /// redirect: to its `Location`, with GET after 301, 302 and 303 (RFC 9110 §15.4: browsers
    /// change a POST to GET there) and the same method and content after 307 and 308; the
    /// cookies in `jar` go along. Nil when there is no redirect to follow.
    public func following(_ response: WireResponse, from url: String, jar: CookieJar) -> LabRequest? {
        guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("Location"), !location.isEmpty else {
            return nil
        }
        var next = self
        if location.hasPrefix("/") {
            // A path: same scheme and authority as the request it answered.
            if let scheme = url.range(of: "://"), let slash = url[scheme.upperBound...].firstIndex(of: "/") {
                next.url = String(url[..<slash]) + location
            } else {
                next.url = url + location
            }
        } else {
            next.url = location
        }
        if response.status != 307 && response.status != 308 {
            next.method = method == "HEAD" ? "HEAD" : "GET"
            next.body = ""
            next.headers.removeAll { $0.name.lowercased() == "content-type" }
        }
        next.headers.removeAll { $0.name.lowercased() == "cookie" }
        if let cookies = jar.header { next.headers.append(Header(name: "Cookie", value: cookies)) }
        // A browser sends its cookies, not the Lab's credentials, after a redirect.
        switch credentials {
        case .formLogin, .session: next.credentials = .none
        default: break
        }
        return next
    }
}
