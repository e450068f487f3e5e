/// The validated content: every page, by id, in reading order. Built only through
/// `ContentLibrary.load`, so a library in hand has passed the content check: here, or (the
/// built-in content, loaded `trusted`) when the binary was built.
public struct ContentLibrary: Sendable {
    private let pageList: OnDemand<PageList>
    private let pageCounts: [PageKind: Int]
    private let parsedDiagrams: OnDemand<[Diagram]>
    private let parsedQuestions: OnDemand<[QuizQuestion]>
    private let parsedExercises: OnDemand<[Exercise]>

    /// Whether there are diagrams and exercises, known without parsing them.
    public let hasDiagrams: Bool
    public let hasExercises: Bool

    public var pages: [Page] { pageList.value.pages }
    public var diagrams: [Diagram] { parsedDiagrams.value }
    /// The quiz bank, in file order.
    public var questions: [QuizQuestion] { parsedQuestions.value }
    /// The exercises, in their order.
    public var exercises: [Exercise] { parsedExercises.value }

    init(pages: OnDemand<PageList>, pageCounts: [PageKind: Int], diagrams: OnDemand<[Diagram]>, questions: OnDemand<[QuizQuestion]>,
         exercises: OnDemand<[Exercise]>, hasDiagrams: Bool, hasExercises: Bool) {
        self.pageList = pages
        self.pageCounts = pageCounts
        self.hasDiagrams = hasDiagrams
        self.hasExercises = hasExercises
        self.parsedDiagrams = diagrams
        self.parsedQuestions = questions
        self.parsedExercises = exercises
    }

    /// How many pages of a kind there are, known without reading them (the home screen's count).
    public func pageCount(of kind: PageKind) -> Int { pageCounts[kind] ?? 0 }

    public func page(_ id: String) -> Page? {
        let list = pageList.value
        return (list.index[id.lowercased()] ?? list.index[id]).map { list.pages[$0] }
    }

    public func page(code: Int) -> Page? { page(String(code)) }

    public func diagram(_ id: String) -> Diagram? { diagrams.first { $0.id == id } }

    /// Every claim the content makes about what the built-in server answers, pages first.
    public var claims: [ServerClaim] { pages.flatMap(\.claims) + exercises.flatMap(\.claims) }

    /// Outcomes of every diagram that answer with `code`, for "decisions that lead here".
    public func outcomes(leadingTo code: Int) -> [(diagram: Diagram, outcome: Outcome)] {
        diagrams.flatMap { diagram in diagram.outcomes.filter { $0.status == code }.map { (diagram, $0) } }
    }

    public func pages(of kind: PageKind) -> [Page] { pages.filter { $0.kind == kind } }

    public var codePages: [Page] { pages(of: .code) }

    /// Validates `files` and builds the library, or throws every problem found. `trusted`: the
    /// files passed the whole check when the binary was built (the built-in content), so they
    /// are parsed as far as they are used, and not checked again.
    public static func load(_ files: [ContentFile], trusted: Bool = false) throws(ContentCheckFailure) -> ContentLibrary {
        if trusted { return onDemand(files) }
        let report = ContentValidator().check(files)
        guard report.diagnostics.isEmpty, let library = report.library else {
            throw ContentCheckFailure(diagnostics: report.diagnostics)
        }
        return library
    }
}

/// Pages in reading order, and where each id is.
struct PageList: Sendable {
    let pages: [Page]
    let index: [String: Int]

    init(_ pages: [Page]) {
        var seen: [String: Int] = [:]
        for (offset, page) in pages.enumerated() where seen[page.id] == nil { seen[page.id] = offset }
        self.pages = pages
        self.index = seen
    }
}

public struct ContentCheckFailure: Error, CustomStringConvertible {
    public let diagnostics: [Diagnostic]
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

extension Page {
    /// Sort key: codes by number, then headers, schemes and essays by title.
    var readingOrder: (Int, Int, String) {
        let kindRank = PageKind.allCases.firstIndex(of: kind) ?? 0
        return (kindRank, code ?? 0, title.lowercased())
    }
}
