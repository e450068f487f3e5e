import StatusLabCore

/// Every fact the server works out from a request, declared once: the name the diagrams ask
/// it by. `Facts` holds a value for each; a diagram that asks a fact not declared here cannot
/// drive the server (`MockService.unknownFacts`).
enum ServerFact: String, CaseIterable, Sendable {
    // The `status` diagram: can the server handle this request at all, and what comes after.
    case serviceAvailable = "service-available"
    case methodKnown = "method-known"
    case uriTooLong = "uri-too-long"
    case headersTooLarge = "headers-too-large"
    case methodAllowed = "method-allowed"
    case requestWellFormed = "request-well-formed"
    case loginRequired = "login-required"
    case authenticated
    case authorized
    case legallyRestricted = "legally-restricted"
    case contentTooLarge = "content-too-large"
    case mediaTypeSupported = "media-type-supported"
    case acceptableRepresentation = "acceptable-representation"
    case contentValid = "content-valid"
    case existedBefore = "existed-before"
    case movedPermanently = "moved-permanently"
    case movedTemporarily = "moved-temporarily"
    case goneForGood = "gone-for-good"
    case putCreates = "put-creates"
    case ifMatchFailed = "if-match-failed"
    case ifNoneMatchMatches = "if-none-match-matches"
    case methodIsGetOrHead = "method-is-get-or-head"
    case preconditionRequired = "precondition-required"
    case conflictsWithState = "conflicts-with-state"
    case rateLimited = "rate-limited"
    case requestMethod = "request-method"
    case rangeRequested = "range-requested"
    case rangeSatisfiable = "range-satisfiable"
    case workDeferred = "work-deferred"
    case resourceCreated = "resource-created"
    case responseHasContent = "response-has-content"
    // The `auth` diagram: who is asking, and may they?
    case resourcePublic = "resource-public"
    case resourceExists = "resource-exists"
    case clientIsBrowser = "client-is-browser"
    case callerIdentified = "caller-identified"
    case loginByRedirect = "login-by-redirect"
    case credentialsPresent = "credentials-present"
    case hideFromStrangers = "hide-from-strangers"
    case credentialsWellFormed = "credentials-well-formed"
    case credentialsCheck = "credentials-check"
    case identityBlocked = "identity-blocked"
    case forbiddenToEveryone = "forbidden-to-everyone"
    case ownedBySomeoneElse = "owned-by-someone-else"
    case permissionHeld = "permission-held"
    case hideForbidden = "hide-forbidden"
    // The `redirect` diagram: where the browser goes after a form.
    case validatorMatches = "validator-matches"
    case seeOtherResource = "see-other-resource"
    case methodMustBeKept = "method-must-be-kept"
    case moveIsPermanent = "move-is-permanent"
    case moveIsFinal = "move-is-final"
    case followUpMethod = "follow-up-method"

    static let byName: [String: ServerFact] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
    static var names: [String] { allCases.map(\.rawValue).sorted() }
    fileprivate static let count = allCases.count
    fileprivate var index: Int { Self.indices[self]! }
    private static let indices: [ServerFact: Int] = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })
}

/// The values of the facts known about one request (nil: not known, or not asked).
struct Facts: Sendable {
    private var values = [String?](repeating: nil, count: ServerFact.count)

    subscript(fact: ServerFact) -> String? {
        get { values[fact.index] }
        set { values[fact.index] = newValue }
    }

    /// Sets a yes/no fact.
    mutating func set(_ fact: ServerFact, _ value: Bool) { self[fact] = value ? "yes" : "no" }

    /// The value of the fact a diagram names.
    func value(named name: String) -> String? { ServerFact.byName[name].flatMap { self[$0] } }
}
