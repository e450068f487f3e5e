import Foundation
import StatusLabCore

/// The demo service as a function from request to response. Each request is decided by the
/// diagrams (`ServerDiagrams`): the `status` diagram with the request's facts (method, size,
/// syntax, whether the path names anything); on a protected route it hands over at
/// `login-required` to the `auth` diagram; what is served then comes from the route's handler.
public final class MockService: Sendable {
    /// A route: a path pattern (`{name}` matches one segment) and its methods. GET brings HEAD.
    struct Route: Sendable {
        let pattern: [String]
        let methods: [String]
        /// Whether the path parameters name something this route has (`/status/abc` does not).
        let accepts: @Sendable ([String: String]) -> Bool
        /// For a protected route: the resource, the credentials as this route reads them and
        /// how it checks them. Nil for a route open to all, which the `status` diagram decides.
        let guarded: (@Sendable (MockService, ServiceRequest, [String: String]) -> Guard)?
        /// The content of a response the diagrams let through; its status is replaced by the
        /// decision's (`respond`), so handlers write the 200 they expect.
        let handler: @Sendable (MockService, ServiceRequest, Served) -> ServiceResponse

        init(_ pattern: String, _ methods: [String], accepts: @escaping @Sendable ([String: String]) -> Bool = { _ in true },
             guarded: (@Sendable (MockService, ServiceRequest, [String: String]) -> Guard)? = nil,
             _ handler: @escaping @Sendable (MockService, ServiceRequest, Served) -> ServiceResponse) {
            self.pattern = pattern.split(separator: "/").map(String.init)
            self.methods = methods
            self.accepts = accepts
            self.guarded = guarded
            self.handler = handler
        }

        var allowed: [String] { methods.contains("GET") && !methods.contains("HEAD") ? methods + ["HEAD"] : methods }

        func match(_ segments: [String]) -> [String: String]? {
            guard segments.count == pattern.count else { return nil }
            var parameters: [String: String] = [:]
            for (part, segment) in zip(pattern, segments) {
                if part.hasPrefix("{") {
                    parameters[String(part.dropFirst().dropLast())] = segment.utf8.contains(UInt8(ascii: "%")) ? segment.removingPercentEncoding ?? segment : segment
                }
                else if part != segment { return nil }
            }
            return accepts(parameters) ? parameters : nil
        }
    }

    /// What a protected route hands the `auth` diagram.
    struct Guard {
        var resource: AuthDecision.Resource
        var credentials: Credentials
        var passwords: AuthDecision.PasswordCheck = AuthDecision.demoUsers
        /// A scheme's own challenge parameters (Digest's nonce, qop …).
        var challenge: [(name: String, value: String)] = []
        /// A `StatusLab-Note` for the learner.
        var note: String? = nil
    }

    /// What a handler gets once the request is to be served.
    struct Served {
        var parameters: [String: String]
        var identity: AuthDecision.Identity? = nil
        /// The walk that let the request through.
        var decided: Decided
    }

    let diagrams: ServerDiagrams
    let statusWalks: StatusWalks
    let auth: AuthDecision
    let sessions: SessionStore
    let digest: DigestAuth
    public let policies: Policies

    /// The facts `diagrams` ask about that the server cannot work out from a request, sorted:
    /// a content pack with any cannot drive the server.
    public static func unknownFacts(in diagrams: ServerDiagrams) -> [String] {
        Set(diagrams.all.flatMap(\.questions).map(\.fact).filter { !$0.isEmpty }).subtracting(ServerFact.byName.keys).sorted()
    }

    /// The facts the server works out from a request, sorted.
    public static var knownFacts: [String] { ServerFact.sortedNames }

    public convenience init(diagrams: ServerDiagrams, policies: Policies = Policies(), sessions: SessionStore = SessionStore()) {
        self.init(diagrams: diagrams, statusWalks: StatusWalks(diagrams),
                  auth: AuthDecision(diagrams: diagrams, policies: policies, tokens: Tokens(), cache: ResponseCache()),
                  sessions: sessions, digest: DigestAuth(), policies: policies)
    }

    init(diagrams: ServerDiagrams, statusWalks: StatusWalks, auth: AuthDecision, sessions: SessionStore, digest: DigestAuth, policies: Policies) {
        self.diagrams = diagrams
        self.statusWalks = statusWalks
        self.auth = auth
        self.sessions = sessions
        self.digest = digest
        self.policies = policies
    }

