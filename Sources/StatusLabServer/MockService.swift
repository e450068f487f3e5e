import Foundation
import StatusLabCore

/// The demo service as a function from request to response: the routes, the scenario API and
/// browser area (decided by the `auth` diagram), and the httpbin-compatible endpoints.
public struct MockService: Sendable {
    /// A route: a path pattern (`{name}` matches one segment) and its methods. GET brings HEAD.
    struct Route: Sendable {
        let pattern: [String]
        let methods: [String]
        let handler: @Sendable (MockService, ServiceRequest, [String: String]) -> ServiceResponse

        init(_ pattern: String, _ methods: [String],
             _ handler: @escaping @Sendable (MockService, ServiceRequest, [String: String]) -> ServiceResponse) {
            self.pattern = pattern.split(separator: "/").map(String.init)
            self.methods = methods
            self.handler = handler
        }

        var allowed: [String] { methods.contains("GET") && !methods.contains("HEAD") ? methods + ["HEAD"] : methods }

        func match(_ segments: [String]) -> [String: String]? {
            guard segments.count == pattern.count else { return nil }
            var parameters: [String: String] = [:]
            for (part, segment) in zip(pattern, segments) {
                if part.hasPrefix("{") { parameters[String(part.dropFirst().dropLast())] = segment.removingPercentEncoding ?? segment }
                else if part != segment { return nil }
            }
            return parameters
        }
    }

    let auth: AuthDecision
    let sessions: SessionStore
    let digest: DigestAuth
    public let policies: Policies

    /// The facts `diagram` asks about that the server cannot work out from a request, sorted:
    /// a content pack's `auth` diagram with any cannot drive the server.
    public static func unknownFacts(in diagram: Diagram) -> [String] {
        Set(diagram.questions.map(\.fact)).subtracting(AuthDecision.Facts.names).sorted()
    }

    /// The facts the server works out from a request, sorted.
    public static var knownFacts: [String] { AuthDecision.Facts.names.sorted() }

    public init(diagram: Diagram, policies: Policies = Policies(), sessions: SessionStore = SessionStore()) {
        self.auth = AuthDecision(diagram: diagram, policies: policies, cache: ResponseCache())
        self.sessions = sessions
        self.digest = DigestAuth()
        self.policies = policies
    }

    static let routes: [Route] = [
        Route("/", ["GET"]) { service, request, _ in service.index(request) },
        Route("/api/public", ["GET"]) { service, request, _ in
            service.scenario(request, target: .init(isPublic: true, path: request.path)) { _ in ["message": "Anyone may read this."] }
        },
        Route("/api/profile", ["GET"]) { service, request, _ in
            service.scenario(request, target: .init(path: request.path)) { identity in ["user": identity?.user ?? ""] }
        },
        Route("/api/admin", ["GET"]) { service, request, _ in
            service.scenario(request, target: .init(requiredScope: "admin", path: request.path)) { _ in ["message": "Welcome to the admin area."] }
        },
        Route("/api/internal", ["GET"]) { service, request, _ in
            service.scenario(request, target: .init(forbiddenToEveryone: true, path: request.path)) { _ in [:] }
        },
        Route("/api/notes/{id}", ["GET", "DELETE"]) { service, request, parameters in
            let note = DemoWorld.notes.first { "\($0.id)" == parameters["id"] }
            let scope = request.method == "DELETE" ? "notes:write" : "notes:read"
            return service.scenario(request, target: .init(exists: note != nil, owner: note?.owner, requiredScope: scope, path: request.path)) { _ in
                request.method == "DELETE" ? ["deleted": note!.id] : ["id": note!.id, "owner": note!.owner, "text": note!.text]
            }
        },
        Route("/app", ["GET"]) { service, request, _ in service.appHome(request) },
        Route("/app/login", ["GET", "POST"]) { service, request, _ in service.login(request) },
        Route("/app/logout", ["POST"]) { service, request, _ in service.logout(request) },
        Route("/app/notes", ["GET"]) { service, request, _ in service.appNotes(request) },
        Route("/basic-auth/{user}/{passwd}", ["GET"]) { service, request, parameters in
            service.basicAuth(request, parameters, hidden: false)
        },
        Route("/hidden-basic-auth/{user}/{passwd}", ["GET"]) { service, request, parameters in
            service.basicAuth(request, parameters, hidden: true)
        },
        Route("/bearer", ["GET"]) { service, request, _ in service.bearer(request) },
        Route("/digest-auth/{qop}/{user}/{passwd}", ["GET", "POST", "PUT"]) { service, request, parameters in
            service.digestAuth(request, parameters)
        },
        Route("/digest-auth/{qop}/{user}/{passwd}/{algorithm}", ["GET", "POST", "PUT"]) { service, request, parameters in
            service.digestAuth(request, parameters)
        },
        Route("/status/{code}", ["GET", "POST", "PUT", "PATCH", "DELETE"]) { service, request, parameters in
            service.status(parameters["code"] ?? "")
        },
        Route("/headers", ["GET"]) { _, request, _ in
            .json(200, ["headers": Dictionary(request.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { "\($0), \($1)" })])
        },
        Route("/anything", ["GET", "POST", "PUT", "PATCH", "DELETE"]) { service, request, _ in service.anything(request) },
        Route("/anything/{rest}", ["GET", "POST", "PUT", "PATCH", "DELETE"]) { service, request, _ in service.anything(request) },
    ]

