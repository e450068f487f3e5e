/// Content files sorted by kind and parsed in full, with every problem parsing finds and every
/// link they make: what `ContentChecks` reads and a checked library is built from.
struct ParsedContent {
    /// One link, wherever it was made: `[[target]]` in any text, or a page's `related:` list.
    struct Link {
        let file: String
        let line: Int
        let target: String
        let related: Bool
    }

    var pages: [PageParser.Parsed] = []
    var diagrams: [DiagramParser.Parsed] = []
    var questions: [QuizQuestion] = []
    var exercises: [Exercise] = []
    var links: [Link] = []
    var diagnostics: [Diagnostic] = []

    init(_ files: [ContentFile]) {
        let sorted = SortedFiles(files, diagnostics: &diagnostics)
        for file in sorted.pages {
            guard let page = PageParser().parse(path: file.path, text: file.text, diagnostics: &diagnostics) else { continue }
            pages.append(page)
            links += page.links.map { Link(file: file.path, line: $0.line, target: $0.target, related: false) }
            links += page.page.related.map { Link(file: file.path, line: page.fieldLines["related"] ?? 1, target: $0, related: true) }
        }
        for file in sorted.diagrams {
            let diagram = DiagramParser().parse(path: file.path, text: file.text, diagnostics: &diagnostics)
            diagrams.append(diagram)
            links += diagram.links.map { Link(file: file.path, line: $0.line, target: $0.target, related: false) }
        }
        let linked = Diagram.link(diagrams.map(\.diagram))
        for index in diagrams.indices { diagrams[index].diagram = linked[index] }
        let parsedDiagrams = linked
        for file in sorted.quizzes {
            var uses: [MarkupParser.LinkUse] = []
            questions += QuizParser(path: file.path, text: file.text).parse(diagrams: parsedDiagrams, diagnostics: &diagnostics, links: &uses)
            links += uses.map { Link(file: file.path, line: $0.line, target: $0.target, related: false) }
        }
        for file in sorted.exercises {
            var uses: [MarkupParser.LinkUse] = []
            if let exercise = ExerciseParser(path: file.path, text: file.text)
                .parse(diagrams: parsedDiagrams, diagnostics: &diagnostics, links: &uses) {
                exercises.append(exercise)
            }
            links += uses.map { Link(file: file.path, line: $0.line, target: $0.target, related: false) }
        }
    }

    /// The library of everything parsed, links labelled.
    var library: ContentLibrary {
        let pages = pages.map(\.page).sorted { $0.readingOrder < $1.readingOrder }
        let labels = LinkLabels(pages)
        return ContentLibrary(
            pages: OnDemand(made: PageList(pages.map { $0.with(body: OnDemand(made: labels.resolve($0.body))) })),
            pageCounts: Dictionary(grouping: pages, by: \.kind).mapValues(\.count),
            diagrams: OnDemand(made: Diagram.link(diagrams.map { labels.resolve($0.diagram) }).sorted { $0.id < $1.id }),
            questions: OnDemand(made: questions.map(labels.resolve)),
            exercises: OnDemand(made: exercises.map(labels.resolve).sorted { $0.order < $1.order }),
            hasDiagrams: !diagrams.isEmpty, hasExercises: !exercises.isEmpty)
    }
}

/// Content files by what they hold, going by their paths.
struct SortedFiles {
    var pages: [ContentFile] = []
    var diagrams: [ContentFile] = []
    var quizzes: [ContentFile] = []
    var exercises: [ContentFile] = []

    init(_ files: [ContentFile], diagnostics: inout [Diagnostic]) {
        let folders = Set(PageKind.allCases.map(\.folder))
        for file in files {
            let parts = file.path.split(separator: "/")
            if file.path.hasPrefix("quiz/"), file.path.hasSuffix(".quiz") {
                quizzes.append(file)
            } else if file.path.hasPrefix("exercises/"), file.path.hasSuffix(".exercise") {
                exercises.append(file)
            } else if file.path.hasPrefix("diagrams/"), file.path.hasSuffix(".diagram") {
                diagrams.append(file)
            } else if parts.count == 2, folders.contains(String(parts[0])), file.path.hasSuffix(".md") {
                pages.append(file)
            } else if file.path.hasSuffix(".md"), parts.count > 1 {
                diagnostics.append(Diagnostic(file: file.path, line: 1,
                    message: "pages live in \(PageKind.allCases.map { $0.folder + "/" }.joined(separator: ", ")) directly"))
            }
        }
    }
}

extension LinkLabels {
    init(_ pages: [Page]) {
        titles = Dictionary(pages.map { ($0.id, $0.displayTitle) }, uniquingKeysWith: { first, _ in first })
    }
}

extension ContentLibrary {
    /// The built-in content, checked when the binary was built: page headers are read now,
    /// everything else the first time it is asked for, so a command pays only for what it shows.
    static func onDemand(_ files: [ContentFile]) -> ContentLibrary {
        var ignored: [Diagnostic] = []
        let sorted = SortedFiles(files, diagnostics: &ignored)
        let front = OnDemand { () -> (pages: PageList, labels: LinkLabels) in
            var ignored: [Diagnostic] = []
            let fronts = sorted.pages.compactMap { PageParser.front(path: $0.path, text: $0.text, diagnostics: &ignored) }
            let headed = fronts.map { ($0, $0.make(OnDemand(made: Document()))) }.sorted { $0.1.readingOrder < $1.1.readingOrder }
            let labels = LinkLabels(headed.map(\.1))
            return (PageList(headed.map { front, page in page.with(body: OnDemand { labels.resolve(front.parseBody().document) }) }), labels)
        }
        let diagrams = OnDemand {
            Diagram.link(sorted.diagrams.map { file in
                var ignored: [Diagnostic] = []
                return front.value.labels.resolve(DiagramParser().parse(path: file.path, text: file.text, diagnostics: &ignored).diagram)
            }).sorted { $0.id < $1.id }
        }
        return ContentLibrary(
            pages: OnDemand { front.value.pages },
            pageCounts: Dictionary(grouping: sorted.pages.compactMap { PageKind(rawValue: String($0.path.prefix { $0 != "/" })) }, by: { $0 })
                .mapValues(\.count),
            diagrams: diagrams,
            questions: OnDemand {
                sorted.quizzes.flatMap { file in
                    var ignored: [Diagnostic] = [], links: [MarkupParser.LinkUse] = []
                    return QuizParser(path: file.path, text: file.text)
                        .parse(diagrams: diagrams.value, diagnostics: &ignored, links: &links).map(front.value.labels.resolve)
                }
            },
            exercises: OnDemand {
                sorted.exercises.compactMap { file in
                    var ignored: [Diagnostic] = [], links: [MarkupParser.LinkUse] = []
                    return ExerciseParser(path: file.path, text: file.text)
                        .parse(diagrams: diagrams.value, diagnostics: &ignored, links: &links).map(front.value.labels.resolve)
                }.sorted { $0.order < $1.order }
            },
            hasDiagrams: !sorted.diagrams.isEmpty, hasExercises: !sorted.exercises.isEmpty)
    }
}