    /// The same service (diagrams, sessions, digest nonces) under `policies`, caching refusals
    /// in `cache`.
    func with(policies: Policies, cache: ResponseCache) -> MockService {
        MockService(diagrams: diagrams, statusWalks: statusWalks, auth: AuthDecision(diagrams: diagrams, policies: policies, tokens: auth.tokens, cache: cache),
                    sessions: sessions, digest: digest, policies: policies)
    }

    /// Each route appended on its own, which keeps the type checker quick.
    static let routes: [Route] = {
        var routes: [Route] = []
        routes.append(Route("/", ["GET"]) { service, request, _ in service.index(request) })
        routes.append(Route("/api/public", ["GET"], guarded: { _, request, _ in
            Guard(resource: .init(isPublic: true, path: request.path), credentials: Credentials.from(request))
        }) { _, _, _ in .json(200, ["message": "Anyone may read this."]) })
        routes.append(Route("/api/profile", ["GET"], guarded: { _, request, _ in
            Guard(resource: .init(path: request.path), credentials: Credentials.from(request))
        }) { _, _, served in .json(200, ["user": served.identity?.user ?? ""]) })
        routes.append(Route("/api/admin", ["GET"], guarded: { _, request, _ in
            Guard(resource: .init(requiredScope: "admin", path: request.path), credentials: Credentials.from(request))
        }) { _, _, _ in .json(200, ["message": "Welcome to the admin area."]) })
        routes.append(Route("/api/internal", ["GET"], guarded: { _, request, _ in
            Guard(resource: .init(forbiddenToEveryone: true, path: request.path), credentials: Credentials.from(request))
        }) { _, _, _ in .json(200, [String: String]()) })
        routes.append(Route("/api/notes/{id}", ["GET", "DELETE"], guarded: { _, request, parameters in
            let note = DemoWorld.note(parameters["id"])
            let scope = request.method == "DELETE" ? "notes:write" : "notes:read"
            return Guard(resource: .init(exists: note != nil, owner: note?.owner, requiredScope: scope, path: request.path),
                         credentials: Credentials.from(request))
        }) { _, request, served in
            let note = DemoWorld.note(served.parameters["id"])!
            let body: [String: Any] = request.method == "DELETE" ? ["deleted": note.id] : ["id": note.id, "owner": note.owner, "text": note.text]
            return .json(200, body)
        })
        routes.append(Route("/oauth/token", ["POST"]) { service, request, _ in service.token(request) })
        routes.append(Route("/app", ["GET"]) { service, request, _ in service.appHome(request) })
        routes.append(Route("/app/login", ["GET", "POST"]) { service, request, _ in service.login(request) })
        routes.append(Route("/app/logout", ["POST"]) { service, request, _ in service.logout(request) })
        routes.append(Route("/app/notes", ["GET"], guarded: { _, request, _ in
            Guard(resource: .init(browser: true, path: request.path), credentials: Credentials.from(request, sessionCookie: MockService.sessionCookie))
        }) { service, request, served in service.appNotes(served.identity) })
        routes.append(Route("/basic-auth/{user}/{passwd}", ["GET"], guarded: { service, request, parameters in
            service.basicGuard(request, parameters, hidden: false)
        }) { _, _, served in .json(200, ["authenticated": true, "user": served.parameters["user"] ?? ""]) })
        routes.append(Route("/hidden-basic-auth/{user}/{passwd}", ["GET"], guarded: { service, request, parameters in
            service.basicGuard(request, parameters, hidden: true)
        }) { _, _, served in .json(200, ["authenticated": true, "user": served.parameters["user"] ?? ""]) })
        routes.append(Route("/bearer", ["GET"], guarded: { service, request, _ in service.bearerGuard(request) }) { _, request, _ in
            var token = ""
            if case .bearer(let value) = Credentials.from(request) { token = value }
            return .json(200, ["authenticated": true, "token": token])
        })
        routes.append(Route("/digest-auth/{qop}/{user}/{passwd}", ["GET", "POST", "PUT"], accepts: DigestAuth.accepts,
              guarded: { service, request, parameters in service.digestGuard(request, parameters) }) { _, _, served in
            .json(200, ["authenticated": true, "user": served.parameters["user"] ?? ""])
        })
        routes.append(Route("/digest-auth/{qop}/{user}/{passwd}/{algorithm}", ["GET", "POST", "PUT"], accepts: DigestAuth.accepts,
              guarded: { service, request, parameters in service.digestGuard(request, parameters) }) { _, _, served in
            .json(200, ["authenticated": true, "user": served.parameters["user"] ?? ""])
        })
        routes.append(Route("/status/{code}", ["GET", "POST", "PUT", "PATCH", "DELETE"], accepts: { MockService.echoable($0["code"]) }) { service, _, served in
            service.status(served.parameters["code"] ?? "")
        })
        routes.append(Route("/headers", ["GET"]) { _, request, _ in
            .json(200, ["headers": Dictionary(request.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { "\($0), \($1)" })])
        })
        routes.append(Route("/anything", ["GET", "POST", "PUT", "PATCH", "DELETE"]) { service, request, _ in service.anything(request) })
        routes.append(Route("/anything/{rest}", ["GET", "POST", "PUT", "PATCH", "DELETE"]) { service, request, _ in service.anything(request) })
        return routes
    }()

