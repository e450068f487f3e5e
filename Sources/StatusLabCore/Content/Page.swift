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

/// One reference page: a status code, a header, a scheme or an essay.
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
    public internal(set) var body: Document
    /// Lowercased words of the whole page, for search.
    let searchText: String

    /// The status code, for code pages.
    public var code: Int? { kind == .code ? Int(id) : nil }

    public var statusClass: StatusClass? { code.flatMap(StatusClass.init(code:)) }

    /// "401 Unauthorized" for a code, the title otherwise.
    public var displayTitle: String {
        if let code { return "\(code) \(title)" }
        return title
    }
}
