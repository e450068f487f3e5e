import Foundation

/// `POST /oauth/token` (RFC 6749): the password and client_credentials grants, decided by the
/// `token` diagram. Errors are JSON with an `error` code (§5.2); a token is a JWT whose
/// `expires_in` the request may shorten for practice (`expires_in=5`).
enum TokenRoute {
    static let routes: [Route] = [
        Route("/oauth/token", ["POST"],
              about: "OAuth 2.0 password and client_credentials grants: a signed JWT for /api (expires_in=5 to practise expiry)") { service, request, _ in
            service.token(request)
        },
    ]
}

extension MockService {
    func token(_ request: ServiceRequest) -> Reply {
        let pairs = FormEncoding.pairs(request.body)
        let fields = FormEncoding.fields(request.body)
        let grant = fields["grant_type"] ?? ""
        var facts = Facts()
        facts.set(.grantTypeSupported, ["password", "client_credentials"].contains(grant))
        let needed = grant == "password" ? ["grant_type", "username", "password"] : ["grant_type"]
        let repeated = Set(pairs.map(\.name)).count != pairs.count
        facts.set(.tokenRequestComplete, request.hasFormContent && !repeated && needed.allSatisfy { !(fields[$0] ?? "").isEmpty })
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
            return .bug("The token diagram asked a question this server does not answer.\n")
        }
        let noStore: [(name: String, value: String)] = [("Cache-Control", "no-store"), ("Pragma", "no-cache")]
        guard decided.outcome.serves else {
            // RFC 6749 §5.2: a JSON body with the error code (the outcome's id, in the RFC's spelling).
            let refusal = OutcomeResponse(values: [:]).build(decided)
            let code = decided.outcome.id.replacingOccurrences(of: "-", with: "_")
            let body = Content.json(["error": code, "error_description": decided.outcome.label])
            return .decided(decided, Content(headers: refusal.headers.filter { $0.name != "Content-Type" } + body.headers + [("Pragma", "no-cache")],
                                             body: body.body))
        }
        let lifetime = min(max(Int(fields["expires_in"] ?? "") ?? Tokens.longestLifetime, 1), Tokens.longestLifetime)
        let scopes = asked.isEmpty ? granted : asked
        let token = auth.tokens.issue(subject: subject, scopes: scopes, lifetime: lifetime)
        return .decided(decided, .json(["access_token": token, "token_type": "Bearer", "expires_in": lifetime, "scope": scopes.joined(separator: " ")],
                                       extra: noStore))
    }
}
