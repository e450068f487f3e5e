import StatusLabCore

/// A laid-out line of styled text. `link` runs carry the index of the link occurrence they
/// belong to, so one link wrapped over two lines highlights as one.
public struct TextLine: Sendable, Equatable {
    public struct Run: Sendable, Equatable {
        public var text: String
        public var style: Style
        public var link: Int?
    }

    public var runs: [Run]
    public var indent: Int
    /// The key a click on this line types: a numbered choice ("2) …", "[ ] 2) …") types its number.
    public var clickKey: Key?

    public init(runs: [Run] = [], indent: Int = 0) {
        self.runs = runs
        self.indent = indent
    }
}

/// A document wrapped to a width: its lines and its links in reading order.
public struct RichTextLayout: Sendable {
    public let lines: [TextLine]
    /// Each link occurrence: its target page and the first line it appears on.
    public let links: [(target: String, line: Int)]

    /// Lays out `document` at `width` with `theme`'s styles. Headings are bold and preceded by
    /// a blank line; code blocks are kept as written (clipped, never wrapped).
    public init(_ document: Document, width: Int, theme: Theme) {
        var lines: [TextLine] = []
        var links: [(String, Int)] = []

        func addWrapped(_ inlines: [Inline], indent: Int, firstPrefix: String?, prefixStyle: Style? = nil, clickKey: Key? = nil) {
            var runs: [StyledRun] = []
            var count = 0
            for inline in inlines {
                switch inline {
                case .text(let text, let style): runs.append(StyledRun(text, style))
                case .link(let target, let label):
                    runs.append(StyledRun(label, .plain, link: target, linkNumber: links.count + count))
                    count += 1
                }
            }
            let wrapped = TextWrapper.wrap(runs, width: width - indent, indent: 0)
            var seen = Set<Int>()
            for (offset, line) in wrapped.enumerated() {
                var out = TextLine(indent: indent)
                out.clickKey = clickKey
                if offset == 0, let prefix = firstPrefix {
                    out.runs.append(.init(text: prefix, style: prefixStyle ?? theme.style(.muted), link: nil))
                    out.indent = indent - DisplayWidth.of(prefix)
                }
                for run in line {
                    let linkIndex = run.linkNumber
                    let style = linkIndex == nil ? theme.style(run.style) : theme.style(.link)
                    out.runs.append(.init(text: run.text, style: style, link: linkIndex))
                    if let linkIndex, !seen.contains(linkIndex) {
                        seen.insert(linkIndex)
                        links.append((run.link ?? "", lines.count))
                    }
                }
                lines.append(out)
            }
        }
        func blankLine() {
            if let last = lines.last, !last.runs.isEmpty { lines.append(TextLine()) }
        }

        for block in document.blocks {
            switch block {
            case .heading(let text):
                blankLine()
                lines.append(TextLine(runs: [.init(text: text, style: theme.style(.heading), link: nil)]))
            case .paragraph(let inlines):
                if let last = lines.last, !last.runs.isEmpty, !Self.isHeading(last, theme) { blankLine() }
                addWrapped(inlines, indent: 0, firstPrefix: nil)
            case .bullet(let inlines):
                addWrapped(inlines, indent: 2, firstPrefix: theme.box.bullet + " ", clickKey: Self.keyOfBullet(inlines))
            case .item(let marker, let inlines):
                let width = DisplayWidth.of(marker) + 1
                addWrapped(inlines, indent: width, firstPrefix: marker + " ", prefixStyle: theme.style(.emphasis),
                           clickKey: Self.choiceNumber(inlines))
            case .code(let codeLines):
                blankLine()
                for text in codeLines {
                    lines.append(TextLine(runs: [.init(text: text, style: theme.style(TextStyle.code), link: nil)], indent: 2))
                }
                lines.append(TextLine())
            case .field(let label, let value):
                let inlines: [Inline] = [.text(label + ": ", .strong)] + value
                addWrapped(inlines, indent: 0, firstPrefix: nil)
            }
        }
        while let last = lines.last, last.runs.isEmpty { lines.removeLast() }
        self.lines = lines
        self.links = links
    }

    /// A bullet that starts with a lone key in bold and two spaces ("y  yes, …") offers that key.
    static func keyOfBullet(_ inlines: [Inline]) -> Key? {
        guard inlines.count >= 2, case .text(let key, .strong) = inlines[0], key.count == 1,
              case .text(let rest, _) = inlines[1], rest.hasPrefix("  ") else { return nil }
        return .char(key.first!)
    }

    /// The number of a numbered choice item ("3) …" after an optional "[x] " or "(2) " mark).
    static func choiceNumber(_ inlines: [Inline]) -> Key? {
        guard case .text(let text, _) = inlines.first else { return nil }
        var rest = Substring(text)
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") { rest = rest[rest.index(after: close)...].drop { $0 == " " } }
        else if rest.hasPrefix("("), let close = rest.firstIndex(of: ")") { rest = rest[rest.index(after: close)...].drop { $0 == " " } }
        guard let digit = rest.first, digit.isNumber, rest.dropFirst().hasPrefix(") ") else { return nil }
        return .char(digit)
    }

    private static func isHeading(_ line: TextLine, _ theme: Theme) -> Bool {
        line.runs.count == 1 && line.runs[0].style == theme.style(.heading)
    }

    /// Draws lines `offset...` into `area`; the runs of link `focused` are highlighted.
    public func draw(into buffer: inout ScreenBuffer, area: Rect, offset: Int, focusedLink: Int?, theme: Theme) {
        for row in 0..<area.height {
            let index = offset + row
            guard index < lines.count else { break }
            let line = lines[index]
            if let key = line.clickKey { buffer.addClickTarget(Rect(x: area.x, y: area.y + row, width: area.width, height: 1), .key(key)) }
            var x = area.x + line.indent
            for run in line.runs {
                let style = run.link != nil && run.link == focusedLink ? theme.style(.focusedLink) : run.style
                let start = x
                x = buffer.write(run.text, x: x, y: area.y + row, style: style, clip: area)
                if let link = run.link { buffer.addClickTarget(Rect(x: start, y: area.y + row, width: x - start, height: 1), .link(link)) }
            }
        }
    }
}