    /// Every route's path pattern (`/api/notes/{id}`), for completion in the Lab.
    public static var routePaths: [String] { routes.map { "/" + $0.pattern.joined(separator: "/") } }

    /// Every method some route answers: any other is one the server does not implement (501).
    static let knownMethods: Set<String> = Set(routes.flatMap(\.allowed))

    /// The routes of each path that only routes without parameters match, found in one lookup
    /// (the same answer as matching every route, which the other paths do).
    static let literalRoutes: [String: [Route]] = {
        let literal = routes.filter { !$0.pattern.contains { $0.hasPrefix("{") } }
        let byPath = Dictionary(grouping: literal) { "/" + $0.pattern.joined(separator: "/") }
        return byPath.filter { _, routes in
            !MockService.routes.contains { route in route.pattern.contains { $0.hasPrefix("{") } && route.match(routes[0].pattern) != nil }
        }
    }()

    /// The routes with parameters, by their first segment (none starts with a parameter), so a
    /// request tries only the few that can match.
    static let routesByFirstSegment: [String: [Route]] = {
        precondition(!routes.contains { $0.pattern.first?.hasPrefix("{") ?? false }, "a route starts with a parameter")
        return Dictionary(grouping: routes) { $0.pattern.first ?? "" }
    }()

    /// A request target longer than this is refused (414).
    static let maxTargetBytes = 8 * 1024

    /// Decides the request by the diagrams, and serves it when they let it through. HEAD is
    /// decided as GET; the writer leaves the body out.
    public func respond(_ request: ServiceRequest) -> ServiceResponse {
        let service = scoped(to: request)
        switch service.verdict(request) {
        case .refused(let response):
            return response
        case .serve(let route, let served):
            var response = route.handler(service, request, served)
            // A handler makes the content; the code is the decision's, as its header says. (A
            // handler that walks a diagram of its own, as the token endpoint does, records that
            // decision and its code itself; the echo of /status/{code} and a bug are undecided.)
            if response.decision == nil, !response.undecided {
                response.status = served.decided.outcome.status
                response.decision = served.decided.header
            }
            return response
        }
    }

    /// The refusal the request gets whatever its content turns out to be, if it gets one: what
    /// the server answers to an `Expect: 100-continue` instead of `100 Continue`, or as soon as
    /// it knows the content is too large. Nil when the request would be served.
    func refusalBeforeContent(_ request: ServiceRequest) -> ServiceResponse? {
        if case .refused(let response) = scoped(to: request).verdict(request) { return response }
        return nil
    }

    /// This service under the policies the request asks for, if it asks for any; `self` as it is
    /// otherwise (a copy would take a reference to every shared part of the service).
    private func scoped(to request: ServiceRequest) -> MockService {
        guard !request.query.isEmpty || request.header("StatusLab-Policy") != nil else { return self }
        let requested = policies.applying(request)
        return requested == policies ? self : with(policies: requested, cache: auth.cache)
    }

    enum Verdict {
        case refused(ServiceResponse)
        case serve(Route, Served)
    }

