/// Reads a `.diagram` file (docs/CONTENT.md, "Decision diagrams") into a `Diagram`, with
/// `file:line` problems for everything it cannot make sense of. Structural checks (targets,
/// reachability, cycles, facts, headers) are `DiagramValidator`'s.
public struct DiagramParser {
    public struct Parsed: Sendable {
        public var diagram: Diagram
        public var links: [MarkupParser.LinkUse]
        /// Lines of fields, for diagnostics: "start", "title", …
        public var headerLines: [String: Int]
    }

    public init() {}

    public func parse(path: String, text: String, diagnostics: inout [Diagnostic]) -> Parsed {
        let id = String(path.split(separator: "/").last!.dropLast(".diagram".count))
        let blocks = FieldReader.blocks(text)
        var markup = MarkupParser.Result()
        let inline = MarkupParser(file: path)
        func complain(_ line: Int, _ message: String) {
            diagnostics.append(Diagnostic(file: path, line: line, message: message))
        }
        func inlines(_ field: Field?) -> [Inline] {
            guard let field else { return [] }
            return inline.parseInline(Substring(field.value), line: field.line, into: &markup)
        }

        var title = "", summary = "", start = ""
        var variables: [String: String] = [:]
        var headerLines: [String: Int] = [:]
        var nodes: [Diagram.Node] = []

        for (index, block) in blocks.enumerated() {
            guard let first = block.first else { continue }
            if index == 0 && !["question", "outcome", "handoff"].contains(first.key) {
                for field in block {
                    headerLines[field.key] = field.line
                    switch field.key {
                    case "title": title = field.value
                    case "summary": summary = field.value
                    case "start": start = field.value
                    case "var":
                        let parts = field.value.split(separator: "=", maxSplits: 1)
                        guard parts.count == 2 else { complain(field.line, "a variable is `var: name = value`"); continue }
                        variables[trim(parts[0])] = trim(parts[1])
                    default: complain(field.line, "unknown field `\(field.key)` in the diagram's first block (title, summary, start, var)")
                    }
                }
                continue
            }
            func one(_ key: String) -> Field? { block.one(key) }
            func all(_ key: String) -> [Field] { block.all(key) }
            func require(_ keys: [String]) {
                for key in keys where one(key)?.value.isEmpty ?? true {
                    complain(first.line, "`\(first.key): \(first.value)` needs a `\(key):` line")
                }
            }
            func unknown(_ allowed: Set<String>) {
                for field in block where !allowed.contains(field.key) {
                    complain(field.line, "unknown field `\(field.key)` in a \(first.key) (known: \(allowed.sorted().joined(separator: ", ")))")
                }
            }
            switch first.key {
            case "question":
                unknown(["question", "fact", "ask", "help", "short", "yes", "no", "choice"])
                require(["fact", "ask"])
                var answers: [Answer] = []
                for field in block where field.key == "yes" || field.key == "no" {
                    answers.append(Answer(value: field.key, label: field.key, target: field.value, line: field.line))
                }
                answers.sort { $0.value == "yes" && $1.value == "no" }
                for field in all("choice") {
                    guard let bar = field.value.firstIndex(of: "|"),
                          let arrow = field.value.range(of: "->", range: bar..<field.value.endIndex) else {
                        complain(field.line, "a choice is `choice: value | label -> target`")
                        continue
                    }
                    let value = trim(field.value[..<bar])
                    let label = trim(field.value[field.value.index(after: bar)..<arrow.lowerBound])
                    let target = trim(field.value[arrow.upperBound...])
                    answers.append(Answer(value: value, label: label, target: target, line: field.line))
                }
                if !all("choice").isEmpty && answers.contains(where: { $0.value == "yes" || $0.value == "no" }) && !all("yes").isEmpty {
                    complain(first.line, "a question has either yes/no answers or choices, not both")
                }
                nodes.append(.question(Question(
                    id: first.value, fact: one("fact")?.value ?? "", ask: one("ask")?.value ?? "",
                    help: inlines(one("help")), short: one("short")?.value ?? first.value,
                    answers: answers, line: first.line, diagram: id)))
            case "handoff":
                // Another diagram decides here; what it lets through goes on to `pass:`.
                unknown(["handoff", "diagram", "ask", "help", "short", "pass"])
                require(["diagram", "ask", "pass"])
                let pass = one("pass")
                nodes.append(.question(Question(
                    id: first.value, fact: "", ask: one("ask")?.value ?? "", help: inlines(one("help")),
                    short: one("short")?.value ?? first.value,
                    answers: [Answer(value: Question.passed, label: "let in", target: pass?.value ?? "", line: pass?.line ?? first.line)],
                    line: first.line, diagram: id, handoff: one("diagram")?.value ?? "")))
            case "outcome":
                unknown(["outcome", "status", "label", "why", "spec", "header", "may-header", "alternative", "serves"])
                require(["status", "label", "why", "spec"])
                let statusField = one("status")
                let status = statusField.flatMap { Int($0.value) } ?? 0
                if let statusField, Int(statusField.value) == nil {
                    complain(statusField.line, "status is a number, such as 401")
                }
                var alternatives: [Alternative] = []
                for field in all("alternative") {
                    let parts = field.value.split(separator: "|", maxSplits: 1)
                    guard parts.count == 2, let code = Int(trim(parts[0])) else {
                        complain(field.line, "an alternative is `alternative: <code> | <when and why>`")
                        continue
                    }
                    let reason = Field(key: "alternative", value: trim(parts[1]), line: field.line)
                    alternatives.append(Alternative(status: code, reason: inlines(reason), line: field.line))
                }
                let specs = one("spec")?.list(";") ?? []
                var headers: [HeaderTemplate] = []
                for field in block where field.key == "header" || field.key == "may-header" {
                    guard let header = HeaderTemplate.parse(field.value, required: field.key == "header"), !header.name.isEmpty else {
                        complain(field.line, "a header is `\(field.key): Name: value`, not `\(field.value)`")
                        continue
                    }
                    headers.append(header)
                }
                if let serves = one("serves"), serves.value != "yes", serves.value != "no" {
                    complain(serves.line, "serves is `yes` or `no`")
                }
                nodes.append(.outcome(Outcome(
                    id: first.value, status: status, label: one("label")?.value ?? "", why: inlines(one("why")),
                    specs: specs, headers: headers, alternatives: alternatives, serves: one("serves")?.value == "yes",
                    line: first.line, diagram: id)))
            default:
                complain(first.line, "a block starts with `question: <id>`, `handoff: <id>` or `outcome: <id>`")
            }
        }
        let values = ["title": title, "summary": summary, "start": start]
        for key in ["title", "summary", "start"] where headerLines[key] == nil || values[key]!.isEmpty {
            complain(headerLines[key] ?? 1, "the diagram's first block needs a non-empty `\(key):`")
        }
        diagnostics.append(contentsOf: markup.diagnostics)
        let diagram = Diagram(id: id, path: path, title: title, summary: summary, start: start,
                              variables: variables, nodes: nodes)
        return Parsed(diagram: diagram, links: markup.links, headerLines: headerLines)
    }
}

private func trim<S: StringProtocol>(_ text: S) -> String {
    String(text).trimmingCharacters(in: " ")
}
