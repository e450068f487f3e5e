/// Parses the body markup of a content page (see docs/CONTENT.md): `## headings`,
/// paragraphs, `- bullets`, fenced blocks, and inline `*strong*`, `` `code` ``,
/// `[[link]]`, `[[link|label]]`, `{colour:text}`.
///
/// Links are left unresolved (label = target when none is given); `ContentLibrary`
/// fills in labels once every page is known.
public struct MarkupParser {
    public struct LinkUse: Sendable, Equatable {
        public let target: String
        public let line: Int
    }

    public struct Result: Sendable {
        public var document = Document()
        public var links: [LinkUse] = []
        public var diagnostics: [Diagnostic] = []
        /// Section headings with their lines, in order.
        public var sections: [(title: String, line: Int)] = []
    }

    let file: String

    public init(file: String) { self.file = file }

    /// `lines` are the body's lines; `firstLine` is the 1-based line number of the first.
    public func parse(lines: [Substring], firstLine: Int) -> Result {
        var result = Result()
        var paragraph: [Inline] = []
        var bullet: [Inline]? = nil
        var fence: (start: Int, lines: [String])? = nil

        func flush() {
            if let items = bullet { result.document.blocks.append(.bullet(items)); bullet = nil }
            if !paragraph.isEmpty { result.document.blocks.append(.paragraph(paragraph)); paragraph = [] }
        }
        func append(_ inlines: [Inline], to target: inout [Inline]) {
            if !target.isEmpty { target.append(.text(" ", .plain)) }
            target.append(contentsOf: inlines)
        }

        for (offset, rawLine) in lines.enumerated() {
            let lineNumber = firstLine + offset
            let line = rawLine.trimmingTrailingSpaces()
            if var open = fence {
                if line.trimmingLeadingSpaces() == "```" {
                    result.document.blocks.append(.code(open.lines))
                    fence = nil
                } else {
                    open.lines.append(String(line))
                    fence = open
                }
                continue
            }
            let trimmed = line.trimmingLeadingSpaces()
            if trimmed.hasPrefix("```") {
                flush()
                fence = (lineNumber, [])
            } else if trimmed.isEmpty {
                flush()
            } else if line.hasPrefix("#") {
                flush()
                let level = line.prefix(while: { $0 == "#" }).count
                let title = line.dropFirst(level).trimmingLeadingSpaces()
                if level < 2 || level > 3 || title.isEmpty {
                    result.diagnostics.append(Diagnostic(file: file, line: lineNumber,
                        message: "a heading is written `## Title` (or `### Title`)"))
                } else {
                    result.document.blocks.append(.heading(String(title)))
                    if level == 2 { result.sections.append((String(title), lineNumber)) }
                }
            } else if line.hasPrefix("- ") || line.hasPrefix("* ") {
                flush()
                bullet = parseInline(line.dropFirst(2), line: lineNumber, into: &result)
            } else if bullet != nil && line.hasPrefix(" ") {
                append(parseInline(trimmed, line: lineNumber, into: &result), to: &bullet!)
            } else {
                if bullet != nil { flush() }
                append(parseInline(trimmed, line: lineNumber, into: &result), to: &paragraph)
            }
        }
        if let open = fence {
            result.diagnostics.append(Diagnostic(file: file, line: open.start,
                message: "a fenced block is opened with ``` but never closed"))
            result.document.blocks.append(.code(open.lines))
        }
        flush()
        return result
    }

    func parseInline(_ text: Substring, line: Int, into result: inout Result) -> [Inline] {
        var inlines: [Inline] = []
        var plain = ""
        var rest = text[...]

        func emitPlain() {
            if !plain.isEmpty { inlines.append(.text(plain, .plain)); plain = "" }
        }
        func complain(_ message: String) {
            result.diagnostics.append(Diagnostic(file: file, line: line, message: message))
        }

        while let c = rest.first {
            // Text up to the next character that may open markup is plain: taken in one piece.
            let opening = rest.utf8.firstIndex { $0 == UInt8(ascii: "`") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "{") }
            if opening != rest.startIndex {
                plain.append(contentsOf: rest[..<(opening ?? rest.endIndex)])
                rest = rest[(opening ?? rest.endIndex)...]
                continue
            }
            if c == "`" {
                let after = rest.dropFirst()
                guard let end = after.firstIndex(of: "`") else {
                    complain("a `code` span is opened with a backtick but never closed")
                    plain.append(contentsOf: rest)
                    break
                }
                emitPlain()
                inlines.append(.text(String(after[..<end]), .code))
                rest = after[after.index(after: end)...]
            } else if rest.hasPrefix("[["), let close = rest.range(of: "]]") {
                emitPlain()
                let inner = rest[rest.index(rest.startIndex, offsetBy: 2)..<close.lowerBound]
                let parts = inner.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                let target = parts[0].trimmingLeadingSpaces().trimmingTrailingSpaces()
                if target.isEmpty || (parts.count > 1 && parts[1].allSatisfy { $0 == " " }) {
                    complain("a link needs a target and, after |, a label: [[401]] or [[401|the code]]")
                } else {
                    let label = parts.count > 1 ? String(parts[1]) : String(target)
                    inlines.append(.link(target: String(target), label: label))
                    result.links.append(LinkUse(target: String(target), line: line))
                }
                rest = rest[close.upperBound...]
            } else if c == "*", let (inner, remainder) = delimited(rest, by: "*") {
                emitPlain()
                inlines.append(.text(String(inner), .strong))
                rest = remainder
            } else if c == "{", let colon = rest.firstIndex(of: ":"),
                      let color = NamedColor(rawValue: String(rest[rest.index(after: rest.startIndex)..<colon])),
                      let close = rest[colon...].firstIndex(of: "}") {
                emitPlain()
                inlines.append(.text(String(rest[rest.index(after: colon)..<close]), .color(color)))
                rest = rest[rest.index(after: close)...]
            } else {
                plain.append(c)
                rest = rest.dropFirst()
            }
        }
        emitPlain()
        return inlines
    }

    /// `*text*`: the opening mark is followed by a non-space and the closing one preceded by one.
    private func delimited(_ text: Substring, by mark: Character) -> (Substring, Substring)? {
        let after = text.dropFirst()
        guard let first = after.first, first != " ", first != mark else { return nil }
        var index = after.startIndex
        while index < after.endIndex {
            if after[index] == mark, index > after.startIndex, after[after.index(before: index)] != " " {
                return (after[after.startIndex..<index], after[after.index(after: index)...])
            }
            index = after.index(after: index)
        }
        return nil
    }
}

extension Substring {
    func trimmingLeadingSpaces() -> Substring { drop(while: { $0 == " " || $0 == "\t" }) }
    func trimmingTrailingSpaces() -> Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return s
    }
}
