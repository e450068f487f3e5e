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
        var facts = Facts(resourceExists: target.exists, resourcePublic: target.isPublic, clientIsBrowser: target.browser,
                          loginByRedirect: policies.loginByRedirect, forbiddenToEveryone: target.forbiddenToEveryone,
                          hideForbidden: policies.hideForbidden)
        var identity: Identity? = nil
        switch credentials {
        case .none, .otherScheme:
            facts.credentialsPresent = false
        case .malformed:
            facts.credentialsPresent = true
            facts.credentialsWellFormed = false
        case .basic(let user, let password):
            facts.credentialsPresent = true
            facts.credentialsWellFormed = true
            if let known = passwords(user, password) {
                facts.credentialsCheck = "valid"
                facts.identityBlocked = known.blocked
                identity = known
            } else {
                facts.credentialsCheck = "wrong"
            }
        case .bearer(let value):
            facts.credentialsPresent = true
            facts.credentialsWellFormed = true
            if let token = DemoWorld.tokens.first(where: { constantTimeEquals($0.value, value) }) {
                facts.credentialsCheck = token.state == .valid ? "valid" : token.state.rawValue
                facts.identityBlocked = DemoWorld.user(token.user)?.blocked ?? false
                identity = Identity(user: token.user, scopes: token.scopes)
            } else {
                facts.credentialsCheck = "wrong"
            }
        case .checked(let user, let result):
            facts.credentialsPresent = true
            facts.credentialsWellFormed = true
            facts.credentialsCheck = result
            if result == "valid" {
                facts.identityBlocked = false
                identity = Identity(user: user, scopes: [])
            }
        case .session(let id):
            // A cookie that names no live session (logged out, server restarted) identifies
            // nobody: the browser is simply not logged in.
            if let user = sessions.user(for: id), let known = DemoWorld.user(user) {
                facts.credentialsPresent = true
                facts.credentialsWellFormed = true
                facts.credentialsCheck = "valid"
                facts.identityBlocked = known.blocked
                identity = Identity(user: known.name, scopes: known.scopes)
            } else {
                facts.credentialsPresent = false
            }
        }
        if let identity {
            facts.ownedBySomeoneElse = target.owner.map { $0 != identity.user } ?? false
            facts.permissionHeld = target.requiredScope.map(identity.scopes.contains) ?? true
        }

        guard let (path, outcome) = try? DecisionEngine.decide(diagram, fact: facts.value(of:)) else {
            // The facts above cover every question of the auth diagram; a content pack whose
            // diagram asks other questions cannot drive the server.
            return .refused(.text(500, "The auth diagram asks a question the server cannot answer.\n"), path: [], outcome: nil)
        }
        if outcome.status == 200 { return .allowed(identity, path: path, outcome: outcome) }
        return .refused(response(for: outcome, path: path, target: target, credentials: credentials), path: path, outcome: outcome)
    }

    /// The auth diagram's facts about one request. A struct rather than a dictionary: the walk
    /// asks for several on every request, and a dictionary costs an allocation and a hash each.
    struct Facts {
        var resourceExists, resourcePublic, clientIsBrowser, loginByRedirect, forbiddenToEveryone, hideForbidden: Bool
        var credentialsPresent = false
        var credentialsWellFormed: Bool? = nil
        /// `valid`, `wrong`, `expired` or `revoked`.
        var credentialsCheck: String? = nil
        var identityBlocked: Bool? = nil
        var ownedBySomeoneElse: Bool? = nil
        var permissionHeld: Bool? = nil

        /// Every fact the server can work out from a request: the names `value(of:)` knows.
        static let names: Set = ["resource-exists", "resource-public", "client-is-browser", "login-by-redirect",
                                 "forbidden-to-everyone", "hide-forbidden", "credentials-present", "credentials-well-formed",
                                 "credentials-check", "identity-blocked", "owned-by-someone-else", "permission-held"]

        /// The value of the fact the diagram names; nil for one this request has no value for
        /// (or that the server does not know, which `decide` reports).
        func value(of fact: String) -> String? {
            switch fact {
            case "resource-exists": yesNo(resourceExists)
            case "resource-public": yesNo(resourcePublic)
            case "client-is-browser": yesNo(clientIsBrowser)
            case "login-by-redirect": yesNo(loginByRedirect)
            case "forbidden-to-everyone": yesNo(forbiddenToEveryone)
            case "hide-forbidden": yesNo(hideForbidden)
            case "credentials-present": yesNo(credentialsPresent)
            case "credentials-well-formed": credentialsWellFormed.map(yesNo)
            case "credentials-check": credentialsCheck
            case "identity-blocked": identityBlocked.map(yesNo)
            case "owned-by-someone-else": ownedBySomeoneElse.map(yesNo)
            case "permission-held": permissionHeld.map(yesNo)
            default: nil
            }
        }

        private func yesNo(_ value: Bool) -> String { value ? "yes" : "no" }
    }

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

        /// Hashes the cheap fields only (equal keys still hash alike): hashing every step's
        /// strings cost more than the rest of a lookup, and keys that share these fields are few.
        func hash(into hasher: inout Hasher) {
            hasher.combine(outcome)
            hasher.combine(status)
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
