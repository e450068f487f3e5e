/// Reads one page file: `key: value` fields, a blank line, then the body markup.
public struct PageParser {
    /// What the parser knows besides the page: where each field was, and the body's links
    /// and sections, so the checks can point at lines.
    public struct Parsed: Sendable {
        public var page: Page
        public var fieldLines: [String: Int]
        public var links: [MarkupParser.LinkUse]
        public var sections: [(title: String, line: Int)]
        public var bodyLines: [(line: Int, text: Substring)]
    }

    /// A page's header fields, and where its body starts: all that lists, search results and
    /// link labels need, read without parsing the body.
    struct Front {
        let path: String
        let text: String
        let make: @Sendable (_ body: OnDemand<Document>) -> Page
        let fieldLines: [String: Int]
        let body: Substring
        let bodyLine: Int

        func parseBody() -> MarkupParser.Result {
            MarkupParser(file: path).parse(lines: body.split(separator: "\n", omittingEmptySubsequences: false),
                                           firstLine: bodyLine)
        }
    }

    static let knownFields: Set<String> = ["title", "summary", "spec", "related", "tags", "header", "unused", "claim"]

    public init() {}

    /// Parses `text` found at `path` (relative to the content folder), body and all. Returns nil
    /// when the path is not a page; problems go to `diagnostics`.
    public func parse(path: String, text: String, diagnostics: inout [Diagnostic]) -> Parsed? {
        guard let front = Self.front(path: path, text: text, diagnostics: &diagnostics) else { return nil }
        let markup = front.parseBody()
        diagnostics.append(contentsOf: markup.diagnostics)
        let numbered = front.body.isEmpty ? [] : front.body.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { (line: front.bodyLine + $0.offset, text: $0.element) }
        return Parsed(page: front.make(OnDemand(made: markup.document)), fieldLines: front.fieldLines,
                      links: markup.links, sections: markup.sections, bodyLines: numbered)
    }

    /// The header fields of the page at `path`, or nil when the path is not a page.
    static func front(path: String, text: String, diagnostics: inout [Diagnostic]) -> Front? {
        let components = path.split(separator: "/")
        guard components.count == 2, let kind = PageKind(rawValue: String(components[0])),
              components[1].hasSuffix(".md") else { return nil }
        let id = String(components[1].dropLast(3))
        func complain(_ line: Int, _ message: String) {
            diagnostics.append(Diagnostic(file: path, line: line, message: message))
        }

        let (fields, body, bodyLine) = FieldReader.header(text)
        var single: [String: Field] = [:]
        var headers: [HeaderNote] = []
        var claims: [ServerClaim] = []
        for field in fields {
            guard !field.key.isEmpty else {
                complain(field.line, "expected a `key: value` field (a blank line ends the fields)")
                continue
            }
            guard Self.knownFields.contains(field.key) else {
                complain(field.line, "unknown field `\(field.key)` (known: \(Self.knownFields.sorted().joined(separator: ", ")))")
                continue
            }
            if field.key == "header" {
                let parts = field.value.split(separator: "|", omittingEmptySubsequences: false)
                    .map { String($0.trimmingLeadingSpaces().trimmingTrailingSpaces()) }
                guard parts.count == 3, !parts[0].isEmpty,
                      let requirement = HeaderRequirement(rawValue: parts[1].lowercased()) else {
                    complain(field.line, "a header line is `header: Name | required/optional/conditional | why`")
                    continue
                }
                headers.append(HeaderNote(name: parts[0], requirement: requirement, note: parts[2], line: field.line))
                continue
            }
            if field.key == "claim" {
                if let claim = ServerClaim.parse(field, file: path, complain: complain) { claims.append(claim) }
                continue
            }
            if single[field.key] != nil { complain(field.line, "field `\(field.key)` given twice") }
            single[field.key] = field
        }
        let unused = single["unused"]?.value.lowercased()
        if let unused, unused != "yes", unused != "no" {
            complain(single["unused"]!.line, "`unused` is `yes` or `no`")
        }
        let title = single["title"]?.value ?? "", summary = single["summary"]?.value ?? ""
        let specs = single["spec"]?.list(";") ?? [], related = single["related"]?.list(",") ?? []
        let tags = single["tags"]?.list(",") ?? []
        return Front(path: path, text: text, make: { [headers, claims] body in
            Page(id: id, kind: kind, path: path, title: title, summary: summary, specs: specs, related: related,
                 tags: tags, headers: headers, unused: unused == "yes", claims: claims, text: text, body: body)
        }, fieldLines: single.mapValues(\.line), body: body, bodyLine: bodyLine)
    }
}
