import StatusLabCore

/// The reference browser: every page grouped (codes by class, then headers, schemes,
/// essays), `/` to filter by number, name or words, a preview pane when there is room, and
/// Enter for the full page.
public struct ReferenceScreen: Screen {
    enum Focus: Sendable { case list, filter, preview }
    enum Action: Sendable {
        case up, down, pageUp, pageDown, top, bottom, open, filter, clearOrBack, switchPane
        case acceptFilter, cancelFilter
    }

    /// Wide enough for a list and a preview side by side.
    static let previewMinimumWidth = 96
    static let listWidth = 40

    let library: ContentLibrary
    public private(set) var list = SelectableList()
    public private(set) var filter = TextInput()
    var focus = Focus.list
    var preview: PageScreen?

    public init(library: ContentLibrary) {
        self.library = library
        rebuildRows(selectBest: false)
    }

    public var title: String { "Reference" }
    public var capturesText: Bool { focus == .filter }
    public var filterText: String { filter.text }

    /// Whether the last frame had room for the preview: Tab switches panes only then.
    var previewShown = true

    var keyTable: KeyTable<Action> {
        switch focus {
        case .filter:
            return KeyTable([
                KeyBinding([.enter], "Enter", "keep filter", .acceptFilter),
                KeyBinding([.escape], "Esc", "clear filter", .cancelFilter),
                KeyBinding([.up], "↑↓", "move", .up, inBar: false),
                KeyBinding([.down], "↓", "move down", .down, inBar: false, inHelp: false),
            ])
        case .list, .preview:
            return KeyTable([
                KeyBinding([.up, .char("k")], "↑↓", "move", .up),
                KeyBinding([.down, .char("j")], "↓", "move down", .down, inBar: false, inHelp: false),
                KeyBinding([.pageUp], "PgUp", "page up", .pageUp, inBar: false),
                KeyBinding([.pageDown], "PgDn", "page down", .pageDown, inBar: false),
                KeyBinding([.home, .char("g")], "g", "first", .top, inBar: false),
                KeyBinding([.end, .char("G")], "G", "last", .bottom, inBar: false),
                KeyBinding([.enter, .right, .char("l")], "Enter", "open", .open),
                KeyBinding([.char("/")], "/", "filter", .filter),
            ] + (previewShown ? [KeyBinding([.tab], "Tab", "switch pane", .switchPane, inBar: false)] : []) + [
                KeyBinding([.escape, .char("q"), .left, .char("h"), .backspace], "Esc/q", filter.text.isEmpty ? "back" : "clear filter", .clearOrBack),
            ])
        }
    }

    /// With the preview focused, the page's keys scroll and follow links, but these stay the
    /// reference's own: they switch panes and go back to the list.
    static let previewKeys = KeyTable<Action>([
        KeyBinding([.tab], "Tab", "switch pane", .switchPane),
        KeyBinding([.escape, .char("q"), .backspace, .left, .char("h")], "Esc/q", "back to the list", .clearOrBack),
    ])

    public var keyHelp: [KeyHelp] {
        focus == .preview ? PageScreen.keyTable.without(Self.previewKeys.keys).help + Self.previewKeys.help : keyTable.help
    }

    public mutating func handle(_ event: Event, context: ScreenContext) -> Command {
        if case .clicked(let row) = event {
            // A click on a row opens it, wherever the focus was.
            guard list.select(row: row) else { return .none }
            focus = .list
            return handle(.key(.enter), context: context)
        }
        if case .clickedLink = event, var page = preview {
            // A link in the preview opens its page.
            let command = page.handle(event, context: previewContext(context))
            preview = page
            return command
        }
        guard case .key(let key) = event else { return .none }
        if focus == .preview, var page = preview, Self.previewKeys.action(for: key) == nil {
            // The preview pane scrolls like a page; following a link opens it in full.
            let command = page.handle(event, context: previewContext(context))
            preview = page
            if case .pop = command { focus = .list; return .none }
            return command
        }
        if focus == .filter, keyTable.action(for: key) == nil {
            if filter.handle(key) { rebuildRows(selectBest: true) }
            return .none
        }
        guard let action = keyTable.action(for: key) else { return .none }
        let pageSize = max(context.bodySize.height - 4, 1)
        switch action {
        case .up: list.move(by: -1)
        case .down: list.move(by: 1)
        case .pageUp: list.move(by: -pageSize)
        case .pageDown: list.move(by: pageSize)
        case .top: list.moveToStart()
        case .bottom: list.moveToEnd()
        case .open:
            guard let id = list.selectedID, let page = library.page(id) else { return .none }
            return .push(PageScreen(page: page, library: library))
        case .filter:
            focus = .filter
        case .acceptFilter:
            focus = .list
        case .cancelFilter:
            filter.clear()
            focus = .list
            rebuildRows(selectBest: false)
        case .clearOrBack:
            if focus == .preview { focus = .list; return .none }
            guard !filter.text.isEmpty else { return .pop }
            filter.clear()
            rebuildRows(selectBest: false)
        case .switchPane:
            if context.bodySize.width >= Self.previewMinimumWidth, preview != nil {
                focus = focus == .preview ? .list : .preview
            }
        }
        syncPreview()
        return .none
    }

