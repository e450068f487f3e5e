/// Reads one page file: `key: value` fields, a blank line, then the body markup.
public struct PageParser {
    /// What the parser knows besides the page: where each field was, and the body's links
    /// and sections, so the validator can point at lines.
    public struct Parsed: Sendable {
        public var page: Page
        public var fieldLines: [String: Int]
        public var links: [MarkupParser.LinkUse]
        public var sections: [(title: String, line: Int)]
        public var bodyLines: [(line: Int, text: Substring)]
    }

    static let knownFields: Set<String> = ["title", "summary", "spec", "related", "tags", "header", "unused"]

    public init() {}

    /// Parses `text` found at `path` (relative to the content folder). Returns nil when the
    /// path is not a page; problems go to `diagnostics`.
    public func parse(path: String, text: String, diagnostics: inout [Diagnostic]) -> Parsed? {
        let components = path.split(separator: "/")
        guard components.count == 2, let kind = PageKind(rawValue: String(components[0])),
              components[1].hasSuffix(".md") else { return nil }
        let id = String(components[1].dropLast(3))

        var fields: [String: String] = [:]
        var fieldLines: [String: Int] = [:]
        var headers: [HeaderNote] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var index = 0
        func complain(_ line: Int, _ message: String) {
            diagnostics.append(Diagnostic(file: path, line: line, message: message))
        }

        while index < lines.count {
            let line = lines[index].trimmingTrailingSpaces()
            let lineNumber = index + 1
            index += 1
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else {
                complain(lineNumber, "expected a `key: value` field (a blank line ends the fields)")
                continue
            }
            let key = String(line[..<colon]).lowercased()
            let value = String(line[line.index(after: colon)...].trimmingLeadingSpaces())
            guard Self.knownFields.contains(key) else {
                complain(lineNumber, "unknown field `\(key)` (known: \(Self.knownFields.sorted().joined(separator: ", ")))")
                continue
            }
            if key == "header" {
                let parts = value.split(separator: "|", omittingEmptySubsequences: false)
                    .map { String($0.trimmingLeadingSpaces().trimmingTrailingSpaces()) }
                guard parts.count == 3, !parts[0].isEmpty,
                      let requirement = HeaderRequirement(rawValue: parts[1].lowercased()) else {
                    complain(lineNumber, "a header line is `header: Name | required/optional/conditional | why`")
                    continue
                }
                headers.append(HeaderNote(name: parts[0], requirement: requirement, note: parts[2], line: lineNumber))
                continue
            }
            if fields[key] != nil { complain(lineNumber, "field `\(key)` given twice") }
            fields[key] = value
            fieldLines[key] = lineNumber
        }

        let bodyStart = index
        let body = Array(lines[bodyStart...])
        let markup = MarkupParser(file: path).parse(lines: body, firstLine: bodyStart + 1)
        diagnostics.append(contentsOf: markup.diagnostics)

        func list(_ key: String) -> [String] {
            (fields[key] ?? "").split(separator: ",").map { String($0.trimmingLeadingSpaces().trimmingTrailingSpaces()) }
                .filter { !$0.isEmpty }
        }
        let specs = (fields["spec"] ?? "").split(separator: ";")
            .map { String($0.trimmingLeadingSpaces().trimmingTrailingSpaces()) }.filter { !$0.isEmpty }
        let unusedValue = fields["unused"]?.lowercased()
        if let unusedValue, unusedValue != "yes", unusedValue != "no" {
            complain(fieldLines["unused"] ?? 1, "`unused` is `yes` or `no`")
        }

        let title = fields["title"] ?? ""
        let summary = fields["summary"] ?? ""
        let tags = list("tags")
        let searchText = ([id, title, summary] + tags + [text]).joined(separator: " ").lowercased()
        let page = Page(id: id, kind: kind, path: path, title: title, summary: summary, specs: specs,
                        related: list("related"), tags: tags, headers: headers,
                        unused: unusedValue == "yes", body: markup.document, searchText: searchText)
        let numbered = body.enumerated().map { (line: bodyStart + 1 + $0.offset, text: $0.element) }
        return Parsed(page: page, fieldLines: fieldLines, links: markup.links,
                      sections: markup.sections, bodyLines: numbered)
    }
}