    func verdict(_ request: ServiceRequest) -> Verdict {
        let method = request.method == "HEAD" ? "GET" : request.method
        let matches: [(route: Route, parameters: [String: String])]
        if let routes = MockService.literalRoutes[request.path] {
            matches = routes.map { ($0, [:]) }
        } else {
            let segments = request.path.split(separator: "/").map(String.init)
            let candidates = MockService.routesByFirstSegment[segments.first ?? ""] ?? []
            matches = candidates.compactMap { route in route.match(segments).map { (route, $0) } }
        }
        let chosen = matches.first { $0.route.methods.contains(method) }
        // Who gets in is asked before whether the method fits, so the guard is the route's for
        // this method or, failing that, any route's at this path; a path no route has in a
        // private area is that area's missing resource (`PrivateArea`).
        let guarding: (() -> Guard)? = if let match = chosen ?? matches.first {
            match.route.guarded.map { guarded in { guarded(self, request, match.parameters) } }
        } else {
            PrivateArea.containing(request.path).map { area in { area.guard(self, request) } }
        }
        let level = RequestLevel(
            methodKnown: MockService.knownMethods.contains(request.method), uriTooLong: request.target.utf8.count > MockService.maxTargetBytes,
            headersTooLarge: request.headersTooLarge, methodAllowed: matches.isEmpty || chosen != nil, wellFormed: request.malformed == nil,
            guarded: guarding != nil, contentTooLarge: request.contentTooLarge, pathExists: !matches.isEmpty,
            method: method == "GET" ? 0 : method == "POST" ? 1 : 2)
        switch statusWalks[level] {
        case .decided(let decided):
            guard decided.outcome.serves, let chosen else { return .refused(refusal(decided, request, matches: matches)) }
            return .serve(chosen.route, Served(parameters: chosen.parameters, decided: decided))
        case .stopped(let question):
            // A protected resource stops the walk where `status` hands over to `auth`: the
            // route's guard says what the resource is and how credentials are read.
            guard question.diagram == diagrams.auth.id, let guarding else { return .refused(bug(question)) }
            let guardInfo = guarding()
            switch auth.decide(request, resource: guardInfo.resource, credentials: guardInfo.credentials, sessions: sessions,
                               passwords: guardInfo.passwords, challenge: guardInfo.challenge) {
            case .refused(var response):
                if let note = guardInfo.note { response.headers.append((MockService.noteHeader, note)) }
                return .refused(response)
            case .allowed(let identity, let decided, let authFacts):
                // Let in: the rest of the `status` walk (method, size, content) still applies,
                // through the same handoff with the facts `auth` was given.
                var facts = level.facts
                facts.merge(authFacts)
                switch diagrams.walk(.status, facts) {
                case .decided(let rest) where rest.outcome.serves:
                    guard let chosen else { return .refused(bug(question)) }
                    return .serve(chosen.route, Served(parameters: chosen.parameters, identity: identity, decided: decided))
                case .decided(let rest): return .refused(refusal(rest, request, matches: matches))
                case .stopped(let question): return .refused(bug(question))
                }
            }
        }
    }

    /// An area whose every path is private: a path in it that no route has is a missing
    /// resource of the area, guarded as the area's routes are, so that a caller nobody has
    /// identified gets the same answer whether or not a route is there.
    struct PrivateArea: Sendable {
        let prefix: String
        let guardResource: @Sendable (MockService, ServiceRequest) -> Guard

        func `guard`(_ service: MockService, _ request: ServiceRequest) -> Guard {
            var guardInfo = guardResource(service, request)
            guardInfo.resource.exists = false
            return guardInfo
        }

        static let all: [PrivateArea] = [
            PrivateArea(prefix: "/api/") { _, request in Guard(resource: .init(path: request.path), credentials: Credentials.from(request)) },
            PrivateArea(prefix: "/app/") { _, request in
                Guard(resource: .init(browser: true, path: request.path), credentials: Credentials.from(request, sessionCookie: MockService.sessionCookie))
            },
            PrivateArea(prefix: "/basic-auth/") { service, request in service.basicGuard(request, [:], hidden: false) },
            PrivateArea(prefix: "/hidden-basic-auth/") { service, request in service.basicGuard(request, [:], hidden: true) },
            PrivateArea(prefix: "/digest-auth/") { service, request in service.digestGuard(request, ["qop": "auth"]) },
            PrivateArea(prefix: "/bearer/") { service, request in service.bearerGuard(request) },
        ]

        static func containing(_ path: String) -> PrivateArea? { all.first { path.hasPrefix($0.prefix) } }
    }

