/// What the `auth` diagram asks about one request, written once for everyone who walks it: the
/// server (from the credentials it checks), `check` (from a plan or a spec) and `judge` (from
/// what a recording shows). A fact left nil is not known; a walk that needs it stops there.
public struct AuthFacts: Sendable, Equatable {
    /// The credentials as the `credentials-*` facts see them.
    public enum Presented: Sendable, Equatable {
        /// None, or none in a scheme the resource takes.
        case none
        /// Present but unreadable.
        case malformed
        /// Read and checked: `valid`, `wrong`, `expired` or `revoked` (`credentials-check`).
        case checked(String)
        /// Not known (a recording cannot tell whether a token was valid).
        case unknown
    }

    public var resourcePublic: Bool? = false
    public var resourceExists: Bool? = true
    public var forbiddenToEveryone: Bool? = false
    public var clientIsBrowser: Bool? = false
    /// A browser that is not logged in goes to the login form (else it gets 401).
    public var loginByRedirect: Bool? = true
    public var hideFromStrangers: Bool? = false
    public var hideForbidden: Bool? = false
    public var credentials = Presented.none
    /// Someone is known: valid credentials, or a browser session. Nil: worked out from
    /// `credentials` (a valid check identifies).
    public var callerIdentified: Bool? = nil
    public var identityBlocked: Bool? = nil
    public var ownedBySomeoneElse: Bool? = nil
    public var permissionHeld: Bool? = nil

    public init() {}

    /// Every fact this can set, by the name diagrams use: the content check and `check` hold
    /// the `auth` diagram to it.
    public static let names = ["resource-public", "resource-exists", "forbidden-to-everyone", "client-is-browser", "login-by-redirect",
                               "hide-from-strangers", "hide-forbidden", "credentials-present", "credentials-well-formed",
                               "credentials-check", "caller-identified", "identity-blocked", "owned-by-someone-else", "permission-held"]

    /// Each known fact's name and value (`yes`/`no`, or the check's result), in `names` order.
    public func forEach(_ body: (_ name: String, _ value: String) -> Void) {
        func yesNo(_ name: String, _ value: Bool?) { if let value { body(name, value ? "yes" : "no") } }
        yesNo("resource-public", resourcePublic)
        yesNo("resource-exists", resourceExists)
        yesNo("forbidden-to-everyone", forbiddenToEveryone)
        yesNo("client-is-browser", clientIsBrowser)
        yesNo("login-by-redirect", loginByRedirect)
        yesNo("hide-from-strangers", hideFromStrangers)
        yesNo("hide-forbidden", hideForbidden)
        switch credentials {
        case .none: yesNo("credentials-present", false)
        case .malformed:
            yesNo("credentials-present", true)
            yesNo("credentials-well-formed", false)
        case .checked(let result):
            yesNo("credentials-present", true)
            yesNo("credentials-well-formed", true)
            body("credentials-check", result)
        case .unknown: break
        }
        yesNo("caller-identified", callerIdentified ?? (credentials == .checked("valid") ? true : credentials == .unknown ? nil : false))
        yesNo("identity-blocked", identityBlocked)
        yesNo("owned-by-someone-else", ownedBySomeoneElse)
        yesNo("permission-held", permissionHeld)
    }

    /// The facts as `DecisionEngine.decide` takes them.
    public var named: [String: String] {
        var facts: [String: String] = [:]
        forEach { facts[$0] = $1 }
        return facts
    }

    /// The facts `diagram` asks that this cannot set, sorted: a content pack whose `auth`
    /// diagram asks any cannot be judged by it.
    public static func unknown(in diagram: Diagram) -> [String] {
        Set(diagram.questions.map(\.fact).filter { !$0.isEmpty }).subtracting(names).sorted()
    }
}
