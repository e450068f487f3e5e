import Foundation
import StatusLabCore
import Synchronization

/// The switches a learner flips to see the difference: for the whole server (`serve` options)
/// or per request, with a query parameter or a `StatusLab-Policy` header:
/// `hide=on|off` (hide forbidden resources as 404), `login=redirect|401` (browser logins),
/// `describe=on|off` (say why a token was refused, in `error_description`).
public struct Policies: Sendable, Equatable {
    public var hideForbidden = false
    public var loginByRedirect = true
    public var describeErrors = true

    public init(hideForbidden: Bool = false, loginByRedirect: Bool = true, describeErrors: Bool = true) {
        self.hideForbidden = hideForbidden
        self.loginByRedirect = loginByRedirect
        self.describeErrors = describeErrors
    }

    /// These policies with the request's own settings on top.
    func applying(_ request: ServiceRequest) -> Policies {
        var settings: [(String, String)] = request.query.map { ($0.name, $0.value) }
        for header in request.headers(StatusLabHeader.policy) {
            for pair in header.split(whereSeparator: { $0 == ";" || $0 == "," }) {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 { settings.append((parts[0], parts[1])) }
            }
        }
        var result = self
        for (name, value) in settings {
            guard let policy = ServerPolicy(rawValue: name.lowercased()), policy.values.contains(value.lowercased()) else { continue }
            result[policy] = value.lowercased()
        }
        return result
    }

    /// A policy's value as a request would name it (`hide` is `on` or `off`).
    subscript(policy: ServerPolicy) -> String {
        get {
            switch policy {
            case .hide: hideForbidden ? "on" : "off"
            case .login: loginByRedirect ? "redirect" : "401"
            case .describe: describeErrors ? "on" : "off"
            }
        }
        set {
            switch policy {
            case .hide: hideForbidden = newValue == "on"
            case .login: loginByRedirect = newValue == "redirect"
            case .describe: describeErrors = newValue == "on"
            }
        }
    }
}

/// Browser sessions of the `/app` area: random ids, kept in memory.
public final class SessionStore: Sendable {
    private let sessions = Mutex<[String: String]>([:])

    public init() {}

    func create(for user: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<4).map { _ in String(generator.next(), radix: 16) }.joined()
        sessions.withLock { $0[id] = user }
        return id
    }

    func user(for id: String) -> String? { sessions.withLock { $0[id] } }

    func end(_ id: String) { _ = sessions.withLock { $0.removeValue(forKey: id) } }
}
