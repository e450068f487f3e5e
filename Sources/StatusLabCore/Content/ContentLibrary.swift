/// The validated content: every page, by id, in reading order. Built only through
/// `ContentLibrary.load`, so a library in hand has passed the content check: here, or (the
/// built-in content, loaded `trusted`) in the tests before it was built in.
public struct ContentLibrary: Sendable {
    public let pages: [Page]
    public let diagrams: [Diagram]
    /// The quiz bank, in file order.
    public let questions: [QuizQuestion]
    /// The exercises, in their order.
    public let exercises: [Exercise]
    private let index: [String: Int]

    init(pages: [Page], diagrams: [Diagram] = [], questions: [QuizQuestion] = [], exercises: [Exercise] = []) {
        self.diagrams = diagrams
        self.questions = questions
        self.exercises = exercises
        var seen: [String: Int] = [:]
        for (offset, page) in pages.enumerated() where seen[page.id] == nil { seen[page.id] = offset }
        self.pages = pages
        self.index = seen
    }

    public func page(_ id: String) -> Page? { index[id.lowercased()].map { pages[$0] } ?? index[id].map { pages[$0] } }

    public func page(code: Int) -> Page? { page(String(code)) }

    public func diagram(_ id: String) -> Diagram? { diagrams.first { $0.id == id } }

    /// Outcomes of every diagram that answer with `code`, for "decisions that lead here".
    public func outcomes(leadingTo code: Int) -> [(diagram: Diagram, outcome: Outcome)] {
        diagrams.flatMap { diagram in diagram.outcomes.filter { $0.status == code }.map { (diagram, $0) } }
    }

    public func pages(of kind: PageKind) -> [Page] { pages.filter { $0.kind == kind } }

    public var codePages: [Page] { pages(of: .code) }

    /// Validates `files` and builds the library, or throws every problem found.
    /// `trusted`: the files passed the whole check already (the built-in content); only
    /// what parsing finds is reported.
    public static func load(_ files: [ContentFile], trusted: Bool = false) throws(ContentCheckFailure) -> ContentLibrary {
        let report = ContentValidator(runsChecks: !trusted).check(files)
        guard report.diagnostics.isEmpty, let library = report.library else {
            throw ContentCheckFailure(diagnostics: report.diagnostics)
        }
        return library
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
