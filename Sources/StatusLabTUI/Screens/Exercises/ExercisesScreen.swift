import Foundation
import StatusLabCore

/// The exercises, solved live: the built-in server runs while the screen is open, and every
/// exchange it handles (from curl, a browser or the Lab) is checked against the goals.
public struct ExercisesScreen: Screen {
    public enum Message: Sendable {
        case server(LabServerState)
        case log([LabLogEntry])
        case saved(String?)
    }

    enum Action: Sendable { case up, down, hint, lab, back }

    let backend: any LabBackend
    let library: ContentLibrary
    let store: StateFile<ExerciseProgress>?
    /// The Lab, opened on this screen's server, so its requests count too.
    let lab: (@Sendable () -> LabScreen)?
    let session = LabScreen.Session()
    var tracker: ExerciseTracker
    var server = LabServerState.starting
    var selected: Int
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
        selected = tracker.current.flatMap { current in library.exercises.firstIndex { $0.id == current.id } } ?? 0
    }

    public var title: String { "Exercises" }

    public static func opening(_ screen: ExercisesScreen) -> Command { .batch([.push(screen), screen.startCommands]) }

    public var startCommands: Command {
        let backend = self.backend, session = self.session
        return .batch([
            work { .server(await backend.startServer()) },
            stream { post in await session.pollLog(backend) { entries, _ in post(.log(entries)) } },
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
        }
        return .none
    }

    private func save() -> Command {
        guard let store, canSave else { return .none }
        let progress = tracker.progress
        return saving {
            do { try store.save(progress); return .saved(nil) } catch {
                return .saved("Progress could not be saved to \(store.file.path): \(error.localizedDescription)")
            }
        }
    }

    public mutating func handle(_ event: Event, context: ScreenContext) -> Command {
        if case .clicked(let row) = event, library.exercises.indices.contains(row) {
            selected = row
            return .none
        }
        guard case .key(let key) = event, let action = keyTable.action(for: key) else { return .none }
        switch action {
        case .up: selected = max(selected - 1, 0)
        case .down: selected = min(selected + 1, library.exercises.count - 1)
        case .hint:
            let exercise = library.exercises[selected]
            hintsShown[exercise.id] = min((hintsShown[exercise.id] ?? 0) + 1, exercise.hints.count)
        case .lab:
            // The Lab shares this server; its results still come here while it is on top.
            if let lab {
                var screen = lab()
                screen.exercises = tracker
                return LabScreen.opening(screen)
            }
        case .back:
            session.end()
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
        var rest = area.inset(top: 1)
        if let notice {
            buffer.write(notice, x: rest.x + 1, y: rest.y, style: theme.style(.emphasis), clip: rest)
            rest = rest.inset(top: 1)
        }
        let listWidth = min(max(rest.width / 3, 24), 40)
        let (left, right) = rest.splitLeft(listWidth)
        let list = Chrome.frame(into: &buffer, area: left, title: "\(tracker.solvedCount)/\(library.exercises.count) solved",
                                focused: true, theme: theme)
        let top = max(0, min(selected - list.height / 2, library.exercises.count - list.height))
        for (index, exercise) in library.exercises.enumerated().dropFirst(top).prefix(list.height) {
            let done = tracker.progress.solved[exercise.id] != nil
            let y = list.y + index - top
            let line = Rect(x: list.x, y: y, width: list.width, height: 1)
            let title = DisplayWidth.fitting((done ? "✓ " : "  ") + "\(index + 1). \(exercise.title)", width: list.width, ellipsis: theme.box.ellipsis)
            buffer.write(title, x: list.x, y: y,
                         style: done ? theme.style(.muted) : .plain, clip: line)
            if index == selected { buffer.restyle(line) { _ in theme.style(.selection) } }
            buffer.addClickTarget(line, .row(index))
        }
        // Hints name the server this screen started, wherever it had to listen.
        let exercise = if case .running(let url, _) = server { library.exercises[selected].at(base: url) } else { library.exercises[selected] }
        let inside = Chrome.frame(into: &buffer, area: right, title: "\(selected + 1). \(exercise.title)", focused: false, theme: theme)
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
        let layout = RichTextLayout(Document(blocks: blocks), width: max(inside.width - 2, 10), theme: theme)
        for (row, line) in layout.lines.prefix(inside.height).enumerated() {
            var x = inside.x + 1
            for run in line.runs { x = buffer.write(run.text, x: x, y: inside.y + row, style: run.style, clip: inside) }
        }
    }
}