    /// The routes of each path that only routes without parameters match, found in one lookup
    /// (the same answer as matching every route, which the other paths do).
    static let literalRoutes: [String: [Route]] = {
        let literal = routes.filter { !$0.pattern.contains { $0.hasPrefix("{") } }
        let byPath = Dictionary(grouping: literal) { "/" + $0.pattern.joined(separator: "/") }
        return byPath.filter { _, routes in
            !Self.routes.contains { route in route.pattern.contains { $0.hasPrefix("{") } && route.match(routes[0].pattern) != nil }
        }
    }()

    /// Routes the request; a known path with another method gets 405 and Allow, an unknown
    /// path 404. HEAD is answered as GET without the body.
    public func respond(_ request: ServiceRequest) -> ServiceResponse {
        let method = request.method == "HEAD" ? "GET" : request.method
        let matches: [(Route, [String: String])]
        if let routes = Self.literalRoutes[request.path] {
            if let route = routes.first(where: { $0.methods.contains(method) }) {
                return respond(request, by: route, parameters: [:])
            }
            matches = routes.map { ($0, [:]) }
        } else {
            let segments = request.path.split(separator: "/").map(String.init)
            matches = Self.routes.compactMap { route in route.match(segments).map { (route, $0) } }
        }
        guard !matches.isEmpty else {
            return problem(404, "There is nothing at \(request.path). GET / lists what there is.")
        }
        guard let (route, parameters) = matches.first(where: { $0.0.methods.contains(method) }) else {
            let allow = Array(Set(matches.flatMap(\.0.allowed))).sorted().joined(separator: ", ")
            return problem(405, "\(request.path) answers \(allow), not \(request.method).", extra: [("Allow", allow)])
        }
        return respond(request, by: route, parameters: parameters)
    }

    /// Answers by `route`, under the policies the request asks for.
    private func respond(_ request: ServiceRequest, by route: Route, parameters: [String: String]) -> ServiceResponse {
        // Per-request policies, when the request sets any.
        let requested = request.query.isEmpty && request.header("StatusLab-Policy") == nil ? policies : policies.applying(request)
        // `self` is handed on as it is when the policies stay (a copy would take a reference to
        // every shared part of the service, on every request).
        var response = requested == policies ? route.handler(self, request, parameters)
            : route.handler(with(policies: requested, cache: auth.cache), request, parameters)
        if request.method == "HEAD" {
            if response.measuresBody { response.headers.append(("Content-Length", "\(response.body.count)")) }
            response.body = []
        }
        return response
    }

    /// The response header that carries the decision path: `question=answer` steps joined by
    /// ` > `, ending with the outcome's id and status.
    public static let decisionHeader = "StatusLab-Decision"
    /// A hint for the learner where the decision alone would puzzle (docs/SERVER.md).
    public static let noteHeader = "StatusLab-Note"

