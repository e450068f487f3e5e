/// The kinds of page, each in its own folder of `content/`.
public enum PageKind: String, Sendable, CaseIterable {
    case code = "codes"
    case header = "headers"
    case scheme = "schemes"
    case essay = "essays"

    public var folder: String { rawValue }

    public var groupTitle: String {
        switch self {
        case .code: "Status codes"
        case .header: "Headers"
        case .scheme: "Authentication schemes and formats"
        case .essay: "Essays"
        }
    }

    /// Sections every page of this kind must have.
    public var requiredSections: [String] {
        switch self {
        case .code: ["What it means", "When to use it", "When not to use it", "Example"]
        case .header: ["What it is", "Example"]
        case .scheme: ["How it works", "Example"]
        case .essay: []
        }
    }
}

public enum HeaderRequirement: String, Sendable, CaseIterable {
    case required, optional, conditional
}

/// A header that goes with a status code, as a code page lists it.
public struct HeaderNote: Sendable, Equatable {
    public let name: String
    public let requirement: HeaderRequirement
    public let note: String
    public let line: Int
}

/// One reference page: a status code, a header, a scheme or an essay. Its header fields are
/// read when the content is loaded; its body is parsed the first time it is shown or searched.
public struct Page: Sendable {
    public let id: String
    public let kind: PageKind
    /// Path inside the content folder, e.g. `codes/401.md`: what diagnostics name.
    public let path: String
    public let title: String
    public let summary: String
    public let specs: [String]
    public let related: [String]
    public let tags: [String]
    public let headers: [HeaderNote]
    public let unused: Bool
    /// What the page says the built-in server answers (`claim:` lines).
    public let claims: [ServerClaim]
    private var document: OnDemand<Document>
    private let words: OnDemand<String>

    init(id: String, kind: PageKind, path: String, title: String, summary: String, specs: [String], related: [String],
         tags: [String], headers: [HeaderNote], unused: Bool, claims: [ServerClaim] = [], text: String, body: OnDemand<Document>) {
        self.id = id
        self.kind = kind
        self.path = path
        self.title = title
        self.summary = summary
        self.specs = specs
        self.related = related
        self.tags = tags
        self.headers = headers
        self.unused = unused
        self.claims = claims
        self.document = body
        self.words = OnDemand { ([id, title, summary] + tags + [text]).joined(separator: " ").lowercased() }
    }

    public var body: Document { document.value }

    /// Lowercased words of the whole page, for search.
    var searchText: String { words.value }

    /// The same page with another body (its links' labels filled in).
    func with(body: OnDemand<Document>) -> Page {
        var page = self
        page.document = body
        return page
    }

    /// The status code, for code pages.
    public var code: Int? { kind == .code ? Int(id) : nil }

    public var statusClass: StatusClass? { code.flatMap(StatusClass.init(code:)) }

    /// "401 Unauthorized" for a code, the title otherwise.
    public var displayTitle: String {
        if let code { return "\(code) \(title)" }
        return title
    }
}
