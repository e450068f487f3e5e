import StatusLabCore

/// One reference page, scrollable, with links to follow (Tab to pick, Enter to go) and back.
public struct PageScreen: Screen {
    enum Action: Sendable {
        case scroll(Int), page(Int), top, bottom, nextLink, previousLink, follow, find, back
    }

    let library: ContentLibrary
    public let page: Page
    var scroll = ScrollState()
    /// Index of the focused link occurrence in the layout, if any.
    public private(set) var focusedLink: Int?
    private var layout: RichTextLayout?
    private var layoutWidth = -1
    /// `/`: find a word on the page.
    var find = Find()

    public init(page: Page, library: ContentLibrary) {
        self.page = page
        self.library = library
    }

    public var title: String { page.displayTitle }

    static let keyTable = KeyTable<Action>([
        KeyBinding([.up, .char("k")], "↑↓", "scroll", .scroll(-1)),
        KeyBinding([.down, .char("j")], "↓", "scroll down", .scroll(1), inBar: false, inHelp: false),
        KeyBinding([.pageUp, .char("u")], "PgUp/u", "page up", .page(-1), inBar: false),
        KeyBinding([.pageDown, .char(" ")], "PgDn/Space", "page down", .page(1), inBar: false),
        KeyBinding([.home, .char("g")], "g", "top", .top, inBar: false),
        KeyBinding([.end, .char("G")], "G", "bottom", .bottom, inBar: false),
        KeyBinding([.tab, .char("n")], "Tab", "next link", .nextLink),
        KeyBinding([.backTab, .char("p")], "S-Tab", "previous link", .previousLink, inBar: false),
        KeyBinding([.enter, .right, .char("l")], "Enter", "follow link", .follow),
        KeyBinding([.char("/")], "/", "find on the page", .find),
        KeyBinding([.escape, .char("q"), .backspace, .left, .char("h")], "Esc/q", "back", .back),
    ])

    public var keyHelp: [KeyHelp] {
        guard find.editing else { return Self.keyTable.help }
        return [KeyHelp(label: "Enter", help: "find", inBar: true, key: .enter), KeyHelp(label: "Esc", help: "cancel", inBar: true, key: .escape)]
    }

    public var capturesText: Bool { find.editing }

    /// Where the page text goes: below the two-line title; the scroll bar goes in the
    /// column after it, with a space between.
    static func textArea(in area: Rect) -> Rect {
        var text = area.inset(left: 2, top: 3, right: 3)
        text.width = min(text.width, readingWidth)
        return text
    }

    /// Lines longer than this are hard to read, however wide the terminal.
    static let readingWidth = 100

    mutating func ensureLayout(width: Int, theme: Theme) -> RichTextLayout {
        if let layout, layoutWidth == width { return layout }
        let fresh = RichTextLayout(PageDocument.document(for: page, in: library), width: width, theme: theme)
        layout = fresh
        layoutWidth = width
        if let focused = focusedLink, focused >= fresh.links.count { focusedLink = nil }
        return fresh
    }

    public mutating func handle(_ event: Event, context: ScreenContext) -> Command {
        if case .clickedLink(let link) = event {
            // A click on a link follows it, as Tab to it and Enter would.
            focusedLink = link
            return handle(.key(.enter), context: context)
        }
        guard case .key(let key) = event else { return .none }
        let area = Self.textArea(in: Rect(x: 0, y: 0, width: context.bodySize.width, height: context.bodySize.height))
        let layout = ensureLayout(width: area.width, theme: context.theme)
        let height = layout.lines.count
        let view = area.height
        if find.editing {
            let lines = layout.lines.map { $0.runs.map(\.text).joined() }
            if find.handle(key, lines: lines, scroll: &scroll, viewHeight: view - 1) { focusedLink = nil }
            return .none
        }
        guard let action = Self.keyTable.action(for: key) else { return .none }
        switch action {
        case .scroll(let delta): scroll.scroll(by: delta, contentHeight: height, viewHeight: view)
        case .page(let direction): scroll.scroll(by: direction * max(view - 2, 1), contentHeight: height, viewHeight: view)
        case .top: scroll.offset = 0
        case .bottom: scroll.scroll(by: height, contentHeight: height, viewHeight: view)
        case .nextLink, .previousLink:
            guard !layout.links.isEmpty else { return .none }
            let forward = action.isNext
            let visible = layout.links.indices.filter { isVisible(layout.links[$0].line, view: view) }
            if let current = focusedLink {
                focusedLink = forward ? min(current + 1, layout.links.count - 1) : max(current - 1, 0)
            } else {
                focusedLink = forward ? (visible.first ?? layout.links.firstIndex { $0.line >= scroll.offset } ?? 0)
                                      : (visible.last ?? layout.links.count - 1)
            }
            scroll.reveal(line: layout.links[focusedLink!].line, contentHeight: height, viewHeight: view)
            return .none
        case .follow:
            guard let focused = focusedLink else {
                focusedLink = layout.links.indices.first { isVisible(layout.links[$0].line, view: view) }
                return .none
            }
            let target = layout.links[focused].target
            if let link = DiagramLink.parse(target), let diagram = library.diagram(link.diagram),
               let path = DecisionEngine.path(to: link.outcome, in: diagram) {
                // Open the flowchart walked to that outcome.
                return .push(FlowchartScreen(diagram: diagram, library: library, answers: DecisionEngine.answers(replaying: path, in: diagram)))
            }
            guard let page = library.page(target) else { return .none }
            return .push(PageScreen(page: page, library: library))
        case .find:
            find.open()
            return .none
        case .back:
            return .pop
        }
        if let focused = focusedLink, !isVisible(layout.links[focused].line, view: view) { focusedLink = nil }
        return .none
    }

    private func isVisible(_ line: Int, view: Int) -> Bool {
        line >= scroll.offset && line < scroll.offset + view
    }

    public mutating func draw(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let titleStyle = page.statusClass.map { theme.style($0) } ?? theme.style(.heading)
        var x = buffer.write(page.displayTitle, x: area.x + 2, y: area.y + 1, style: titleStyle, clip: area)
        let kind = page.statusClass.map { "\($0.label) \($0.name)" } ?? page.kind.groupTitle
        x = buffer.write("   " + kind, x: x, y: area.y + 1, style: theme.style(.muted), clip: area)
        let rule = String(repeating: theme.box.horizontal, count: max(area.width - 4, 0))
        buffer.write(rule, x: area.x + 2, y: area.y + 2, style: theme.style(.frame), clip: area)

        var text = Self.textArea(in: area)
        let layout = ensureLayout(width: text.width, theme: theme)
        // The find prompt, or where the last search went, takes the view's last line.
        let findLine = Rect(x: text.x, y: text.maxY - 1, width: text.width, height: 1)
        if let status = find.status {
            text.height -= 1
            buffer.write(status, x: findLine.x, y: findLine.y, style: find.editing ? theme.style(.emphasis) : theme.style(.muted), clip: findLine)
        }
        scroll.clamp(contentHeight: layout.lines.count, viewHeight: text.height)
        layout.draw(into: &buffer, area: text, offset: scroll.offset, focusedLink: focusedLink, theme: theme)
        find.highlight(&buffer, area: text, theme: theme)
        let bar = Rect(x: text.maxX + 1, y: text.y, width: 1, height: text.height)
        ScrollIndicator.draw(into: &buffer, area: bar, offset: scroll.offset, contentHeight: layout.lines.count, theme: theme)
    }
}

extension PageScreen.Action {
    var isNext: Bool { if case .nextLink = self { true } else { false } }
}
