import StatusLabCore

/// Find in a view, as in less: `/` opens a prompt, typing a word and Enter goes to the next line
/// that has it (after the top of the view, round to the start), `/` and Enter again to the one
/// after; matches are highlighted; Esc closes the prompt. Case does not matter.
public struct Find: Sendable, Equatable {
    public private(set) var input = TextInput()
    /// Whether the prompt is open and takes the keys.
    public private(set) var editing = false
    /// The term last searched for.
    public private(set) var term = ""
    /// The line of the match the view went to, and how many lines match.
    public private(set) var found: (line: Int, count: Int)?

    public init() {}

    public static func == (a: Find, b: Find) -> Bool {
        a.input == b.input && a.editing == b.editing && a.term == b.term && a.found?.line == b.found?.line && a.found?.count == b.found?.count
    }

    public mutating func open() {
        editing = true
        input = TextInput(text: term)
    }

    public enum Outcome: Equatable {
        /// The key changed the prompt, or closed it.
        case handled
        /// Go to this line.
        case go(Int)
        /// The key is not the prompt's.
        case ignored
    }

    /// A key while the prompt is open. `lines` are the view's lines as text, `after` the line
    /// the search starts after (the top of the view, or the last match).
    public mutating func handle(_ key: Key, lines: [String], after: Int) -> Outcome {
        guard editing else { return .ignored }
        switch key {
        case .escape:
            editing = false
            return .handled
        case .enter:
            editing = false
            term = input.text
            guard !term.isEmpty else { found = nil; return .handled }
            let needle = term.lowercased()
            let matching = lines.indices.filter { lines[$0].lowercased().contains(needle) }
            guard let next = matching.first(where: { $0 > after }) ?? matching.first else {
                found = (line: -1, count: 0)
                return .handled
            }
            found = (line: next, count: matching.count)
            return .go(next)
        default:
            return input.handle(key) ? .handled : .handled
        }
    }

    /// The line the next search starts after: the last match while the view still shows it,
    /// else the line above the view.
    public func start(viewTop: Int, viewHeight: Int) -> Int {
        if let found, found.line >= viewTop, found.line < viewTop + viewHeight { return found.line }
        return viewTop - 1
    }

    /// What the bottom line of the view says: the prompt, or where the last search went.
    public var status: String? {
        if editing { return "/" + input.text }
        guard let found, !term.isEmpty else { return nil }
        if found.count == 0 { return "“\(term)” is not on this page · / finds another word" }
        return "“\(term)”: \(found.count) line\(found.count == 1 ? "" : "s") · / Enter for the next"
    }

    /// Highlights every occurrence of the term in the rows drawn in `area` (row `i` of the
    /// area is line `offset + i`), by restyling its cells.
    public func highlight(_ buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        guard !term.isEmpty, found?.count ?? 0 > 0 else { return }
        let needle = Array(term.lowercased())
        for y in area.y..<area.maxY {
            var cells: [Character] = []
            for x in area.x..<area.maxX { cells.append(buffer[x, y].symbol.lowercased().first ?? " ") }
            guard cells.count >= needle.count else { continue }
            var x = 0
            while x + needle.count <= cells.count {
                if Array(cells[x..<(x + needle.count)]) == needle {
                    buffer.restyle(Rect(x: area.x + x, y: y, width: needle.count, height: 1)) { _ in theme.style(.selection) }
                    x += needle.count
                } else {
                    x += 1
                }
            }
        }
    }
}
