/// Renders documents for `statuslab explain` and the other plain commands: wrapped to a width,
/// with ANSI styling only when asked (a TTY without NO_COLOR).
public struct PlainRenderer {
    public let width: Int
    public let color: Bool

    public init(width: Int, color: Bool) {
        self.width = max(width, 20)
        self.color = color
    }

    public func render(title: String, statusClass: StatusClass?, document: Document) -> String {
        let titleStyle: TextStyle = statusClass.map { .color($0.color) } ?? .strong
        let head = [paint(title, titleStyle, bold: true), String(repeating: "=", count: min(DisplayWidth.of(title), width))]
        return render(document, after: head)
    }

    /// A document without a title, as lines ending in a newline.
    public func render(_ document: Document, after head: [String] = []) -> String {
        var out = head
        for block in document.blocks {
            switch block {
            case .heading(let text):
                out.append("")
                out.append(paint(text, .strong, bold: true))
            case .paragraph(let inlines):
                if out.last != "" { out.append("") }
                out.append(contentsOf: lines(TextWrapper.wrap(TextWrapper.runs(inlines), width: width)))
            case .bullet(let inlines):
                let wrapped = TextWrapper.wrap(TextWrapper.runs(inlines), width: width, indent: 2, hangingIndent: 2)
                for (i, line) in lines(wrapped).enumerated() { out.append((i == 0 ? "- " : "  ") + line) }
            case .item(let marker, let inlines):
                let width = DisplayWidth.of(marker) + 1
                let lines = self.lines(TextWrapper.wrap(TextWrapper.runs(inlines), width: self.width - width))
                for (i, line) in lines.enumerated() { out.append((i == 0 ? marker + " " : String(repeating: " ", count: width)) + line) }
            case .code(let codeLines):
                if out.last != "" { out.append("") }
                out.append(contentsOf: codeLines.map { "    " + paint($0, .code) })
                out.append("")
            case .field(let label, let value):
                let runs = [StyledRun("\(label): ", .strong)] + TextWrapper.runs(value)
                out.append(contentsOf: lines(TextWrapper.wrap(runs, width: width, hangingIndent: 2)).enumerated()
                    .map { $0.offset == 0 ? $0.element : "  " + $0.element })
            }
        }
        while out.last == "" { out.removeLast() }
        while out.first == "" { out.removeFirst() }
        return out.joined(separator: "\n") + "\n"
    }

    /// `text` wrapped to the width, every line after the first (or all, without `first`)
    /// starting with `indent`.
    public func wrap(_ text: String, indent: String = "", first: String? = nil) -> String {
        let lines = TextWrapper.wrap([StyledRun(text)], width: width - DisplayWidth.of(indent))
        return lines.enumerated().map { (i, line) in ((i == 0 ? first : nil) ?? indent) + line.map(\.text).joined() }
            .joined(separator: "\n")
    }

    private func lines(_ wrapped: [[StyledRun]]) -> [String] {
        wrapped.map { line in line.map { run in paint(run.text, run.style, link: run.link != nil) }.joined() }
    }

    public func paint(_ text: String, _ style: TextStyle, bold: Bool = false, link: Bool = false) -> String {
        guard color else { return text }
        var codes: [String] = []
        if bold { codes.append("1") }
        if link { codes.append("4") }
        switch style {
        case .plain: break
        case .strong: codes.append("1")
        case .code: codes.append("36")
        case .dim: codes.append("2")
        case .color(let c): codes.append(Self.ansi(c))
        }
        guard !codes.isEmpty else { return text }
        return "\u{1B}[\(codes.joined(separator: ";"))m\(text)\u{1B}[0m"
    }

    static func ansi(_ color: NamedColor) -> String {
        switch color {
        case .red: "31"
        case .green: "32"
        case .yellow: "33"
        case .blue: "34"
        case .magenta: "35"
        case .cyan: "36"
        }
    }
}
