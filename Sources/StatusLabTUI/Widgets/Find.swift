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

    /// A key while the prompt is open. `lines` are the view's lines as text; on Enter the view
    /// (`scroll`, `viewHeight` lines shown) goes to the next line with the term, after the last
    /// match while it is still in view, else after the top of the view, round to the start.
    /// Returns whether the view moved.
    @discardableResult
    public mutating func handle(_ key: Key, lines: [String], scroll: inout ScrollState, viewHeight: Int) -> Bool {
        guard editing else { return false }
        switch key {
        case .escape:
            editing = false
        case .enter:
            editing = false
            term = input.text
            guard !term.isEmpty else { found = nil; return false }
            let needle = term.lowercased()
            let matching = lines.indices.filter { lines[$0].lowercased().contains(needle) }
            let inView = found.map { $0.line >= scroll.offset && $0.line < scroll.offset + viewHeight } ?? false
            let after = inView ? found!.line : scroll.offset - 1
            guard let next = matching.first(where: { $0 > after }) ?? matching.first else {
                found = (line: -1, count: 0)
                return false
            }
            found = (line: next, count: matching.count)
            scroll.offset = max(next - 2, 0)
            scroll.clamp(contentHeight: lines.count, viewHeight: viewHeight)
            return true
        default:
            _ = input.handle(key)
        }
        return false
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
