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

    static let summaryLimit = 120
    static let exampleWidthLimit = 72

    /// False for content already checked (the built-in content, checked by the tests before it
    /// can land): only parsing runs, so start-up does not pay for the checks.
    let runsChecks: Bool

    public init(runsChecks: Bool = true) { self.runsChecks = runsChecks }

    public func check(_ files: [ContentFile]) -> Report {
        var report = Report()
        var parsed: [PageParser.Parsed] = []
        var diagrams: [DiagramParser.Parsed] = []
        var quizFiles: [ContentFile] = []
        var exerciseFiles: [ContentFile] = []
        let parser = PageParser()

        for file in files {
            if file.path.hasPrefix("quiz/"), file.path.hasSuffix(".quiz") {
                quizFiles.append(file)
            } else if file.path.hasPrefix("exercises/"), file.path.hasSuffix(".exercise") {
                exerciseFiles.append(file)
            } else if file.path.hasPrefix("diagrams/"), file.path.hasSuffix(".diagram") {
                diagrams.append(DiagramParser().parse(path: file.path, text: file.text, diagnostics: &report.diagnostics))
            } else if let page = parser.parse(path: file.path, text: file.text, diagnostics: &report.diagnostics) {
                parsed.append(page)
            } else if file.path.hasSuffix(".md"), file.path.contains("/") {
                report.diagnostics.append(Diagnostic(file: file.path, line: 1,
                    message: "pages live in \(PageKind.allCases.map { $0.folder + "/" }.joined(separator: ", ")) directly"))
            }
        }

        var ids: [String: String] = [:]
        for item in parsed {
            if let other = ids[item.page.id] {
                report.diagnostics.append(Diagnostic(file: item.page.path, line: 1,
                    message: "page id `\(item.page.id)` is also used by \(other)"))
            }
            ids[item.page.id] = item.page.path
        }

        for item in parsed where runsChecks {
            checkFields(item, into: &report.diagnostics)
            checkSpecReferences(item, into: &report.diagnostics)
            if item.page.kind == .code { checkCodePage(item, into: &report.diagnostics) }
            for link in item.links where ids[link.target] == nil {
                report.diagnostics.append(Diagnostic(file: item.page.path, line: link.line,
                    message: "link [[\(link.target)]] points to no page"))
            }
            for target in item.page.related where ids[target] == nil {
                report.diagnostics.append(Diagnostic(file: item.page.path, line: item.fieldLines["related"] ?? 1,
                    message: "related page `\(target)` does not exist"))
            }
            report.linkCount += item.links.count + item.page.related.count
        }

        for diagram in diagrams where runsChecks {
            DiagramValidator(parsed: diagram).check(into: &report.diagnostics)
            for link in diagram.links where ids[link.target] == nil {
                report.diagnostics.append(Diagnostic(file: diagram.diagram.path, line: link.line,
                    message: "link [[\(link.target)]] points to no page"))
            }
            report.linkCount += diagram.links.count
        }

        var questions: [QuizQuestion] = []
        var quizLinks: [(file: String, link: MarkupParser.LinkUse)] = []
        for file in quizFiles {
            var links: [MarkupParser.LinkUse] = []
            questions += QuizParser(path: file.path, text: file.text)
                .parse(diagrams: diagrams.map(\.diagram), diagnostics: &report.diagnostics, links: &links)
            quizLinks += links.map { (file.path, $0) }
        }
        for (file, link) in quizLinks where runsChecks && ids[link.target] == nil {
            report.diagnostics.append(Diagnostic(file: file, line: link.line, message: "link [[\(link.target)]] points to no page"))
        }
        report.linkCount += quizLinks.count
        if runsChecks { QuizConsistency(diagrams: diagrams.map(\.diagram)).check(questions, into: &report.diagnostics) }
        var questionIDs: [String: String] = [:]
        for question in questions {
            if let other = questionIDs[question.id] {
                report.diagnostics.append(Diagnostic(file: question.path, line: question.line,
                    message: "question id `\(question.id)` is also used in \(other)"))
            }
            questionIDs[question.id] = "\(question.path):\(question.line)"
        }

        var exercises: [Exercise] = []
        for file in exerciseFiles {
            var links: [MarkupParser.LinkUse] = []
            if let exercise = ExerciseParser(path: file.path, text: file.text)
                .parse(diagrams: diagrams.map(\.diagram), diagnostics: &report.diagnostics, links: &links) {
                exercises.append(exercise)
            }
            for link in links where runsChecks && ids[link.target] == nil {
                report.diagnostics.append(Diagnostic(file: file.path, line: link.line, message: "link [[\(link.target)]] points to no page"))
            }
            report.linkCount += links.count
        }
        var exerciseIDs: [String: String] = [:], orders: [Int: String] = [:]
        for exercise in exercises {
            if let other = exerciseIDs[exercise.id] {
                report.diagnostics.append(Diagnostic(file: exercise.path, line: 1, message: "exercise id `\(exercise.id)` is also used in \(other)"))
            }
            if let other = orders[exercise.order] {
                report.diagnostics.append(Diagnostic(file: exercise.path, line: 1, message: "order \(exercise.order) is also used in \(other)"))
            }
            exerciseIDs[exercise.id] = exercise.path
            orders[exercise.order] = exercise.path
        }

        let present = Set(parsed.compactMap(\.page.code))
        for registered in StatusRegistry.all where runsChecks && !present.contains(registered.code) {
            report.diagnostics.append(Diagnostic(file: "codes/\(registered.code).md", line: 1,
                message: "missing: \(registered.code) \(registered.reason) is in the IANA registry and needs a page"))
        }

        let pages = parsed.map(\.page).sorted { $0.readingOrder < $1.readingOrder }
        let titles = Dictionary(pages.map { ($0.id, $0.displayTitle) }, uniquingKeysWith: { first, _ in first })
        report.library = ContentLibrary(
            pages: Self.resolvingLinkLabels(pages, titles),
            diagrams: diagrams.map { Self.resolvingLinkLabels($0.diagram, titles) }.sorted { $0.id < $1.id },
            questions: questions.map { Self.resolvingLinkLabels($0, titles) },
            exercises: exercises.map { Self.resolvingLinkLabels($0, titles) }.sorted { $0.order < $1.order })
        return report
    }

    private func checkFields(_ item: PageParser.Parsed, into diagnostics: inout [Diagnostic]) {
        let page = item.page
        var required = ["title", "summary", "spec"]
        if page.kind == .code { required.append("related") }
        for field in required where item.fieldLines[field] == nil || fieldIsEmpty(field, page) {
            diagnostics.append(Diagnostic(file: page.path, line: item.fieldLines[field] ?? 1,
                message: "required field `\(field)` is missing or empty"))
        }
        if page.summary.count > Self.summaryLimit {
            diagnostics.append(Diagnostic(file: page.path, line: item.fieldLines["summary"] ?? 1,
                message: "summary is \(page.summary.count) characters; keep it to \(Self.summaryLimit)"))
        }
        if page.kind != .code {
            if let header = page.headers.first {
                diagnostics.append(Diagnostic(file: page.path, line: header.line,
                    message: "`header:` lines belong on status-code pages only"))
            }
            if let line = item.fieldLines["unused"] {
                diagnostics.append(Diagnostic(file: page.path, line: line, message: "`unused` belongs on status-code pages only"))
            }
        }
        let sections = Set(item.sections.map { $0.title.lowercased() })
        let needed = page.kind == .code && page.unused ? ["What it means", "Example"] : page.kind.requiredSections
        for section in needed where !sections.contains(section.lowercased()) {
            diagnostics.append(Diagnostic(file: page.path, line: item.bodyLines.first?.line ?? 1,
                message: "required section `## \(section)` is missing"))
        }
    }

    private func fieldIsEmpty(_ field: String, _ page: Page) -> Bool {
        switch field {
        case "title": page.title.isEmpty
        case "summary": page.summary.isEmpty
        case "spec": page.specs.isEmpty
        case "related": page.related.isEmpty
        default: false
        }
    }

    private func checkSpecReferences(_ item: PageParser.Parsed, into diagnostics: inout [Diagnostic]) {
        let page = item.page
        for spec in page.specs where !SpecReference.isWellFormed(spec) {
            diagnostics.append(Diagnostic(file: page.path, line: item.fieldLines["spec"] ?? 1,
                message: "spec reference `\(spec)` is not of the form `RFC 9110 §15.5.2`"))
        }
        var inFence = false
        for (line, text) in item.bodyLines {
            if text.trimmingLeadingSpaces().hasPrefix("```") { inFence.toggle(); continue }
            if inFence { continue }
            for message in SpecReference.problems(inProse: text) {
                diagnostics.append(Diagnostic(file: page.path, line: line, message: message))
            }
        }
    }

    private func checkCodePage(_ item: PageParser.Parsed, into diagnostics: inout [Diagnostic]) {
        let page = item.page
        guard let code = page.code, let registered = StatusRegistry.lookup(code) else {
            diagnostics.append(Diagnostic(file: page.path, line: 1,
                message: "`\(page.id)` is not a code in the IANA HTTP Status Code Registry"))
            return
        }
        if !page.title.isEmpty, page.title != registered.reason {
            diagnostics.append(Diagnostic(file: page.path, line: item.fieldLines["title"] ?? 1,
                message: "title is `\(page.title)`; the registry names \(code) `\(registered.reason)`"))
        }
        if !page.specs.isEmpty, !page.specs.contains(registered.reference) {
            diagnostics.append(Diagnostic(file: page.path, line: item.fieldLines["spec"] ?? 1,
                message: "spec must include the registry's reference for \(code): `\(registered.reference)`"))
        }
        if page.unused != registered.unused {
            diagnostics.append(Diagnostic(file: page.path, line: item.fieldLines["unused"] ?? 1,
                message: registered.unused ? "\(code) is registered as unused: add `unused: yes`"
                                           : "\(code) is in use: remove `unused`"))
        }

        let example = exampleBlock(item)
        for name in HeaderRules.requiredHeaders(for: code) {
            let listed = page.headers.first { $0.name.lowercased() == name.lowercased() }
            if listed?.requirement != .required {
                diagnostics.append(Diagnostic(file: page.path, line: listed?.line ?? item.fieldLines["title"] ?? 1,
                    message: "\(code) requires \(name) (\(HeaderRules.reference(for: name, on: code) ?? "")): add `header: \(name) | required | …`"))
            }
            if let example, !example.lines.contains(where: { $0.lowercased().hasPrefix(name.lowercased() + ":") }) {
                diagnostics.append(Diagnostic(file: page.path, line: example.line,
                    message: "the example \(code) response lacks its required \(name) header"))
            }
        }
        guard !page.unused else { return }
        if let example {
            let expected = "HTTP/1.1 \(code) \(registered.reason)"
            let first = example.lines.first { !$0.trimmingLeadingSpaces().isEmpty }.map { String($0) } ?? ""
            if first != expected {
                diagnostics.append(Diagnostic(file: page.path, line: example.line,
                    message: "the example must start with the status line `\(expected)`, found `\(first)`"))
            }
            for (offset, text) in example.lines.enumerated() where text.count > Self.exampleWidthLimit {
                diagnostics.append(Diagnostic(file: page.path, line: example.line + 1 + offset,
                    message: "example line is \(text.count) characters; keep raw messages to \(Self.exampleWidthLimit)"))
            }
        } else if item.sections.contains(where: { $0.title.lowercased() == "example" }) {
            diagnostics.append(Diagnostic(file: page.path, line: item.sections.first { $0.title.lowercased() == "example" }!.line,
                message: "the Example section needs a fenced raw response"))
        }
    }

    /// The first fenced block after `## Example`: its opening line and its lines.
    private func exampleBlock(_ item: PageParser.Parsed) -> (line: Int, lines: [Substring])? {
        guard let section = item.sections.first(where: { $0.title.lowercased() == "example" }) else { return nil }
        var start: Int?
        var lines: [Substring] = []
        for (line, text) in item.bodyLines where line > section.line {
            let trimmed = text.trimmingLeadingSpaces()
            if start == nil {
                if trimmed.hasPrefix("## ") { return nil }
                if trimmed.hasPrefix("```") { start = line }
            } else if trimmed.hasPrefix("```") {
                return (start!, lines)
            } else {
                lines.append(text.trimmingTrailingSpaces())
            }
        }
        return nil
    }

    /// `[[401]]` is shown as "401 Unauthorized": labels that are only the target become the
    /// target page's title.
    static func resolve(_ inlines: [Inline], _ titles: [String: String]) -> [Inline] {
        inlines.map { inline in
            if case .link(let target, let label) = inline, label == target, let title = titles[target] {
                return .link(target: target, label: title)
            }
            return inline
        }
    }

    static func resolvingLinkLabels(_ pages: [Page], _ titles: [String: String]) -> [Page] {
        pages.map { page in
            var page = page
            page.body.blocks = page.body.blocks.map { block in
                switch block {
                case .paragraph(let inlines): .paragraph(resolve(inlines, titles))
                case .bullet(let inlines): .bullet(resolve(inlines, titles))
                case .item(let marker, let inlines): .item(marker: marker, resolve(inlines, titles))
                case .field(let label, let value): .field(label: label, value: resolve(value, titles))
                case .heading, .code: block
                }
            }
            return page
        }
    }

    static func resolvingLinkLabels(_ e: Exercise, _ titles: [String: String]) -> Exercise {
        Exercise(id: e.id, path: e.path, title: e.title, order: e.order, goal: resolve(e.goal, titles),
                 hints: e.hints.map { resolve($0, titles) }, explanation: resolve(e.explanation, titles), specs: e.specs, steps: e.steps)
    }

    static func resolvingLinkLabels(_ q: QuizQuestion, _ titles: [String: String]) -> QuizQuestion {
        QuizQuestion(id: q.id, path: q.path, line: q.line, kind: q.kind, topics: q.topics, difficulty: q.difficulty,
                     scenario: resolve(q.scenario, titles), wire: q.wire, choices: q.choices,
                     accepted: q.accepted.map { .init(value: $0.value, reason: resolve($0.reason, titles)) },
                     explanation: resolve(q.explanation, titles), specs: q.specs, diagram: q.diagram, facts: q.facts,
                     modelStatus: q.modelStatus)
    }

    static func resolvingLinkLabels(_ diagram: Diagram, _ titles: [String: String]) -> Diagram {
        let nodes: [Diagram.Node] = diagram.nodes.map { node in
            switch node {
            case .question(let q):
                return .question(Question(id: q.id, fact: q.fact, ask: q.ask, help: resolve(q.help, titles), short: q.short,
                                          answers: q.answers, line: q.line))
            case .outcome(let o):
                return .outcome(Outcome(id: o.id, status: o.status, label: o.label, why: resolve(o.why, titles),
                                        specs: o.specs, headers: o.headers,
                                        alternatives: o.alternatives.map { Alternative(status: $0.status, reason: resolve($0.reason, titles), line: $0.line) },
                                        serves: o.serves, line: o.line))
            }
        }
        return Diagram(id: diagram.id, path: diagram.path, title: diagram.title, summary: diagram.summary,
                       start: diagram.start, variables: diagram.variables, nodes: nodes)
    }
}
