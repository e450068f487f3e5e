import StatusLabCore

/// Every fact the server works out from a request, declared once. A diagram asks a fact by the
/// case's name in kebab case (`uriTooLong` is `uri-too-long`). `Facts` holds a value for each;
/// a diagram that asks a fact not declared here cannot drive the server
/// (`MockService.unknownFacts`).
enum ServerFact: Int, CaseIterable, Sendable {
    // The `status` diagram: can the server handle this request at all, and what comes after.
    case serviceAvailable
    case methodKnown
    case uriTooLong
    case headersTooLarge
    case methodAllowed
    case requestWellFormed
    case legallyRestricted
    case contentTooLarge
    case mediaTypeSupported
    case acceptableRepresentation
    case contentValid
    case existedBefore
    case movedPermanently
    case movedTemporarily
    case goneForGood
    case putCreates
    case ifMatchFailed
    case ifNoneMatchMatches
    case methodIsGetOrHead
    case preconditionRequired
    case conflictsWithState
    case rateLimited
    case requestMethod
    case rangeRequested
    case rangeSatisfiable
    case workDeferred
    case resourceCreated
    case responseHasContent
    // The `auth` diagram: who is asking, and may they?
    case resourcePublic
    case resourceExists
    case clientIsBrowser
    case callerIdentified
    case loginByRedirect
    case credentialsPresent
    case hideFromStrangers
    case credentialsWellFormed
    case credentialsCheck
    case identityBlocked
    case forbiddenToEveryone
    case ownedBySomeoneElse
    case permissionHeld
    case hideForbidden
    // The `redirect` diagram: where the browser goes after a form.
    case validatorMatches
    case seeOtherResource
    case methodMustBeKept
    case moveIsPermanent
    // The `token` diagram: what a token endpoint answers.
    case grantTypeSupported
    case tokenRequestComplete
    case clientAuthenticated
    case grantValid
    case scopeAllowed
    case moveIsFinal
    case followUpMethod

    /// The name diagrams use: the case's name with each capital turned into `-` and lower case.
    var name: String { Self.names[rawValue] }

    private static let names: [String] = allCases.map { fact in
        String(describing: fact).reduce(into: "") { name, character in
            if character.isUppercase { name += "-" + character.lowercased() } else { name.append(character) }
        }
    }

    static let byName: [String: ServerFact] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })
    static var sortedNames: [String] { names.sorted() }
}

/// The values of the facts known about one request (nil: not known, or not asked), a byte
/// per fact.
struct Facts: Sendable {
    /// Every value the server gives a fact; a fact's byte is its index here plus one.
    static let values = ["yes", "no", "valid", "wrong", "expired", "revoked", "read", "post", "change", "unreadable", "invalid"]
    private var codes = [UInt8](repeating: 0, count: ServerFact.allCases.count)

    init() {}

    subscript(fact: ServerFact) -> String? {
        get {
            let code = Int(codes[fact.rawValue])
            return code == 0 ? nil : Self.values[code - 1]
        }
        set {
            guard let newValue else { codes[fact.rawValue] = 0; return }
            guard let index = Self.values.firstIndex(of: newValue) else { preconditionFailure("no code for the value `\(newValue)`") }
            codes[fact.rawValue] = UInt8(index + 1)
        }
    }

    /// The `auth` facts, by the names `AuthFacts` gives them (each one a `ServerFact` too: the
    /// server refuses to start on a diagram fact it has no case for).
    init(_ auth: AuthFacts) {
        self.init()
        auth.forEach { name, value in if let fact = ServerFact.byName[name] { self[fact] = value } }
    }

    /// Takes every value `other` knows, over what this one had.
    mutating func merge(_ other: Facts) {
        for index in 0..<ServerFact.allCases.count where other.codes[index] != 0 { codes[index] = other.codes[index] }
    }

    /// Sets a yes/no fact.
    mutating func set(_ fact: ServerFact, _ value: Bool) { codes[fact.rawValue] = value ? 1 : 2 }

    /// The value of the fact a diagram names.
    func value(named name: String) -> String? { ServerFact.byName[name].flatMap { self[$0] } }

    /// The value of the fact `question` asks, through the mapping `diagrams` made once.
    func value(for question: Question, in diagrams: ServerDiagrams) -> String? {
        diagrams.fact(asked: question).flatMap { self[$0] }
    }
}
