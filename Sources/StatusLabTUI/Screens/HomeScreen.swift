import StatusLabCore

/// The home menu: one entry per part of StatusLab that exists. Entries join as features land.
public struct HomeScreen: Screen {
    struct Entry: Sendable {
        /// What choosing the entry does: open a part of StatusLab, or leave.
        enum Kind: Sendable {
            case open(@Sendable (ContentLibrary) -> Command)
            case quit
        }

        let key: Character
        let title: String
        let description: String
        let kind: Kind

        init(key: Character, title: String, description: String, open: @escaping @Sendable (ContentLibrary) -> Command) {
            self.init(key: key, title: title, description: description, kind: .open(open))
        }

        init(key: Character, title: String, description: String, kind: Kind) {
            self.key = key
            self.title = title
            self.description = description
            self.kind = kind
        }
    }

    enum Action: Sendable { case up, down, open, choose(Int) }

    let library: ContentLibrary
    let entries: [Entry]
    var selected = 0

    public init(library: ContentLibrary, quiz: (@Sendable () -> QuizScreen)? = nil, lab: (@Sendable () -> LabScreen)? = nil,
                exercises: (@Sendable () -> ExercisesScreen)? = nil) {
        self.library = library
        self.entries = [
            Entry(key: "r", title: "Reference",
                  description: "Every status code, and the headers and schemes of logins",
                  open: { .push(ReferenceScreen(library: $0)) }),
        ] + (library.page("cheatsheet") == nil ? [] : [
            // The order of checks on one screen (ux-walk-1: the essay's last section, on its own).
            Entry(key: "c", title: "Cheat sheet", description: "The order of checks and each refusal's code",
                  open: { library in library.page("cheatsheet").map { .push(PageScreen(page: $0, library: library)) } ?? .none }),
        ]) + (!library.hasDiagrams ? [] : [
            // A content pack may have other diagrams than the built-in ones.
            Entry(key: "f", title: "Flowchart",
                  description: "Walk the decisions to a status code, one question at a time",
                  open: { library in (library.diagram("auth") ?? library.diagrams.first).map { .push(FlowchartScreen(diagram: $0, library: library)) } ?? .none }),
        ]) + (quiz.map { make in [
            Entry(key: "z", title: "Quiz", description: "Scenario questions, review of what you missed, exams",
                  open: { _ in .push(make()) }),
        ] } ?? []) + (lab.map { make in [
            Entry(key: "l", title: "Lab", description: "Real requests to the built-in server: headers, wire, why",
                  open: { _ in .push(make()) }),
        ] } ?? []) + (exercises.map { make in [
            Entry(key: "e", title: "Exercises", description: "Make the server answer 401, 403, 404 … with real requests",
                  open: { _ in .push(make()) }),
        ] } ?? []) + [
            Entry(key: "q", title: "Quit", description: "Leave StatusLab", kind: .quit),
        ]
    }

    public var title: String { Self.homeTitle }
    static let homeTitle = "Home"

    var keyTable: KeyTable<Action> {
        KeyTable([
            KeyBinding([.up, .char("k")], "↑↓", "move", .up),
            KeyBinding([.down, .char("j")], "↓", "move down", .down, inBar: false, inHelp: false),
            KeyBinding([.enter, .right], "Enter", "open", .open),
        // Each entry's key; Quit's is only its own (Esc, pressed to get home, must not quit).
        ] + entries.enumerated().map { index, entry in
            KeyBinding([.char(entry.key)], String(entry.key), entry.title.lowercased(), .choose(index))
        })
    }

    public var keyHelp: [KeyHelp] { keyTable.help }

    public mutating func handle(_ event: Event, context: ScreenContext) -> Command {
        guard case .key(let key) = event, let action = keyTable.action(for: key) else { return .none }
        switch action {
        case .up: selected = max(selected - 1, 0)
        case .down: selected = min(selected + 1, entries.count - 1)
        case .open: return open(entries[selected])
        case .choose(let index):
            selected = index
            return open(entries[index])
        }
        return .none
    }

    private func open(_ entry: Entry) -> Command {
        switch entry.kind {
        case .open(let open): open(library)
        case .quit: .quit
        }
    }

    public mutating func draw(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let codes = library.pageCount(of: .code)
        let banner = [
            ("StatusLab", theme.style(.heading)),
            ("Which status code should this response carry?", theme.style(.muted)),
        ]
        let menuWidth = min(max(area.width - 4, 20), 72)
        let menuHeight = entries.count * 2 + 2
        let block = Rect(x: area.x + (area.width - menuWidth) / 2, y: area.y, width: menuWidth, height: area.height)
        var y = block.y + max((area.height - menuHeight - 6) / 2, 0)
        for (text, style) in banner {
            let x = block.x + max((block.width - DisplayWidth.of(text)) / 2, 0)
            buffer.write(text, x: x, y: y, style: style, clip: area)
            y += 1
        }
        y += 1
        let menu = Chrome.frame(into: &buffer, area: Rect(x: block.x, y: y, width: block.width, height: menuHeight),
                                title: "Start", focused: true, theme: theme)
        for (index, entry) in entries.enumerated() {
            let row = menu.y + index * 2
            let selectedRow = index == selected
            let line = Rect(x: menu.x, y: row, width: menu.width, height: 1)
            var x = buffer.write(selectedRow ? " \(theme.box.pointer) " : "   ", x: menu.x, y: row, style: theme.style(.emphasis), clip: menu)
            x = buffer.write("[\(entry.key)] ", x: x, y: row, style: theme.style(.muted), clip: menu)
            buffer.write(entry.title, x: x, y: row, style: theme.style(.emphasis), clip: menu)
            buffer.write(entry.description, x: menu.x + 7, y: row + 1, style: theme.style(.muted), clip: menu)
            buffer.addClickTarget(Rect(x: menu.x, y: row, width: menu.width, height: 2).clamped(to: menu), .key(.char(entry.key)))
            if selectedRow {
                buffer.restyle(line) { old in
                    var s = theme.style(.selection)
                    if old.attributes.contains(.bold) { s.attributes.insert(.bold) }
                    return s
                }
            }
        }
        let footer = "\(codes) status codes offline  \(theme.box.bullet)  plain commands: statuslab --help"
        let fy = min(menu.maxY + 2, area.maxY - 1)
        buffer.write(footer, x: area.x + max((area.width - DisplayWidth.of(footer)) / 2, 0), y: fy, style: theme.style(.muted), clip: area)
    }
}