    init(auth: AuthDecision, sessions: SessionStore, digest: DigestAuth, policies: Policies) {
        self.auth = auth
        self.sessions = sessions
        self.digest = digest
        self.policies = policies
    }

    /// The same service (diagram, sessions, digest nonces) under `policies`, caching refusals in
    /// `cache`.
    func with(policies: Policies, cache: ResponseCache) -> MockService {
        MockService(auth: AuthDecision(diagram: auth.diagram, policies: policies, cache: cache),
                    sessions: sessions, digest: digest, policies: policies)
    }

    func problem(_ status: Int, _ detail: String, extra: [(name: String, value: String)] = []) -> ServiceResponse {
        .problem(status, detail: detail, extra: extra)
    }

    // MARK: The scenario API

    /// Decides by the auth diagram; on 200, `body` gives the JSON to send.
    func scenario(_ request: ServiceRequest, target: AuthDecision.Target,
                  body: (AuthDecision.Identity?) -> [String: Any]) -> ServiceResponse {
        auth.decide(request, target: target, credentials: Credentials.from(request), sessions: sessions)
            .response { .json(200, body($0)) }
    }

    // MARK: The browser area

    static let sessionCookie = "statuslab_session"

    func appHome(_ request: ServiceRequest) -> ServiceResponse {
        .text(200, "<!doctype html><title>StatusLab demo</title><h1>StatusLab demo</h1><p><a href=\"/app/notes\">Your notes</a> · <a href=\"/app/login\">Log in</a></p>\n",
              type: "text/html; charset=utf-8")
    }

    func appNotes(_ request: ServiceRequest) -> ServiceResponse {
        let target = AuthDecision.Target(browser: true, path: request.path)
        let credentials = Credentials.from(request, sessionCookie: Self.sessionCookie)
        return auth.decide(request, target: target, credentials: credentials, sessions: sessions).response { identity in
            let mine = DemoWorld.notes.filter { $0.owner == identity?.user }.map { "<li>\(escape($0.text))</li>" }.joined()
            return .text(200, "<!doctype html><title>Notes</title><h1>\(escape(identity?.user ?? ""))'s notes</h1><ul>\(mine)</ul>"
                         + "<form method=\"post\" action=\"/app/logout\"><button>Log out</button></form>\n",
                         type: "text/html; charset=utf-8")
        }
    }

    /// `next` accepts local paths only: `/app/notes`, never `https://…`, `//host` or `/\host`.
    static func safeNext(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.hasPrefix("/\\"),
              !value.contains("\r"), !value.contains("\n") else { return "/app/notes" }
        return value
    }

    func login(_ request: ServiceRequest) -> ServiceResponse {
        let next = Self.safeNext(request.queryValue("next"))
        if request.method == "GET" {
            let form = "<!doctype html><title>Log in</title><h1>Log in</h1><form method=\"post\" action=\"/app/login\">"
                + "<input type=\"hidden\" name=\"next\" value=\"\(escape(next))\">"
                + "<label>User <input name=\"user\"></label> <label>Password <input name=\"password\" type=\"password\"></label>"
                + "<button>Log in</button></form>\n"
            return .text(200, form, type: "text/html; charset=utf-8", extra: [("Cache-Control", "no-store")])
        }
        let fields = Self.formFields(request.body)
        let target = Self.safeNext(fields["next"] ?? request.queryValue("next"))
        guard let user = DemoWorld.user(fields["user"] ?? ""), constantTimeEquals(fields["password"] ?? "", user.password) else {
            // A failed login form is a page again, with the reason; not an HTTP authentication failure.
            return .text(200, "<!doctype html><title>Log in</title><p>Unknown user or wrong password. <a href=\"/app/login?next=\(escape(target))\">Try again</a></p>\n",
                         type: "text/html; charset=utf-8", extra: [("Cache-Control", "no-store")])
        }
        let session = sessions.create(for: user.name)
        return ServiceResponse(status: 303, headers: [
            ("Location", target),
            ("Set-Cookie", "\(Self.sessionCookie)=\(session); Path=/app; HttpOnly; SameSite=Lax"),
            ("Cache-Control", "no-store"),
        ])
    }

