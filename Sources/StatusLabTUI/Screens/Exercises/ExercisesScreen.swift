import Foundation
import StatusLabCore

/// The exercises, solved live: the built-in server runs while the screen is open, and every
/// exchange it handles (from curl, a browser or the Lab) is checked against the goals.
public struct ExercisesScreen: Screen {
    public enum Message: Sendable {
        case server(LabServerState)
        case log([LabLogEntry])
        case saved(String?)
        case messages([RoomFeed.Message])
    }

    enum Action: Sendable { case up, down, hint, lab, back }

    let backend: any LabBackend
    let library: ContentLibrary
    let store: StateFile<ExerciseProgress>?
    /// The Lab, opened on this screen's server, so its requests count too.
    let lab: (@Sendable () -> LabScreen)?
    let poller = ServerLogPoller()
    var tracker: ExerciseTracker
    var server = LabServerState.starting
    /// The exercises, one a row.
    var list = RowList<ExerciseRow>()
    var hintsShown: [String: Int] = [:]
    var notice: String?
    var canSave = true

    public init(backend: any LabBackend, library: ContentLibrary, store: StateFile<ExerciseProgress>?,
                lab: (@Sendable () -> LabScreen)? = nil) {
        self.backend = backend
        self.library = library
        self.store = store
        self.lab = lab
        var progress = ExerciseProgress()
        if let store {
            let loaded = store.load()
            progress = loaded.value ?? ExerciseProgress()
            notice = loaded.notice
            canSave = loaded.canSave
        }
        tracker = ExerciseTracker(exercises: library.exercises, progress: progress)
        list = RowList(selected: tracker.current.flatMap { current in library.exercises.firstIndex { $0.id == current.id } } ?? 0)
    }

    /// The exercise chosen in the list.
    var selected: Int { list.selected ?? 0 }

    public var title: String { "Exercises" }

    /// Starts the server and reads its log while the screen is open.
    public func start() -> Command {
        let backend = self.backend, poller = self.poller
        return .batch([
            work { .server(await backend.startServer()) },
            stream { post in await poller.run(backend, messages: { post(.messages($0)) }) { entries, _ in post(.log(entries)) } },
        ])
    }

    var keyTable: KeyTable<Action> {
        KeyTable([
            KeyBinding([.up, .char("k")], "↑↓", "choose", .up),
            KeyBinding([.down, .char("j")], "↓", "down", .down, inBar: false, inHelp: false),
            KeyBinding([.char("h")], "h", "a hint", .hint),
        ] + (lab == nil ? [] : [KeyBinding([.char("l")], "l", "the Lab, on this server", .lab)]) + [
            KeyBinding([.escape, .char("q")], "q", "back (stops the server)", .back),
        ])
    }

    public var keyHelp: [KeyHelp] { keyTable.help }

    public mutating func receive(_ message: Message) -> Command {
        switch message {
        case .server(let state):
            server = state
            if case .running(_, let note) = state, let note { notice = note }
        case .log(let entries):
            let solved = tracker.observe(entries)
            guard !solved.isEmpty else { return .none }
            // The solved exercise stays in view with its explanation; ↓ leads on.
            notice = "Solved: " + solved.map(\.title).joined(separator: ", ")
                + (tracker.current.map { current in
                    " · next to solve: \((library.exercises.firstIndex { $0.id == current.id } ?? 0) + 1). \(current.title)"
                } ?? " · every exercise is solved")
            return save()
        case .saved(let problem):
            if let problem { notice = problem }
        case .messages(let messages):
            if let last = messages.last { notice = "From the instructor\(last.to == "you" ? ", to you" : ""): \(last.text)" }
        }
        return .none
    }

    private func save() -> Command {
        guard let store, canSave else { return .none }
        let progress = tracker.progress
        let ticket = store.ticket()
        return saving {
            do { try store.save(progress, ticket: ticket); return .saved(nil) } catch {
                return .saved("Progress could not be saved to \(store.file.path): \(error.localizedDescription)")
            }
        }
    }

