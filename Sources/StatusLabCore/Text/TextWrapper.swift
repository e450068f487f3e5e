/// A piece of styled text; `link` is the page id when the run is part of a link.
public struct StyledRun: Sendable, Equatable {
    public var text: String
    public var style: TextStyle
    public var link: String?
    /// Which link of its text the run belongs to, when two links side by side (or one wrapped
    /// over lines) must be told apart.
    public var linkNumber: Int?

    public init(_ text: String, _ style: TextStyle = .plain, link: String? = nil, linkNumber: Int? = nil) {
        self.text = text
        self.style = style
        self.link = link
        self.linkNumber = linkNumber
    }

    /// Other text, styled and linked the same.
    func with(_ text: String) -> StyledRun { StyledRun(text, style, link: link, linkNumber: linkNumber) }
}

/// Greedy word wrapping of styled runs by display width. Words longer than a line are
/// broken; spaces at a line break are dropped. One wrapper serves the TUI and plain output.
public enum TextWrapper {
    public static func runs(_ inlines: [Inline]) -> [StyledRun] {
        inlines.map { inline in
            switch inline {
            case .text(let text, let style): StyledRun(text, style)
            case .link(let target, let label): StyledRun(label, .plain, link: target)
            }
        }
    }

    public static func wrap(_ runs: [StyledRun], width: Int, indent: Int = 0, hangingIndent: Int = 0) -> [[StyledRun]] {
        let width = max(width, 1)
        var lines: [[StyledRun]] = []
        var line: [StyledRun] = []
        var used = 0
        var lineWidth = max(width - indent, 1)
        var pendingSpace: StyledRun? = nil

        func newLine() {
            lines.append(line)
            line = []
            used = 0
            lineWidth = max(width - hangingIndent, 1)
            pendingSpace = nil
        }
        func add(_ piece: StyledRun, width w: Int) {
            if let last = line.last, last.style == piece.style, last.link == piece.link, last.linkNumber == piece.linkNumber {
                line[line.count - 1].text += piece.text
            } else {
                line.append(piece)
            }
            used += w
        }

        for run in runs {
            for token in tokens(run.text) {
                if token.allSatisfy({ $0 == " " }) {
                    if used > 0 { pendingSpace = run.with(" ") }
                    continue
                }
                let w = DisplayWidth.of(token)
                let spaceWidth = pendingSpace == nil ? 0 : 1
                if used > 0, used + spaceWidth + w > lineWidth { newLine() }
                if let space = pendingSpace, used > 0 { add(space, width: 1) }
                pendingSpace = nil
                if w <= lineWidth - used {
                    add(run.with(token), width: w)
                    continue
                }
                // Longer than a whole line: break it by characters.
                var chunk = ""
                var chunkWidth = 0
                for character in token {
                    let cw = DisplayWidth.of(character)
                    if used + chunkWidth + cw > lineWidth {
                        if !chunk.isEmpty { add(run.with(chunk), width: chunkWidth) }
                        newLine()
                        chunk = ""
                        chunkWidth = 0
                    }
                    chunk.append(character)
                    chunkWidth += cw
                }
                if !chunk.isEmpty { add(run.with(chunk), width: chunkWidth) }
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// Words and runs of spaces, in order.
    static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var currentIsSpace = false
        for character in text {
            let isSpace = character == " " || character == "\n" || character == "\t"
            let c: Character = isSpace ? " " : character
            if !current.isEmpty, isSpace != currentIsSpace {
                result.append(current)
                current = ""
            }
            currentIsSpace = isSpace
            current.append(c)
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}
