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
    case loginRequired
    case authenticated
    case authorized
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

/// The values of the facts known about one request (nil: not known, or not asked).
struct Facts: Sendable {
    private var values = [String?](repeating: nil, count: ServerFact.allCases.count)

    subscript(fact: ServerFact) -> String? {
        get { values[fact.rawValue] }
        set { values[fact.rawValue] = newValue }
    }

    /// Sets a yes/no fact.
    mutating func set(_ fact: ServerFact, _ value: Bool) { self[fact] = value ? "yes" : "no" }

    /// The value of the fact a diagram names.
    func value(named name: String) -> String? { ServerFact.byName[name].flatMap { self[$0] } }

    /// The value of the fact `question` asks, through the mapping `diagrams` made once.
    func value(for question: Question, in diagrams: ServerDiagrams) -> String? {
        diagrams.fact(asked: question).flatMap { self[$0] }
    }
}
