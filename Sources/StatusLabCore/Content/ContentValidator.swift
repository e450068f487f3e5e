/// `statuslab content check`: everything that must hold for a content folder, reported as
/// `file:line: message` so an author can jump to it.
public struct ContentValidator {
    public struct Report: Sendable {
        public var diagnostics: [Diagnostic] = []
        public var library: ContentLibrary?
        public var linkCount = 0

        /// "63 codes, 8 headers, 4 schemes, 1 essay; 1021 links" for the success message.
        public var counts: String {
            guard let library else { return "no pages" }
            let parts = PageKind.allCases.map { kind -> String in
                let n = library.pages(of: kind).count
                let noun = kind == .code ? "code" : String(kind.folder.dropLast())
                return "\(n) \(noun)\(n == 1 ? "" : "s")"
            }
            let diagrams = library.diagrams.count
            let questions = library.diagrams.reduce(0) { $0 + $1.questions.count }
            return parts.joined(separator: ", ") + "; \(library.pages.count) pages, \(linkCount) links; "
                + "\(diagrams) diagram\(diagrams == 1 ? "" : "s") with \(questions) questions; "
                + "\(library.questions.count) quiz questions" + (library.exercises.isEmpty ? "" : "; \(library.exercises.count) exercises")
        }
    }

    public init() {}

    public func check(_ files: [ContentFile]) -> Report {
        let parsed = ParsedContent(files)
        var report = Report()
        report.diagnostics = parsed.diagnostics
        ContentChecks(content: parsed).run(into: &report.diagnostics)
        report.linkCount = parsed.links.count
        report.library = parsed.library
        return report
    }
}
