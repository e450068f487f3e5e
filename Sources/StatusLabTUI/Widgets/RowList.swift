/// What a `RowList` shows on one line: styled runs, and whether the row can be chosen (a
/// header line with a page, a log entry, an exercise) or is only read (a blank, a body line).
protocol ListRow: Sendable {
    var runs: [(String, Style)] { get }
    var isSelectable: Bool { get }
}

/// Rows laid out at the width they are drawn at, a selection among the rows that can be chosen,
/// and scrolling: the Lab's views and the Exercises list. The owner lays its rows out with
/// `layout(_:height:)` before it reads or moves the selection (in `handle`, at the width its
/// `draw` will use) and again when it draws, so the highlighted row is always the one a key acts
/// on, whatever the terminal's width.
struct RowList<Row: ListRow>: Sendable {
    private(set) var rows: [Row] = []
    /// The selected row's index in `rows`, if one was chosen.
    private(set) var selected: Int?
    var scroll = ScrollState()
    /// How many rows the list shows at once, as last laid out.
    private(set) var height = 1

    /// `selected`: the row to start on, kept if the first layout has it and it can be chosen.
    init(selected: Int? = nil) { self.selected = selected }

    /// Takes the rows as laid out now, `height` of them in view: the selection stays on its
    /// index when that is still a row that can be chosen, and the scroll stays in range.
    mutating func layout(_ rows: [Row], height: Int) {
        self.rows = rows
        self.height = max(height, 1)
        if let index = selected, !(rows.indices.contains(index) && rows[index].isSelectable) { selected = nil }
        scroll.clamp(contentHeight: rows.count, viewHeight: self.height)
    }

    var selectedRow: Row? { selected.map { rows[$0] } }

    /// The rows that can be chosen, by index.
    var selectable: [Int] { rows.indices.filter { rows[$0].isSelectable } }

    /// Moves the selection by `delta` selectable rows, stopping at the ends (the first move
    /// picks the first or the last), and scrolls it into view. With nothing to select, scrolls.
    mutating func move(by delta: Int) {
        let choices = selectable
        guard !choices.isEmpty else { scroll(by: delta); return }
        let current = selected.flatMap { choices.firstIndex(of: $0) }
        let next = current.map { min(max($0 + delta, 0), choices.count - 1) } ?? (delta > 0 ? 0 : choices.count - 1)
        select(choices[next])
    }

    /// Scrolls by `delta` lines; the selection stays where it is.
    mutating func scroll(by delta: Int) {
        scroll.scroll(by: delta, contentHeight: rows.count, viewHeight: height)
    }

    /// A page: the view's height less one line, so a line of context stays.
    mutating func page(by pages: Int) { scroll(by: pages * max(height - 1, 1)) }

    /// Selects `index` (a click on it) when that row can be chosen; false otherwise.
    @discardableResult
    mutating func select(_ index: Int) -> Bool {
        guard rows.indices.contains(index), rows[index].isSelectable else { return false }
        selected = index
        scroll.reveal(line: index, contentHeight: rows.count, viewHeight: height)
        return true
    }

    /// No selection, back at the top (new content).
    mutating func reset() {
        selected = nil
        scroll = ScrollState()
    }

    /// Draws the rows in view into `area` (one row a line, clipped to it), the selected one
    /// highlighted, each selectable row a click target (`.row(index)`), and a scroll bar in
    /// `scrollbarColumn` (a frame's edge, a margin) when the rows do not fit.
    mutating func draw(into buffer: inout ScreenBuffer, area: Rect, scrollbarColumn: Int, theme: Theme) {
        guard !area.isEmpty else { return }
        height = area.height
        scroll.clamp(contentHeight: rows.count, viewHeight: area.height)
        for (index, row) in rows.enumerated().dropFirst(scroll.offset).prefix(area.height) {
            let line = Rect(x: area.x, y: area.y + index - scroll.offset, width: area.width, height: 1)
            buffer.write(row.runs, x: line.x, y: line.y, clip: line)
            if index == selected { buffer.restyle(line) { _ in theme.style(.selection) } }
            if row.isSelectable { buffer.addClickTarget(line, .row(index)) }
        }
        ScrollIndicator.draw(into: &buffer, area: Rect(x: scrollbarColumn, y: area.y, width: 1, height: area.height),
                             offset: scroll.offset, contentHeight: rows.count, theme: theme)
    }
}
