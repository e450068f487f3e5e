import StatusLabCore
import Synchronization

/// The server's side of the one model: it works out the facts of the `auth` diagram from a
/// request, lets `DecisionEngine` decide, and turns the outcome into the response. No status
/// code for a protected resource is chosen anywhere else.
struct AuthDecision {
    /// What the request is for, as the demo world knows it.
    struct Target {
        var exists = true
        var isPublic = false
        var forbiddenToEveryone = false
        var owner: String? = nil
        var requiredScope: String? = nil
        var browser = false
        /// Where a browser comes back to after logging in.
        var path = "/"
    }

    struct Identity {
        let user: String
        let scopes: [String]
        var blocked = false
    }

    enum Result {
        case allowed(Identity?, path: [DecisionEngine.Step], outcome: Outcome)
        case refused(ServiceResponse, path: [DecisionEngine.Step], outcome: Outcome?)

        /// The refusal as decided, or the success `body` builds, carrying the decision path.
        func response(_ body: (Identity?) -> ServiceResponse) -> ServiceResponse {
            switch self {
            case .refused(let response, _, _):
                return response
            case .allowed(let identity, let path, let outcome):
                var response = body(identity)
                response.decision = DecisionEngine.describe(path, outcome: outcome)
                return response
            }
        }
    }

    /// Who a user name and password belong to: the demo world's users by default.
    typealias PasswordCheck = @Sendable (String, String) -> Identity?

    static let demoUsers: PasswordCheck = { name, password in
        let known = DemoWorld.user(name)
        // Compare against something even for an unknown user, so timing does not tell.
        guard constantTimeEquals(password, known?.password ?? "\u{0}no such user"), let known else { return nil }
        return Identity(user: known.name, scopes: known.scopes, blocked: known.blocked)
    }

    let diagram: Diagram
    let policies: Policies
    /// Refusals are the same for the same outcome, path and request details: built once.
    let cache: ResponseCache

    func decide(_ request: ServiceRequest, target: Target, credentials: Credentials, sessions: SessionStore,
                passwords: PasswordCheck = AuthDecision.demoUsers) -> Result {
        var facts = [String: String](minimumCapacity: 12)  // room for every fact: no regrowth
        facts["resource-exists"] = yesNo(target.exists)
        facts["resource-public"] = yesNo(target.isPublic)
        facts["client-is-browser"] = yesNo(target.browser)
        facts["login-by-redirect"] = yesNo(policies.loginByRedirect)
        facts["forbidden-to-everyone"] = yesNo(target.forbiddenToEveryone)
        facts["hide-forbidden"] = yesNo(policies.hideForbidden)
        var identity: Identity? = nil
        switch credentials {
        case .none, .otherScheme:
            facts["credentials-present"] = "no"
        case .malformed:
            facts["credentials-present"] = "yes"
            facts["credentials-well-formed"] = "no"
        case .basic(let user, let password):
            facts["credentials-present"] = "yes"
            facts["credentials-well-formed"] = "yes"
            if let known = passwords(user, password) {
                facts["credentials-check"] = "valid"
                facts["identity-blocked"] = yesNo(known.blocked)
                identity = known
            } else {
                facts["credentials-check"] = "wrong"
            }
        case .bearer(let value):
            facts["credentials-present"] = "yes"
            facts["credentials-well-formed"] = "yes"
            if let token = DemoWorld.tokens.first(where: { constantTimeEquals($0.value, value) }) {
                facts["credentials-check"] = token.state == .valid ? "valid" : token.state.rawValue
                facts["identity-blocked"] = yesNo(DemoWorld.user(token.user)?.blocked ?? false)
                identity = Identity(user: token.user, scopes: token.scopes)
            } else {
                facts["credentials-check"] = "wrong"
            }
        case .checked(let user, let result):
            facts["credentials-present"] = "yes"
            facts["credentials-well-formed"] = "yes"
            facts["credentials-check"] = result
            if result == "valid" {
                facts["identity-blocked"] = "no"
                identity = Identity(user: user, scopes: [])
            }
        case .session(let id):
            // A cookie that names no live session (logged out, server restarted) identifies
            // nobody: the browser is simply not logged in.
            if let user = sessions.user(for: id), let known = DemoWorld.user(user) {
                facts["credentials-present"] = "yes"
                facts["credentials-well-formed"] = "yes"
                facts["credentials-check"] = "valid"
                facts["identity-blocked"] = yesNo(known.blocked)
                identity = Identity(user: known.name, scopes: known.scopes)
            } else {
                facts["credentials-present"] = "no"
            }
        }
        if let identity {
            facts["owned-by-someone-else"] = yesNo(target.owner.map { $0 != identity.user } ?? false)
            facts["permission-held"] = yesNo(target.requiredScope.map(identity.scopes.contains) ?? true)
        }

        guard let (path, outcome) = try? DecisionEngine.decide(diagram, facts: facts) else {
            // The facts above cover every question of the auth diagram; a content pack whose
            // diagram asks other questions cannot drive the server.
            return .refused(.text(500, "The auth diagram asks a question the server cannot answer.\n"), path: [], outcome: nil)
        }
        if outcome.status == 200 { return .allowed(identity, path: path, outcome: outcome) }
        return .refused(response(for: outcome, path: path, target: target, credentials: credentials), path: path, outcome: outcome)
    }