    /// A refusal of the `status` diagram, with what this request in particular got wrong.
    private func refusal(_ decided: Decided, _ request: ServiceRequest, matches: [(route: Route, parameters: [String: String])]) -> ServiceResponse {
        let allow = Array(Set(matches.flatMap(\.route.allowed))).sorted().joined(separator: ", ")
        let detail: String? = switch decided.outcome.status {
        case 400: request.malformed
        case 404: "There is nothing at \(request.path). GET / lists what there is."
        case 405: "\(request.path) answers \(allow), not \(request.method)."
        case 413: "The content is larger than this server accepts here."
        case 414: "The request target is \(request.target.utf8.count) bytes; this server accepts \(MockService.maxTargetBytes)."
        case 431: "The header fields are larger than this server accepts."
        case 501: "This server implements \(MockService.knownMethods.sorted().joined(separator: ", ")); the request's method is none of them."
        default: nil
        }
        var response = OutcomeResponse(values: ["allow": allow], detail: detail).build(decided)
        // What follows a request refused for its size or syntax cannot be trusted.
        if [400, 413, 414, 431].contains(decided.outcome.status) { response.headers.append(("Connection", "close")) }
        return response
    }

    /// A diagram asked a fact this server does not set on that path: a server bug, said as such.
    private func bug(_ question: Question) -> ServiceResponse {
        .serverBug("This server cannot answer `\(question.fact)`, which a diagram asks (question `\(question.id)`).\n")
    }

    /// What the `status` diagram asks of a request, besides what is the same for all.
    struct RequestLevel: Sendable {
        var methodKnown, uriTooLong, headersTooLarge, methodAllowed, wellFormed, guarded, contentTooLarge, pathExists: Bool
        /// 0 GET or HEAD, 1 POST, 2 any other.
        var method: Int

        static let count = 1 << 10

        var key: Int {
            func bit(_ value: Bool, _ n: Int) -> Int { value ? 1 << (n + 2) : 0 }
            return bit(methodKnown, 7) | bit(uriTooLong, 6) | bit(headersTooLarge, 5) | bit(methodAllowed, 4) | bit(wellFormed, 3)
                | bit(guarded, 2) | bit(contentTooLarge, 1) | bit(pathExists, 0) | method
        }

        init(methodKnown: Bool, uriTooLong: Bool, headersTooLarge: Bool, methodAllowed: Bool, wellFormed: Bool, guarded: Bool,
             contentTooLarge: Bool, pathExists: Bool, method: Int) {
            (self.methodKnown, self.uriTooLong, self.headersTooLarge, self.methodAllowed) = (methodKnown, uriTooLong, headersTooLarge, methodAllowed)
            (self.wellFormed, self.guarded, self.contentTooLarge, self.pathExists, self.method) = (wellFormed, guarded, contentTooLarge, pathExists, method)
        }

        init(key: Int) {
            let bit = { (n: Int) in key >> (n + 2) & 1 == 1 }
            self.init(methodKnown: bit(7), uriTooLong: bit(6), headersTooLarge: bit(5), methodAllowed: bit(4), wellFormed: bit(3),
                      guarded: bit(2), contentTooLarge: bit(1), pathExists: bit(0), method: min(key & 3, 2))
        }

        /// The `status` facts: these, and those the same for every request (the service is up;
        /// it evaluates no legal holds, media types, Accept, content rules, conditional requests,
        /// ranges or quotas; nothing is remembered at old URIs; nothing is created or deferred).
        /// A protected route leaves `login-required` open for the `auth` diagram.
        var facts: Facts {
            var facts = Self.constant
            facts.set(.methodKnown, methodKnown)
            facts.set(.uriTooLong, uriTooLong)
            facts.set(.headersTooLarge, headersTooLarge)
            facts.set(.methodAllowed, methodAllowed)
            facts.set(.requestWellFormed, wellFormed)
            // Anything unguarded is public: the `auth` handoff lets it straight in.
            if !guarded { facts.set(.resourcePublic, true) }
            facts.set(.contentTooLarge, contentTooLarge)
            facts.set(.resourceExists, pathExists)
            facts[.requestMethod] = ["read", "post", "change"][method]
            return facts
        }

        private static let constant: Facts = {
            var facts = Facts()
            facts.set(.serviceAvailable, true)
            facts.set(.legallyRestricted, false)
            facts.set(.mediaTypeSupported, true)
            facts.set(.acceptableRepresentation, true)
            facts[.contentValid] = "valid"
            for fact: ServerFact in [.existedBefore, .putCreates, .ifMatchFailed, .ifNoneMatchMatches, .preconditionRequired,
                                     .conflictsWithState, .rateLimited, .rangeRequested, .workDeferred, .resourceCreated, .clientIsBrowser] {
                facts.set(fact, false)
            }
            facts.set(.responseHasContent, true)
            return facts
        }()
    }

