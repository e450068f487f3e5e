import Foundation
import StatusLabCore

/// What answers the requests a server reads: the demo service, or a room in front of it.
public protocol RequestResponder: Sendable {
    func respond(_ request: ServiceRequest) -> ServiceResponse
    /// The refusal a request gets before its content is read, if any (see `MockService`).
    func refusalBeforeContent(_ request: ServiceRequest) -> ServiceResponse?
}

/// The demo service as a function from request to response. Each request is decided by the
/// diagrams (`ServerDiagrams`): the `status` diagram with the request's facts (method, size,
/// syntax, whether the path names anything); on a protected route it hands over at
/// `login-required` to the `auth` diagram; what is served then comes from the route's handler.
public final class MockService: RequestResponder {
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

    /// Every route's path pattern (`/api/notes/{id}`), for completion in the Lab.
    public static var routePaths: [String] { Router.routePaths }

    public convenience init(diagrams: ServerDiagrams, policies: Policies = Policies(), sessions: SessionStore = SessionStore()) {
        self.init(diagrams: diagrams, statusWalks: StatusWalks(diagrams),
                  auth: AuthDecision(diagrams: diagrams, policies: policies, tokens: Tokens(), cache: ResponseCache()),
                  sessions: sessions, digest: DigestAuth(realm: diagrams.realm), policies: policies)
    }

    init(diagrams: ServerDiagrams, statusWalks: StatusWalks, auth: AuthDecision, sessions: SessionStore, digest: DigestAuth, policies: Policies) {
        self.diagrams = diagrams
        self.statusWalks = statusWalks
        self.auth = auth
        self.sessions = sessions
        self.digest = digest
        self.policies = policies
    }

    /// The same service (diagrams, walks, sessions, digest nonces, refusal cache) under
    /// `policies`.
    func with(policies: Policies) -> MockService {
        MockService(diagrams: diagrams, statusWalks: statusWalks, auth: AuthDecision(diagrams: diagrams, policies: policies, tokens: auth.tokens, cache: auth.cache),
                    sessions: sessions, digest: digest, policies: policies)
    }

    /// Decides the request by the diagrams, and serves it when they let it through. HEAD is
    /// decided as GET; the writer leaves the body out.
    public func respond(_ request: ServiceRequest) -> ServiceResponse {
        let service = scoped(to: request)
        switch service.verdict(request) {
        case .refused(let response):
            return response
        case .serve(let route, let served):
            return Self.response(route.handler(service, request, served), served: served)
        }
    }

    /// The refusal the request gets whatever its content turns out to be, if it gets one: what
    /// the server answers to an `Expect: 100-continue` instead of `100 Continue`, or as soon as
    /// it knows the content is too large. Nil when the request would be served.
    public func refusalBeforeContent(_ request: ServiceRequest) -> ServiceResponse? {
        if case .refused(let response) = scoped(to: request).verdict(request) { return response }
        return nil
    }

    /// A handler's reply as it goes out: the status is a walk's, as the decision header says
    /// (the walk that let the request through, or the handler's own); only the echo of
    /// `/status/{code}` and a bug are undecided.
    static func response(_ reply: Reply, served: Served?) -> ServiceResponse {
        switch reply {
        case .served(let content):
            guard let served else { return .serverBug("Content was served without the walk that let it through.\n") }
            return ServiceResponse(status: served.decided.outcome.status, headers: content.headers, body: content.body, decision: served.decided.header)
        case .decided(let decided, let content):
            return ServiceResponse(status: decided.outcome.status, headers: content.headers, body: content.body, decision: decided.header)
        case .echo(let status, let interim, let content):
            var response = ServiceResponse(status: status, headers: content.headers, body: content.body)
            response.interim = interim
            response.undecided = true
            return response
        case .bug(let text):
            return .serverBug(text)
        }
    }

    /// This service under the policies the request asks for, if it asks for any; `self` as it is
    /// otherwise (a copy would take a reference to every shared part of the service).
    private func scoped(to request: ServiceRequest) -> MockService {
        guard !request.query.isEmpty || request.header(StatusLabHeader.policy) != nil else { return self }
        let requested = policies.applying(request)
        return requested == policies ? self : with(policies: requested)
    }
}