    func yesNo(_ value: Bool) -> String { value ? "yes" : "no" }

    /// The outcome as a response: its status, its headers filled in for this request, and a
    /// problem+json body (HTML for a browser) saying why.
    func response(for outcome: Outcome, path: [DecisionEngine.Step], target: Target, credentials: Credentials,
                  status overriding: Int? = nil) -> ServiceResponse {
        let key = ResponseCache.Key(path: path, outcome: outcome.id, status: overriding ?? outcome.status, scheme: credentials.scheme,
                                    describeErrors: policies.describeErrors, browserPath: target.browser ? target.path : "",
                                    scope: target.requiredScope ?? "")
        return cache.response(for: key) {
            buildResponse(for: outcome, decision: DecisionEngine.describe(path, outcome: outcome), target: target,
                          credentials: credentials, status: overriding)
        }
    }

    private func buildResponse(for outcome: Outcome, decision: String, target: Target, credentials: Credentials,
                               status overriding: Int?) -> ServiceResponse {
        let status = overriding ?? outcome.status
        var values = diagram.variables
        values["realm"] = DemoWorld.realm
        values["scheme"] = credentials.scheme
        values["scope"] = target.requiredScope ?? values["scope"] ?? ""
        if target.browser || outcome.headers.contains(where: { $0.contains("{login}") }) {
            values["login"] = "/app/login?next=" + (target.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F")
        }
        var headers: [(name: String, value: String)] = []
        if status == outcome.status {
            for header in outcome.filledHeaders(values) {
                let parts = header.split(separator: ":", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else { continue }
                let value = parts[0].lowercased() == "www-authenticate" ? challenge(parts[1], credentials: credentials) : parts[1]
                headers.append((parts[0], value))
            }
        }
        let reason = StatusRegistry.lookup(status)?.reason ?? ""
        let detail = outcome.why.plainText
        if target.browser {
            let html = "<!doctype html><title>\(status) \(reason)</title><h1>\(status) \(reason)</h1><p>\(escape(detail))</p>"
                + (status == 401 ? "<p><a href=\"\(escape(values["login"]!))\">Log in</a></p>" : "") + "\n"
            return ServiceResponse(status: status, headers: headers + [("Content-Type", "text/html; charset=utf-8")],
                                   body: Array(html.utf8), decision: decision)
        }
        var problem = ServiceResponse.problem(status, detail: detail, type: "https://statuslab.invalid/problems/\(outcome.id)",
                                              extra: headers)
        problem.decision = decision
        return problem
    }

    /// Bearer's error parameters belong to Bearer; Basic gets `charset` (RFC 7617 §2.1); the
    /// `error_description` policy decides whether refusals say why.
    func challenge(_ value: String, credentials: Credentials) -> String {
        var params = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard var first = params.first else { return value }
        let scheme = first.split(separator: " ").first.map(String.init) ?? ""
        if scheme == "Basic" {
            params = params.filter { !$0.hasPrefix("error") && !$0.hasPrefix("scope=") }
            first = params.first ?? first
            params.append("charset=\"UTF-8\"")
        }
        if !policies.describeErrors { params = params.filter { !$0.hasPrefix("error_description=") } }
        return ([first] + params.dropFirst()).joined(separator: ", ")
    }
}

func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

import Foundation

/// Built responses by key, up to a bound (the demo world has few distinct refusals).
final class ResponseCache: Sendable {
    /// Everything a built response depends on: the walk (path and outcome) and the request
    /// details that fill its headers and body.
    struct Key: Hashable, Sendable {
        let path: [DecisionEngine.Step]
        let outcome: String
        let status: Int
        let scheme: String
        let describeErrors: Bool
        let browserPath: String
        let scope: String
    }

    private let entries = Mutex<[Key: ServiceResponse]>([:])
    static let limit = 4096

    func response(for key: Key, build: () -> ServiceResponse) -> ServiceResponse {
        if let cached = entries.withLock({ $0[key] }) { return cached }
        let built = build()
        entries.withLock { entries in
            if entries.count >= Self.limit { entries.removeAll() }
            entries[key] = built
        }
        return built
    }
}