    /// The `status` walk for every combination of the request-level facts, walked once when the
    /// service is made: the walk depends on nothing else, and requests then look it up.
    final class StatusWalks: Sendable {
        private let walks: [Walked]

        init(_ diagrams: ServerDiagrams) {
            walks = (0..<RequestLevel.count).map { diagrams.walk(.status, RequestLevel(key: $0).facts) }
        }

        subscript(level: RequestLevel) -> Walked { walks[level.key] }
    }

    /// The response header that carries the decision path: the diagram's id, then
    /// `question=answer` steps joined by ` > `, ending with the outcome's id and status.
    public static let decisionHeader = "StatusLab-Decision"
    /// A hint for the learner where the decision alone would puzzle (docs/SERVER.md).
    public static let noteHeader = "StatusLab-Note"

    func problem(_ status: Int, _ detail: String, extra: [(name: String, value: String)] = []) -> ServiceResponse {
        .problem(status, detail: detail, extra: extra)
    }

// MARK: The browser area

    static let sessionCookie = "statuslab_session"

    func appHome(_ request: ServiceRequest) -> ServiceResponse {
        .text(200, "<!doctype html><title>StatusLab demo</title><h1>StatusLab demo</h1><p><a href=\"/app/notes\">Your notes</a> · <a href=\"/app/login\">Log in</a></p>\n",
              type: "text/html; charset=utf-8")
    }

    func appNotes(_ identity: AuthDecision.Identity?) -> ServiceResponse {
        let mine = DemoWorld.notes.filter { $0.owner == identity?.user }.map { "<li>\(escape($0.text))</li>" }.joined()
        return .text(200, "<!doctype html><title>Notes</title><h1>\(escape(identity?.user ?? ""))'s notes</h1><ul>\(mine)</ul>"
                     + "<form method=\"post\" action=\"/app/logout\"><button>Log out</button></form>\n",
                     type: "text/html; charset=utf-8")
    }

    /// `next` accepts local paths only: `/app/notes`, never `https://…`, `//host` or `/\host`.
    static func safeNext(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.hasPrefix("/\\"),
              !value.contains("\r"), !value.contains("\n") else { return "/app/notes" }
        return value
    }

    func login(_ request: ServiceRequest) -> ServiceResponse {
        let next = MockService.safeNext(request.queryValue("next"))
        if request.method == "GET" {
            let form = "<!doctype html><title>Log in</title><h1>Log in</h1><form method=\"post\" action=\"/app/login\">"
                + "<input type=\"hidden\" name=\"next\" value=\"\(escape(next))\">"
                + "<label>User <input name=\"user\"></label> <label>Password <input name=\"password\" type=\"password\"></label>"
                + "<button>Log in</button></form>\n"
            return .text(200, form, type: "text/html; charset=utf-8", extra: [("Cache-Control", "no-store")])
        }
        let fields = MockService.formFields(request.body)
        let target = MockService.safeNext(fields["next"] ?? request.queryValue("next"))
        guard let user = DemoWorld.user(fields["user"] ?? ""), constantTimeEquals(fields["password"] ?? "", user.password) else {
            // A failed login form is a page again, with the reason; not an HTTP authentication failure.
            return .text(200, "<!doctype html><title>Log in</title><p>Unknown user or wrong password. <a href=\"/app/login?next=\(escape(target))\">Try again</a></p>\n",
                         type: "text/html; charset=utf-8", extra: [("Cache-Control", "no-store")])
        }
        let session = sessions.create(for: user.name)
        return afterForm(location: target, cookie: "\(MockService.sessionCookie)=\(session); Path=/app; HttpOnly; SameSite=Lax")
    }

    func logout(_ request: ServiceRequest) -> ServiceResponse {
        if let id = request.cookies[MockService.sessionCookie] { sessions.end(id) }
        return afterForm(location: "/app/login", cookie: "\(MockService.sessionCookie)=; Path=/app; HttpOnly; SameSite=Lax; Max-Age=0")
    }

