import Foundation
import StatusLabCore
import Synchronization

/// The `auth` diagram's side of the server: it works out who is asking and what they ask for
/// (the facts), lets the diagram decide, and turns a refusal into its response.
struct AuthDecision {
    /// What the request is for, as the demo world knows it.
    struct Resource {
        var exists = true
        var isPublic = false
        var forbiddenToEveryone = false
        var owner: String? = nil
        var requiredScope: String? = nil
        var browser = false
        /// Strangers (no credentials, wrong credentials) get 404 here, as on httpbin's
        /// `/hidden-basic-auth`.
        var hiddenFromStrangers = false
        /// Where a browser comes back to after logging in.
        var path = "/"
        /// The one scheme this resource takes, which its challenges name whatever the request
        /// sent (the room's join takes Basic); nil: the scheme the request used, else Bearer.
        var scheme: String? = nil
    }

    struct Identity {
        let user: String
        let scopes: [String]
        var blocked = false
    }

    /// The result of a credential check, the values of the `credentials-check` fact.
    enum Check: String {
        case valid, wrong, expired, revoked
    }

    enum Result {
        /// Let in, with the facts the walk was given (the `status` walk goes on with them).
        case allowed(Identity?, Decided, Facts)
        case refused(ServiceResponse)
    }

    /// Who a user name and password belong to: the demo world's users by default.
    typealias PasswordCheck = @Sendable (String, String) -> Identity?

    static let demoUsers: PasswordCheck = { name, password in
        let known = DemoWorld.user(name)
        // Compare against something even for an unknown user, so timing does not tell.
        guard constantTimeEquals(password, known?.password ?? "\u{0}no such user"), let known else { return nil }
        return Identity(user: known.name, scopes: known.scopes, blocked: known.blocked)
    }

    let diagrams: ServerDiagrams
    let policies: Policies
    /// Signs and checks the JWTs the token endpoint issues.
    let tokens: Tokens
    /// Refusals are the same for the same walk and request details: built once.
    let cache: ResponseCache

    /// Decides by the `auth` diagram. `challenge` adds a scheme's own parameters to a 401's
    /// challenge (Digest's nonce); such refusals are built afresh each time.
    func decide(_ request: ServiceRequest, resource: Resource, credentials: Credentials, sessions: SessionStore,
                passwords: PasswordCheck = AuthDecision.demoUsers,
                challenge: [(name: String, value: String)] = []) -> Result {
        var asked = AuthFacts()
        asked.resourcePublic = resource.isPublic
        asked.resourceExists = resource.exists
        asked.clientIsBrowser = resource.browser
        asked.loginByRedirect = policies.loginByRedirect
        asked.hideFromStrangers = resource.hiddenFromStrangers
        asked.forbiddenToEveryone = resource.forbiddenToEveryone
        asked.hideForbidden = policies.hideForbidden
        var identity: Identity? = nil
        func checked(_ check: Check, _ who: Identity?) {
            asked.credentials = .checked(check.rawValue)
            if check == .valid { identity = who }
        }
        switch credentials {
        case .none, .otherScheme: asked.credentials = .none
        case .malformed: asked.credentials = .malformed
        case .basic(let user, let password):
            let known = passwords(user, password)
            checked(known == nil ? .wrong : .valid, known)
        case .bearer(let value):
            if let verdict = tokens.verify(value) {
                // A JWT from the token endpoint: its signature, audience and expiry decide.
                switch verdict {
                case .valid(let subject, let scopes):
                    let user = DemoWorld.user(subject)
                    checked(.valid, Identity(user: subject, scopes: scopes, blocked: user?.blocked ?? false))
                case .expired: checked(.expired, nil)
                case .wrong: checked(.wrong, nil)
                }
            } else if let token = DemoWorld.tokens.first(where: { constantTimeEquals($0.value, value) }) {
                let check: Check = switch token.state { case .valid: .valid; case .expired: .expired; case .revoked: .revoked }
                checked(check, Identity(user: token.user, scopes: token.scopes, blocked: DemoWorld.user(token.user)?.blocked ?? false))
            } else {
                checked(.wrong, nil)
            }
        case .checked(let user, let check):
            checked(check, Identity(user: user, scopes: []))
        case .session(let id):
            // A cookie that names no live session (logged out, server restarted) identifies
            // nobody: the browser is simply not logged in.
            asked.credentials = .unknown
            if let user = sessions.user(for: id), let known = DemoWorld.user(user) {
                identity = Identity(user: known.name, scopes: known.scopes, blocked: known.blocked)
            }
        }
        asked.callerIdentified = identity != nil
        if let identity {
            asked.identityBlocked = identity.blocked
            asked.ownedBySomeoneElse = resource.owner.map { $0 != identity.user } ?? false
            asked.permissionHeld = resource.requiredScope.map(identity.scopes.contains) ?? true
        }
        let facts = Facts(asked)

        guard case .decided(let decided) = diagrams.walk(.auth, facts) else {
            // Every fact the auth diagram asks is set above for the path it takes; a content
            // pack whose diagram asks others is refused when the server starts.
            return .refused(.serverBug("The auth diagram asked a question this server does not answer.\n"))
        }
        if decided.outcome.serves { return .allowed(identity, decided, facts) }
        func build() -> ServiceResponse {
            OutcomeResponse(values: values(resource, credentials), browser: resource.browser, describeErrors: policies.describeErrors,
                            challengeParameters: decided.outcome.status == 401 ? challenge : []).build(decided)
        }
        guard challenge.isEmpty else { return .refused(build()) }
        let key = ResponseCache.Key(path: decided.path, outcome: decided.outcome.id, scheme: resource.scheme ?? credentials.scheme,
                                    describeErrors: policies.describeErrors, browserPath: resource.browser ? resource.path : "",
                                    scope: resource.requiredScope ?? "")
        return .refused(cache.response(for: key, build: build))
    }

    /// The placeholders an auth outcome's headers use, for this request.
    private func values(_ resource: Resource, _ credentials: Credentials) -> [String: String] {
        var values = ["scheme": resource.scheme ?? credentials.scheme]
        if let scope = resource.requiredScope { values["scope"] = scope }
        if resource.browser {
            values["login"] = "/app/login?next=" + (resource.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F")
        }
        return values
    }
}

/// Built refusals by key, up to a bound (the demo world has few distinct refusals). A speed
/// measure of the server's, kept out of the decision model (docs/BENCHMARKS.md).
final class ResponseCache: Sendable {
    /// Everything a built refusal depends on: the walk and the request details that fill it.
    struct Key: Hashable, Sendable {
        let path: [DecisionEngine.Step]
        let outcome: String
        let scheme: String
        let describeErrors: Bool
        let browserPath: String
        let scope: String

        /// Hashes the cheap fields only (equal keys still hash alike).
        func hash(into hasher: inout Hasher) {
            hasher.combine(outcome)
            hasher.combine(path.count)
            hasher.combine(browserPath)
        }
    }

    private let entries = Mutex<[Key: ServiceResponse]>([:])
    static let limit = 4096

    func response(for key: Key, build: () -> ServiceResponse) -> ServiceResponse {
        if let cached = entries.withLock({ $0[key] }) { return cached }
        var built = build()
        // Checked once here rather than each time it is sent (see `ServiceFront.answer`).
        built.fieldsChecked = built.headersAreValid
        entries.withLock { entries in
            if entries.count >= Self.limit { entries.removeAll() }
            entries[key] = built
        }
        return built
    }
}