    /// Where the preview page draws: inside the preview frame, its title row included. The
    /// page's keys and its drawing use this one rectangle.
    static func previewArea(in body: Rect) -> Rect {
        body.splitLeft(listWidth).rest.inset(by: 1).inset(top: -1)
    }

    private func previewContext(_ context: ScreenContext) -> ScreenContext {
        let area = Self.previewArea(in: Rect(x: 0, y: 0, width: context.bodySize.width, height: context.bodySize.height))
        return ScreenContext(bodySize: Size(width: area.width, height: area.height), theme: context.theme)
    }

    /// Rows for the current filter, in reading order. While filtering, the selection jumps to
    /// the best match.
    mutating func rebuildRows(selectBest: Bool) {
        let matches = library.search(filter.text)
        let ids = Set(matches.map(\.page.id))
        var rows: [SelectableList.Row] = []
        var currentGroup: String?
        for page in library.pages where ids.contains(page.id) {
            let group = page.statusClass.map { "\($0.label) \($0.name)" } ?? page.kind.groupTitle
            if group != currentGroup {
                rows.append(.header(group))
                currentGroup = group
            }
            var runs: [StyledRun] = []
            if let code = page.code, let statusClass = page.statusClass {
                runs.append(StyledRun("\(code)", .color(statusClass.color)))
                runs.append(StyledRun(" " + page.title))
            } else {
                runs.append(StyledRun(page.title))
            }
            rows.append(.item(id: page.id, runs: runs))
        }
        list.setRows(rows)
        if selectBest, let best = matches.max(by: { $0.score < $1.score }) {
            list.select(id: best.page.id)
        }
        syncPreview()
    }

    private mutating func syncPreview() {
        guard let id = list.selectedID, let page = library.page(id) else { preview = nil; return }
        if preview?.page.id != page.id { preview = PageScreen(page: page, library: library) }
    }

    public mutating func draw(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let wide = area.width >= Self.previewMinimumWidth
        previewShown = wide
        let (listArea, previewArea) = wide ? area.splitLeft(Self.listWidth) : (area, Rect(x: 0, y: 0, width: 0, height: 0))
        let matchCount = list.itemCount
        let title = filter.text.isEmpty ? "Pages (\(matchCount))" : "Matches (\(matchCount))"
        var inside = Chrome.frame(into: &buffer, area: listArea, title: title, focused: focus != .preview, theme: theme)
        if focus == .filter || !filter.text.isEmpty {
            let (input, rest) = inside.splitTop(1)
            filter.draw(into: &buffer, area: input, prompt: "/ ", focused: focus == .filter, theme: theme)
            inside = rest
        }
        if matchCount == 0 {
            buffer.write("Nothing matches “\(filter.text)”.", x: inside.x + 1, y: inside.y + 1, style: theme.style(.muted), clip: inside)
            buffer.write("Esc clears the filter.", x: inside.x + 1, y: inside.y + 2, style: theme.style(.muted), clip: inside)
        } else {
            list.draw(into: &buffer, area: inside, focused: focus != .preview, theme: theme, scrollbarColumn: inside.maxX)
        }
        if wide, var page = preview {
            Chrome.frame(into: &buffer, area: previewArea, title: "Preview", focused: focus == .preview, theme: theme)
            page.draw(into: &buffer, area: Self.previewArea(in: area), theme: theme)
            preview = page
        }
    }
}