    /// Where the browser goes after a form post, decided by the `redirect` diagram (a 303 to a
    /// page it fetches with GET), with the session cookie the form set or ended.
    private func afterForm(location: String, cookie: String) -> ServiceResponse {
        var facts = Facts()
        facts.set(.validatorMatches, false)
        facts.set(.seeOtherResource, true)
        guard case .decided(let decided) = diagrams.walk(.redirect, facts) else {
            return .serverBug("The redirect diagram asked a question this server does not answer.\n")
        }
        var response = OutcomeResponse(values: ["location": location]).build(decided)
        response.headers.append(("Set-Cookie", cookie))
        response.headers.append(("Cache-Control", "no-store"))
        return response
    }

    // MARK: The token endpoint

    /// `POST /oauth/token` (RFC 6749): the password and client_credentials grants, decided by
    /// the `token` diagram. Errors are JSON with an `error` code (§5.2); a token is a JWT whose
    /// `expires_in` the request may shorten for practice (`expires_in=5`).
    func token(_ request: ServiceRequest) -> ServiceResponse {
        let pairs = FormEncoding.pairs(request.body)
        let fields = MockService.formFields(request.body)
        let isForm = request.header("Content-Type").map {
            ($0.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces).equalsIgnoringASCIICase("application/x-www-form-urlencoded")
        } ?? false
        let grant = fields["grant_type"] ?? ""
        var facts = Facts()
        facts.set(.grantTypeSupported, ["password", "client_credentials"].contains(grant))
        let needed = grant == "password" ? ["grant_type", "username", "password"] : ["grant_type"]
        let repeated = Set(pairs.map(\.name)).count != pairs.count
        facts.set(.tokenRequestComplete, isForm && !repeated && needed.allSatisfy { !(fields[$0] ?? "").isEmpty })
        // The client: HTTP Basic with its id and secret, or a public client named in client_id.
        var client: DemoWorld.Client? = nil
        var clientTried = false
        if case .basic(let id, let secret) = Credentials.from(request) {
            clientTried = true
            if let known = DemoWorld.client(id), let expected = known.secret, constantTimeEquals(secret, expected) { client = known }
        } else if let id = fields["client_id"], let known = DemoWorld.client(id), known.secret == nil {
            client = known
        }
        facts.set(.clientAuthenticated, grant == "client_credentials" ? client?.secret != nil : (client != nil || !clientTried))
        var subject = "", granted: [String] = []
        if grant == "password", let user = DemoWorld.user(fields["username"] ?? ""),
           constantTimeEquals(fields["password"] ?? "", user.password), !user.blocked {
            (subject, granted) = (user.name, user.scopes)
        } else if grant == "client_credentials", let client {
            (subject, granted) = (client.id, client.scopes)
        }
        facts.set(.grantValid, !subject.isEmpty)
        let asked = (fields["scope"] ?? "").split(separator: " ").map(String.init)
        facts.set(.scopeAllowed, asked.allSatisfy(granted.contains))
        guard case .decided(let decided) = diagrams.walk(.token, facts) else {
            return .serverBug("The token diagram asked a question this server does not answer.\n")
        }
        guard decided.outcome.serves else {
            // RFC 6749 §5.2: a JSON body with the error code (the outcome's id, in the RFC's spelling).
            var response = OutcomeResponse(values: [:]).build(decided)
            let code = decided.outcome.id.replacingOccurrences(of: "-", with: "_")
            response.body = Array((JSONText.encode(["error": code, "error_description": decided.outcome.label]) + "\n").utf8)
            response.headers.removeAll { $0.name == "Content-Type" }
            response.headers.append(("Content-Type", "application/json"))
            response.headers.append(("Pragma", "no-cache"))
            return response
        }
        let lifetime = min(max(Int(fields["expires_in"] ?? "") ?? Tokens.longestLifetime, 1), Tokens.longestLifetime)
        let scopes = asked.isEmpty ? granted : asked
        let token = auth.tokens.issue(subject: subject, scopes: scopes, lifetime: lifetime)
        var response = ServiceResponse.json(decided.outcome.status, ["access_token": token, "token_type": "Bearer", "expires_in": lifetime,
                                                  "scope": scopes.joined(separator: " ")],
                                            extra: [("Cache-Control", "no-store"), ("Pragma", "no-cache")])
        response.decision = decided.header
        return response
    }

    static func formFields(_ body: [UInt8]) -> [String: String] {
        Dictionary(FormEncoding.pairs(body), uniquingKeysWith: { _, last in last })
    }

    // MARK: httpbin-compatible endpoints