    func logout(_ request: ServiceRequest) -> ServiceResponse {
        if let id = request.cookies[Self.sessionCookie] { sessions.end(id) }
        return ServiceResponse(status: 303, headers: [
            ("Location", "/app/login"),
            ("Set-Cookie", "\(Self.sessionCookie)=; Path=/app; HttpOnly; SameSite=Lax; Max-Age=0"),
        ])
    }

    static func formFields(_ body: [UInt8]) -> [String: String] {
        Dictionary(FormEncoding.pairs(body), uniquingKeysWith: { _, last in last })
    }

    // MARK: httpbin-compatible endpoints

    /// Only the user named in the URL, with the password named there, gets in. The hidden
    /// variant answers 404 wherever the model lists 404 as the defensible alternative.
    func basicAuth(_ request: ServiceRequest, _ parameters: [String: String], hidden: Bool) -> ServiceResponse {
        var credentials = Credentials.from(request)
        if case .bearer = credentials { credentials = .otherScheme("Bearer") }
        // Asked for with Basic in mind: the challenge names Basic whatever came.
        if case .none = credentials { credentials = .otherScheme("Basic") }
        let target = AuthDecision.Target(path: request.path)
        let (name, secret) = (parameters["user"] ?? "", parameters["passwd"] ?? "")
        let passwords: AuthDecision.PasswordCheck = { user, password in
            user == name && constantTimeEquals(password, secret) ? .init(user: user, scopes: []) : nil
        }
        let result = auth.decide(request, target: target, credentials: credentials, sessions: sessions, passwords: passwords)
        if hidden, case .refused(_, let path, let outcome?) = result, outcome.alternatives.contains(where: { $0.status == 404 }) {
            var hiddenResponse = auth.response(for: outcome, path: path, target: target, credentials: credentials, status: 404)
            hiddenResponse.decision = DecisionEngine.describe(path, outcome: outcome) + " (hidden: 404)"
            return hiddenResponse
        }
        return result.response { _ in .json(200, ["authenticated": true, "user": name]) }
    }

    /// RFC 7616 Digest. Basic (or nothing) gets a Digest challenge; an expired nonce gets one
    /// with `stale=true`; an unknown qop or algorithm is a 400 that says why.
    func digestAuth(_ request: ServiceRequest, _ parameters: [String: String]) -> ServiceResponse {
        let qop = parameters["qop"] ?? ""
        guard ["auth", "auth-int"].contains(qop) else {
            return problem(400, "qop `\(qop)` is not supported here: use auth or auth-int.")
        }
        let name = parameters["algorithm"] ?? "MD5"
        guard let algorithm = DigestAuth.Algorithm.allCases.first(where: { $0.rawValue.equalsIgnoringASCIICase(name) }) else {
            return problem(400, "algorithm `\(name)` is not supported here: use MD5, SHA-256 or SHA-512-256.")
        }
        let user = parameters["user"] ?? "", password = parameters["passwd"] ?? ""
        let credentials: Credentials
        var note: String?
        if let header = request.header("Authorization"), header.lowercased().hasPrefix("digest ") {
            switch digest.verify(header, method: request.method, target: request.target, body: request.body,
                                 user: user, password: password, qop: qop, algorithm: algorithm) {
            case .valid: credentials = .checked(user: user, result: "valid")
            case .wrong: credentials = .checked(user: user, result: "wrong")
            case .hashedWithSHA256:
                credentials = .checked(user: user, result: "wrong")
                note = "The response parameter was computed with SHA-256, not SHA-512/256 as algorithm=SHA-512-256 asks "
                    + "(RFC 7616 §3.2); older curl releases do this. Try SHA-256, or a newer client."
            case .stale: credentials = .checked(user: user, result: "expired")
            case .malformed(let why): credentials = .malformed(scheme: "Digest", why: why)
            }
        } else {
            credentials = .otherScheme("Digest")
        }
        let result = auth.decide(request, target: .init(path: request.path), credentials: credentials, sessions: sessions)
        var response = result.response { _ in .json(200, ["authenticated": true, "user": user]) }
        if case .refused = result {
            // The outcome decides the status; the challenge is Digest's own.
            response.headers.removeAll { $0.name.equalsIgnoringASCIICase("WWW-Authenticate") }
            if response.status == 401 {
                let stale = credentials == .checked(user: user, result: "expired")
                response.headers.append(("WWW-Authenticate", digest.challenge(qop: qop, algorithm: algorithm, stale: stale)))
            }
        }
        if let note { response.headers.append((Self.noteHeader, note)) }
        return response
    }