    public mutating func handle(_ event: Event, context: ScreenContext) -> Command {
        // Keys move among the rows as they are drawn at this size.
        let inside = listFrame(in: Rect(x: 0, y: 0, width: context.bodySize.width, height: context.bodySize.height)).inset(by: 1)
        list.layout(rows(width: inside.width, theme: context.theme), height: inside.height)
        if case .clicked(let row) = event {
            list.select(row)
            return .none
        }
        guard case .key(let key) = event, let action = keyTable.action(for: key) else { return .none }
        switch action {
        case .up: list.move(by: -1)
        case .down: list.move(by: 1)
        case .hint:
            let exercise = library.exercises[selected]
            hintsShown[exercise.id] = min((hintsShown[exercise.id] ?? 0) + 1, exercise.hints.count)
        case .lab:
            // The Lab shares this server; its results still come here while it is on top.
            if let lab {
                var screen = lab()
                screen.exercises = tracker
                return .push(screen)
            }
        case .back:
            poller.stop()
            let backend = self.backend
            return .batch([work { await backend.stopServer(); return .server(.stopped) }, .pop])
        }
        return .none
    }

    public mutating func draw(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let serverLine = switch server {
        case .starting: "Starting the built-in server…"
        case .running(let url, _): "Send requests to \(url)/ from anywhere: curl, a browser, the Lab."
        case .failed(let why): "The built-in server did not start: \(why)."
        case .stopped: "The built-in server has stopped."
        }
        buffer.write(serverLine, x: area.x + 1, y: area.y, style: theme.style(.muted), clip: area)
        if let notice {
            buffer.write(notice, x: area.x + 1, y: area.y + 1, style: theme.style(.emphasis), clip: area.inset(top: 1))
        }
        let frame = listFrame(in: area)
        let inside = Chrome.frame(into: &buffer, area: frame, title: "\(tracker.solvedCount)/\(library.exercises.count) solved",
                                  focused: true, theme: theme)
        list.layout(rows(width: inside.width, theme: theme), height: inside.height)
        list.draw(into: &buffer, area: inside, scrollbarColumn: inside.maxX, theme: theme)
        // Hints name the server this screen started, wherever it had to listen.
        let exercise = if case .running(let url, _) = server { library.exercises[selected].at(base: url) } else { library.exercises[selected] }
        let right = Rect(x: frame.maxX, y: frame.y, width: area.maxX - frame.maxX, height: frame.height)
        let detail = Chrome.frame(into: &buffer, area: right, title: "\(selected + 1). \(exercise.title)", focused: false, theme: theme)
        var blocks: [Block] = [.paragraph([.text("Goal: ", .strong)] + exercise.goal)]
        let solved = tracker.progress.solved[exercise.id] != nil
        if exercise.steps.count > 1 {
            let met = solved ? exercise.steps.count : tracker.stepsMet(exercise)
            blocks.append(.paragraph([.text("Steps met: \(met) of \(exercise.steps.count) (\(exercise.steps.map(\.label).joined(separator: " → ")))", .dim)]))
        }
        for (index, hint) in exercise.hints.prefix(hintsShown[exercise.id] ?? 0).enumerated() {
            blocks.append(.paragraph([.text("Hint \(index + 1): ", .strong)] + hint))
        }
        if (hintsShown[exercise.id] ?? 0) < exercise.hints.count, !solved {
            blocks.append(.paragraph([.text("h shows a hint.", .dim)]))
        }
        if solved {
            blocks.append(.paragraph([.text("Solved. ", .color(.green))] + exercise.explanation))
            blocks.append(.field(label: "Spec", value: [.text(exercise.specs.joined(separator: "; "), .plain)]))
        }
        // One column from the frame on the left, as elsewhere.
        let layout = RichTextLayout(Document(blocks: blocks), width: max(detail.width - 2, 10), theme: theme)
        for (row, line) in layout.lines.prefix(detail.height).enumerated() {
            var x = detail.x + 1
            for run in line.runs { x = buffer.write(run.text, x: x, y: detail.y + row, style: run.style, clip: detail) }
        }
    }

    /// The list's frame: a third of the body's width (24 to 40 columns), below the server line and
    /// the notice. The exercise's frame takes the rest.
    func listFrame(in body: Rect) -> Rect {
        let rest = body.inset(top: notice == nil ? 1 : 2)
        return rest.splitLeft(min(max(rest.width / 3, 24), 40)).left
    }

    /// The exercises as rows `width` columns wide, a mark on the solved ones.
    func rows(width: Int, theme: Theme) -> [ExerciseRow] {
        library.exercises.enumerated().map { index, exercise in
            let done = tracker.progress.solved[exercise.id] != nil
            let title = DisplayWidth.fitting((done ? "✓ " : "  ") + "\(index + 1). \(exercise.title)", width: width, ellipsis: theme.box.ellipsis)
            return ExerciseRow(runs: [(title, done ? theme.style(.muted) : .plain)])
        }
    }
}

/// An exercise's line in the list: every one can be chosen.
struct ExerciseRow: ListRow {
    var runs: [(String, Style)]
    var isSelectable: Bool { true }
}
