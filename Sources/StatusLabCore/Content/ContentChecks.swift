/// Everything that must hold across parsed content, beyond what each file's parser checks:
/// page fields, spec references and code pages against the IANA registry, diagrams, the quiz
/// bank's consistency, unique ids, and that every link lands on a page.
struct ContentChecks {
    let content: ParsedContent

    static let summaryLimit = 120
    static let exampleWidthLimit = 72

    func run(into diagnostics: inout [Diagnostic]) {
        var ids: [String: String] = [:]
        for item in content.pages {
            if let other = ids[item.page.id] {
                diagnostics.append(Diagnostic(file: item.page.path, line: 1, message: "page id `\(item.page.id)` is also used by \(other)"))
            }
            ids[item.page.id] = item.page.path
        }
        for link in content.links where ids[link.target] == nil {
            diagnostics.append(Diagnostic(file: link.file, line: link.line, message: link.related
                ? "related page `\(link.target)` does not exist" : "link [[\(link.target)]] points to no page"))
        }
        for item in content.pages {
            checkFields(item, into: &diagnostics)
            checkSpecReferences(item, into: &diagnostics)
            if item.page.kind == .code { checkCodePage(item, into: &diagnostics) }
        }
        let present = Set(content.pages.compactMap(\.page.code))
        for registered in StatusRegistry.all where !present.contains(registered.code) {
            diagnostics.append(Diagnostic(file: "codes/\(registered.code).md", line: 1,
                message: "missing: \(registered.code) \(registered.reason) is in the IANA registry and needs a page"))
        }
        for diagram in content.diagrams { DiagramValidator(parsed: diagram).check(into: &diagnostics) }
        DiagramAgreement(diagrams: content.diagrams.map(\.diagram)).check(into: &diagnostics)
        QuizConsistency(diagrams: content.diagrams.map(\.diagram)).check(content.questions, into: &diagnostics)
        unique(content.questions.map { ($0.id, "\($0.path):\($0.line)", $0.path, $0.line) }, into: &diagnostics) {
            "question id `\($0)` is also used in \($1)"
        }
        unique(content.exercises.map { ($0.id, $0.path, $0.path, 1) }, into: &diagnostics) { "exercise id `\($0)` is also used in \($1)" }
        unique(content.exercises.map { (String($0.order), $0.path, $0.path, 1) }, into: &diagnostics) { "order \($0) is also used in \($1)" }
    }

    /// Values that must not repeat: each is (value, where to name it, file, line); `message`
    /// says it from the value and where it was first used.
    private func unique(_ items: [(String, String, String, Int)], into diagnostics: inout [Diagnostic],
                        message: (String, String) -> String) {
        var seen: [String: String] = [:]
        for (value, place, file, line) in items {
            if let other = seen[value] {
                diagnostics.append(Diagnostic(file: file, line: line, message: message(value, other)))
            }
            seen[value] = place
        }
    }

    func checkFields(_ item: PageParser.Parsed, into diagnostics: inout [Diagnostic]) {
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

    func fieldIsEmpty(_ field: String, _ page: Page) -> Bool {
        switch field {
        case "title": page.title.isEmpty
        case "summary": page.summary.isEmpty
        case "spec": page.specs.isEmpty
        case "related": page.related.isEmpty
        default: false
        }
    }

    func checkSpecReferences(_ item: PageParser.Parsed, into diagnostics: inout [Diagnostic]) {
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

    func checkCodePage(_ item: PageParser.Parsed, into diagnostics: inout [Diagnostic]) {
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
    func exampleBlock(_ item: PageParser.Parsed) -> (line: Int, lines: [Substring])? {
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

}