    func bearer(_ request: ServiceRequest) -> ServiceResponse {
        var credentials = Credentials.from(request)
        if case .basic = credentials { credentials = .otherScheme("not Bearer") }
        // Only a valid Bearer token gets through the decision, so `token` is set when allowed.
        var token = ""
        if case .bearer(let value) = credentials { token = value }
        return auth.decide(request, target: .init(path: request.path), credentials: credentials, sessions: sessions)
            .response { _ in .json(200, ["authenticated": true, "token": token]) }
    }

    /// Any code from 200 to 599 with the headers it requires (HeaderRules) and the usual
    /// optional ones. A 1xx cannot be a final response: it goes out as an interim response
    /// before a 200 (103 with a `Link` hint), except 101, which would switch protocols.
    func status(_ text: String) -> ServiceResponse {
        guard let code = Int(text), (100...599).contains(code) else {
            return problem(400, "`\(text)` is not a status code from 100 to 599.")
        }
        if code == 101 {
            return problem(400, "101 Switching Protocols answers a request whose Upgrade header names a protocol the server "
                           + "switches to (RFC 9110 §7.8, §15.2.2); this server speaks only HTTP/1.1.")
        }
        if code < 200 {
            let hints = code == 103 ? [("Link", "</style.css>; rel=preload; as=style")] : []
            let name = StatusRegistry.lookup(code).map { "\(code) \($0.reason)" } ?? "\(code)"
            var response = ServiceResponse.text(200, "\(name) came first, as an interim response; this 200 OK is the final one. "
                                                + "An HTTP/1.0 client gets only the 200: 1xx responses must not go to it (RFC 9110 §15.2).\n",
                                                extra: hints)
            response.interim = [InterimResponse(status: code, headers: hints)]
            return response
        }
        var headers: [(name: String, value: String)] = []
        for name in HeaderRules.requiredHeaders(for: code) {
            switch name {
            case "WWW-Authenticate": headers.append((name, "Basic realm=\"\(DemoWorld.realm)\", charset=\"UTF-8\""))
            case "Proxy-Authenticate": headers.append((name, "Basic realm=\"\(DemoWorld.realm)-proxy\""))
            case "Allow": headers.append((name, "GET, HEAD"))
            case "Location": headers.append((name, "/status/200"))
            case "Upgrade": headers.append((name, "websocket"))
            default: break
            }
        }
        if code == 429 || code == 503 { headers.append(("Retry-After", "30")) }
        if [204, 304].contains(code) || code < 200 { return ServiceResponse(status: code, headers: headers) }
        return .text(code, "\(code) \(StatusRegistry.lookup(code)?.reason ?? "")\n", extra: headers)
    }

    /// What was received, as httpbin shows it: a form body (`curl -d`) under `form`, any other
    /// body as text under `data`. Repeated names are joined with ", ".
    func anything(_ request: ServiceRequest) -> ServiceResponse {
        func joined(_ pairs: [(name: String, value: String)]) -> [String: String] {
            Dictionary(pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { "\($0), \($1)" })
        }
        let isForm = request.header("Content-Type").map {
            ($0.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces)
                .equalsIgnoringASCIICase("application/x-www-form-urlencoded")
        } ?? false
        return .json(200, [
            "method": request.method,
            "path": request.path,
            "args": joined(request.query),
            "headers": joined(request.headers),
            "form": isForm ? joined(FormEncoding.pairs(request.body)) : [:],
            "data": isForm ? "" : String(decoding: request.body.prefix(4096), as: UTF8.self),
        ])
    }
}