    /// Only the user named in the URL, with the password named there, gets in; the challenge
    /// names Basic whatever came. The hidden variant hides from strangers: 404 for no
    /// credentials and for wrong ones, as the `auth` diagram's `hide-from-strangers` says.
    func basicGuard(_ request: ServiceRequest, _ parameters: [String: String], hidden: Bool) -> Guard {
        var credentials = Credentials.from(request)
        switch credentials {
        case .basic, .malformed(scheme: "Basic", _): break
        default: credentials = .otherScheme("Basic")
        }
        let (name, secret) = (parameters["user"] ?? "", parameters["passwd"] ?? "")
        let passwords: AuthDecision.PasswordCheck = { user, password in
            user == name && constantTimeEquals(password, secret) ? .init(user: user, scopes: []) : nil
        }
        return Guard(resource: .init(hiddenFromStrangers: hidden, path: request.path), credentials: credentials, passwords: passwords)
    }

    /// RFC 7616 Digest: the route's own check of the Authorization header, its challenge
    /// parameters (a fresh nonce; `stale=true` when the nonce expired).
    func digestGuard(_ request: ServiceRequest, _ parameters: [String: String]) -> Guard {
        let qop = parameters["qop"] ?? ""
        let algorithm = DigestAuth.algorithm(parameters["algorithm"]) ?? .md5
        let user = parameters["user"] ?? "", password = parameters["passwd"] ?? ""
        var guardInfo = Guard(resource: .init(path: request.path), credentials: .otherScheme("Digest"))
        if let header = request.header("Authorization"), header.lowercased().hasPrefix("digest ") {
            switch digest.verify(header, method: request.method, target: request.target, body: request.body,
                                 user: user, password: password, qop: qop, algorithm: algorithm) {
            case .valid: guardInfo.credentials = .checked(user: user, result: .valid)
            case .wrong: guardInfo.credentials = .checked(user: user, result: .wrong)
            case .hashedWithSHA256:
                guardInfo.credentials = .checked(user: user, result: .wrong)
                guardInfo.note = "The response parameter was computed with SHA-256, not SHA-512/256 as algorithm=SHA-512-256 asks "
                    + "(RFC 7616 §3.2); older curl releases do this. Try SHA-256, or a newer client."
            case .stale: guardInfo.credentials = .checked(user: user, result: .expired)
            case .malformed(let why): guardInfo.credentials = .malformed(scheme: "Digest", why: why)
            }
        }
        let stale = guardInfo.credentials == .checked(user: user, result: .expired)
        guardInfo.challenge = digest.challengeParameters(qop: qop, algorithm: algorithm, stale: stale)
        return guardInfo
    }

    /// Only a Bearer token counts; the challenge names Bearer whatever came.
    func bearerGuard(_ request: ServiceRequest) -> Guard {
        var credentials = Credentials.from(request)
        switch credentials {
        case .bearer, .malformed(scheme: "Bearer", _): break
        default: credentials = .otherScheme("Bearer")
        }
        return Guard(resource: .init(path: request.path), credentials: credentials)
    }

    /// `/status/{code}` echoes codes from 100 to 599, but for 101: there is no protocol to
    /// switch to (RFC 9110 §7.8), so `/status/101` names nothing here.
    static func echoable(_ text: String?) -> Bool {
        guard let text, let code = Int(text), text.utf8.count == 3 else { return false }
        return (100...599).contains(code) && code != 101
    }

    /// Any code from 100 to 599 (but 101) with the headers it requires (HeaderRules) and the
    /// usual optional ones: the code the learner asked for, which no diagram decides (`undecided`).
    /// A 1xx cannot be a final response: it goes out as an interim response before a 200 (103
    /// with a `Link` hint).
    func status(_ text: String) -> ServiceResponse {
        let code = Int(text) ?? 200
        if code < 200 {
            let hints = code == 103 ? [("Link", "</style.css>; rel=preload; as=style")] : []
            var response = ServiceResponse.text(200, "\(StatusRegistry.statusText(code)) came first, as an interim response; this 200 OK is the final one. "
                                                + "An HTTP/1.0 client gets only the 200: 1xx responses must not go to it (RFC 9110 §15.2).\n",
                                                extra: hints)
            response.interim = [InterimResponse(status: code, headers: hints)]
            response.undecided = true
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
        var response = ServiceResponse.text(code, "\(StatusRegistry.statusText(code))\n", extra: headers)
        response.headers.append((MockService.noteHeader, "This endpoint answers with the code you asked for; no diagram decides it."))
        response.undecided = true
        return response
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
