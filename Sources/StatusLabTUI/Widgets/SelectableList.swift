/// A list with selectable items and non-selectable group headers, plus its own scrolling.
import StatusLabCore

public struct SelectableList: Sendable {
    public enum Row: Sendable, Equatable {
        case header(String)
        /// `id` identifies the item across filtering; `runs` are what is shown, styled by the
        /// theme when drawn.
        case item(id: String, runs: [StyledRun])
    }

    public private(set) var rows: [Row] = []
    /// Index into `rows` of the selected item, if any item exists.
    public private(set) var selectedRow: Int?
    public private(set) var scroll = ScrollState()

    public init() {}

    public var selectedID: String? {
        guard let row = selectedRow, case .item(let id, _) = rows[row] else { return nil }
        return id
    }

    public var itemCount: Int { rows.filter { if case .item = $0 { true } else { false } }.count }

    /// Replaces the rows, keeping the selection on the same item when it is still there.
    public mutating func setRows(_ newRows: [Row]) {
        let keep = selectedID
        rows = newRows
        selectedRow = keep.flatMap(indexOf) ?? rows.firstIndex(where: Self.isItem)
        scroll = ScrollState()
    }

    public mutating func select(id: String) {
        if let index = indexOf(id) { selectedRow = index }
    }

    private func indexOf(_ id: String) -> Int? {
        rows.firstIndex { if case .item(let rowID, _) = $0 { rowID == id } else { false } }
    }

    static func isItem(_ row: Row) -> Bool { if case .item = row { true } else { false } }

    /// Moves the selection by `delta` items (headers are skipped), stopping at the ends.
    public mutating func move(by delta: Int) {
        let items = rows.indices.filter { Self.isItem(rows[$0]) }
        guard !items.isEmpty else { return }
        let current = selectedRow.flatMap { items.firstIndex(of: $0) } ?? 0
        selectedRow = items[min(max(current + delta, 0), items.count - 1)]
    }

    /// Selects the row at `index` if it is an item (a click); false for a header.
    @discardableResult
    public mutating func select(row index: Int) -> Bool {
        guard rows.indices.contains(index), Self.isItem(rows[index]) else { return false }
        selectedRow = index
        return true
    }

    public mutating func moveToStart() { move(by: -rows.count) }
    public mutating func moveToEnd() { move(by: rows.count) }

    /// Draws into `area`, scrolling so the selection is visible. `focused` chooses the
    /// selection style. The scroll bar goes in `scrollbarColumn` (a frame's edge, say) when
    /// given, else in the last column of `area`.
    public mutating func draw(into buffer: inout ScreenBuffer, area: Rect, focused: Bool, theme: Theme,
                              scrollbarColumn: Int? = nil) {
        guard !area.isEmpty else { return }
        if let selectedRow {
            // Keep the group header of the first item in view when scrolled to the top.
            let target = selectedRow > 0 && !Self.isItem(rows[selectedRow - 1]) && selectedRow - 1 < area.height ? selectedRow - 1 : selectedRow
            scroll.reveal(line: target, contentHeight: rows.count, viewHeight: area.height)
            scroll.reveal(line: selectedRow, contentHeight: rows.count, viewHeight: area.height)
        }
        let scrollbar = rows.count > area.height
        let textArea = scrollbar && scrollbarColumn == nil ? area.inset(right: 1) : area
        for row in 0..<area.height {
            let index = scroll.offset + row
            guard index < rows.count else { break }
            let y = area.y + row
            switch rows[index] {
            case .header(let title):
                buffer.write(title, x: textArea.x, y: y, style: theme.style(.heading), clip: textArea)
            case .item(_, let runs):
                buffer.addClickTarget(Rect(x: textArea.x, y: y, width: textArea.width, height: 1), .row(index))
                let selected = index == selectedRow
                var x = textArea.x
                x = buffer.write(selected ? "›" : " ", x: x, y: y, style: theme.style(.emphasis), clip: textArea)
                for run in runs { x = buffer.write(run.text, x: x, y: y, style: theme.style(run.style), clip: textArea) }
                if selected {
                    let style = theme.style(focused ? .selection : .selectionInactive)
                    buffer.restyle(Rect(x: textArea.x, y: y, width: textArea.width, height: 1)) { old in
                        var s = style
                        if old.attributes.contains(.bold) { s.attributes.insert(.bold) }
                        return s
                    }
                }
            }
        }
        if scrollbar {
            let column = scrollbarColumn ?? area.maxX - 1
            ScrollIndicator.draw(into: &buffer, area: Rect(x: column, y: area.y, width: 1, height: area.height),
                                 offset: scroll.offset, contentHeight: rows.count, theme: theme)
        }
    }
}
