import Foundation
import StatusLabCore

/// The verdict on a request: the route table's matches, the `status` walk with the request's
/// facts and, for a protected resource, the `auth` walk through the route's guard.
extension MockService {
    /// A request target longer than this is refused (414).
    static let maxTargetBytes = 8 * 1024

    enum Verdict {
        case refused(ServiceResponse)
        case serve(Route, Served)
    }

    func verdict(_ request: ServiceRequest) -> Verdict { verdict(request, matches: Router.matches(request.path)) }

    /// The verdict on `request` against `matches`: the route table's, or routes of a front's
    /// own (a room's join, feed and hand-in), decided the same way.
    func verdict(_ request: ServiceRequest, matches: [Router.Match]) -> Verdict {
        let method = request.method == "HEAD" ? "GET" : request.method
        let chosen = matches.first { $0.route.methods.contains(method) }
        // Who gets in is asked before whether the method fits, so the guard is the route's for
        // this method or, failing that, any route's at this path; a path no route has in a
        // private area is that area's missing resource (`PrivateArea`).
        let guarding: (() -> Guard)? = if let match = chosen ?? matches.first {
            match.route.guarded.map { guarded in { guarded(self, request, match.parameters) } }
        } else {
            Router.privateArea(containing: request.path).map { area in { area.guard(self, request) } }
        }
        let level = RequestLevel(
            methodKnown: Router.knownMethods.contains(request.method), uriTooLong: request.target.utf8.count > Self.maxTargetBytes,
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
            let access = guarding()
            switch auth.decide(request, resource: access.resource, credentials: access.credentials, sessions: sessions,
                               passwords: access.passwords, challenge: access.challenge) {
            case .refused(var response):
                if let note = access.note { response.headers.append((StatusLabHeader.note, note)) }
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

    /// The `status` walk for a request a handler has taken, with what only the handler knows
    /// set by `known` (a join that finds the name taken, a learner over their budget): the
    /// request-level facts of a request the table lets through, then the walk's outcome with
    /// `content` when it serves, or its refusal with `detail`.
    func walkTaken(_ request: ServiceRequest, content: Content = Content(headers: [], body: []), detail: String? = nil,
                   values: [String: String] = [:], _ known: (inout Facts) -> Void) -> Reply {
        let method = request.method == "GET" || request.method == "HEAD" ? 0 : request.method == "POST" ? 1 : 2
        var facts = RequestLevel(methodKnown: true, uriTooLong: false, headersTooLarge: false, methodAllowed: true, wellFormed: true,
                                 guarded: false, contentTooLarge: false, pathExists: true, method: method).facts
        known(&facts)
        guard case .decided(let decided) = diagrams.walk(.status, facts) else {
            return .bug("The status diagram asked a question this server does not answer.\n")
        }
        let built = OutcomeResponse(values: values, detail: detail).build(decided)
        guard decided.outcome.serves else { return .decided(decided, Content(headers: built.headers, body: built.body)) }
        // The outcome's own fields (a 201's Location) with the handler's content.
        let fields = built.headers.filter { field in !content.headers.contains { $0.name.equalsIgnoringASCIICase(field.name) } && field.name != "Content-Type" }
        return .decided(decided, Content(headers: fields + content.headers, body: content.body))
    }

    /// A refusal of the `status` diagram, with what this request in particular got wrong.
    private func refusal(_ decided: Decided, _ request: ServiceRequest, matches: [Router.Match]) -> ServiceResponse {
        let allow = Array(Set(matches.flatMap(\.route.allowed))).sorted().joined(separator: ", ")
        // By outcome, not by code: two outcomes can share a code (`bad-request` and
        // `unreadable-content` are both 400) and say different things.
        let detail: String? = switch decided.outcome.id {
        case "bad-request": request.malformed
        case "not-found": "There is nothing at \(request.path). GET / lists what there is."
        case "method-not-allowed": "\(request.path) answers \(allow), not \(request.method)."
        case "too-large": "The content is larger than this server accepts here."
        case "uri-rejected": "The request target is \(request.target.utf8.count) bytes; this server accepts \(Self.maxTargetBytes)."
        case "headers-rejected": "The header fields are larger than this server accepts."
        case "not-implemented": "This server implements \(Router.knownMethods.sorted().joined(separator: ", ")); the request's method is none of them."
        default: nil
        }
        var response = OutcomeResponse(values: ["allow": allow], detail: detail).build(decided)
        // What follows a request refused for its size or syntax cannot be trusted: the
        // connection closes after it (a rule of the connection, which no diagram carries).
        if Self.closesConnection.contains(decided.outcome.id) { response.headers.append(("Connection", "close")) }
        return response
    }

    /// The `status` outcomes after which the rest of the connection cannot be read.
    static let closesConnection: Set<String> = ["bad-request", "too-large", "uri-rejected", "headers-rejected"]

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
}
