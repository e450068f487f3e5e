import Foundation
import StatusLabCore

/// How a quiz starts, from the command line or the home menu.
public struct QuizSettings: Sendable {
    public var mode: QuizSession.Mode
    public var filter: QuizSession.Filter
    public var count: Int?
    public var seed: UInt64
    public var timeLimit: TimeInterval?
    public var exportPath: String?
    /// In a room (`quiz --exam --room`): the room the exam is handed in to when the quiz ends.
    public var handInTo: String?

    public init(mode: QuizSession.Mode = .practice, filter: QuizSession.Filter = .init(), count: Int? = nil,
                seed: UInt64 = UInt64.random(in: 1...UInt64(Int32.max)), timeLimit: TimeInterval? = nil, exportPath: String? = nil) {
        self.mode = mode
        self.filter = filter
        self.count = count
        self.seed = seed
        self.timeLimit = timeLimit
        self.exportPath = exportPath
    }
}

/// The quiz: a menu (practice, review, exam, stats, filters), then one question at a time.
/// Practice and review give feedback after each answer; an exam only at the end.
public struct QuizScreen: Screen {
    public enum Phase: Sendable { case menu, question, feedback, summary, stats }
    enum Action: Sendable {
        case practice, review, exam, stats, topic, difficulty
        case up, down, toggle, number(Int), submit, undo, next, reference, page(Int), leave
    }

    let library: ContentLibrary
    let saver: ProgressSaver?
    /// The progress as it stood when the last run ended; a run keeps its own, newer, copy.
    private var progressBetweenRuns: QuizProgress
    var settings: QuizSettings
    /// The quiz being taken; nil on the menu and the statistics.
    public private(set) var run: QuizRun?
    var showingStats = false
    /// Shown at the top: a corrupt progress file, a failed save, an export written.
    public private(set) var notice: String?
    var cursor = 0
    /// Choice numbers given so far (pick-all: a set; order: the sequence).
    var picked: [Int] = []
    var clock: @Sendable () -> Date
    var scroll = ScrollState()

    public init(library: ContentLibrary, saver: ProgressSaver?, progress: QuizProgress, notice: String? = nil,
                settings: QuizSettings = QuizSettings(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.library = library
        self.saver = saver
        progressBetweenRuns = progress
        self.notice = notice
        self.settings = settings
        self.clock = clock
        // Started from the command line with a mode: go straight to the questions.
        if settings.mode != .practice || settings.count != nil || settings.filter != .init() {
            start(settings.mode)
        }
    }

    public var progress: QuizProgress { run?.progress ?? progressBetweenRuns }

    public var phase: Phase {
        switch run?.phase {
        case nil: showingStats ? .stats : .menu
        case .question: .question
        case .feedback: .feedback
        case .finished: .summary
        }
    }

    public var title: String {
        switch phase {
        case .menu: "Quiz"
        case .stats: "Quiz statistics"
        default: "Quiz: \(run?.mode.rawValue ?? "")"
        }
    }

    var current: QuizQuestion? { run?.current }

    public var wantsTicks: Bool { run?.isTimed ?? false }

    var keyTable: KeyTable<Action> {
        switch phase {
        case .menu:
            return KeyTable([
                KeyBinding([.char("p"), .enter], "p", "practice", .practice),
                KeyBinding([.char("r")], "r", "review", .review),
                KeyBinding([.char("e")], "e", "exam", .exam),
                KeyBinding([.char("s")], "s", "stats", .stats),
                KeyBinding([.char("t")], "t", "topic", .topic),
                KeyBinding([.char("d")], "d", "difficulty", .difficulty),
                KeyBinding([.escape, .char("q")], "q", "back", .leave),
            ])
        case .question:
            let several = current?.kind.takesSeveral ?? false
            // A digit answers a one-answer question at once; on the others it adds a choice.
            return KeyTable(KeyBinding.digits(1...9, "1-\(current?.choices.count ?? 4)", several ? "add" : "answer") { .number($0) } + [
                KeyBinding([.up, .char("k")], "↑↓", "move", .up),
                KeyBinding([.down, .char("j")], "↓", "move down", .down, inBar: false, inHelp: false),
                KeyBinding([.char(" ")], "Space", several ? "add/remove" : "answer the highlighted one", .toggle, inBar: several),
                KeyBinding([.enter], "Enter", several ? "answer" : "answer the highlighted one", .submit),
                KeyBinding([.backspace], "Bksp", "undo", .undo, inBar: several),
                KeyBinding([.pageUp], "PgUp", "scroll up", .page(-1), inBar: false),
                KeyBinding([.pageDown], "PgDn", "scroll down", .page(1), inBar: false),
                KeyBinding([.escape, .char("q")], "q", "quit quiz", .leave),
            ])
        case .feedback, .summary, .stats:
            var bindings = [KeyBinding<Action>([.enter, .char("n")], "Enter", phase == .feedback ? "next" : "menu", .next)]
            // Only where there is a page to open: the help never offers a key that does nothing.
            if phase == .feedback, run?.session.answers.last?.question.referencePage != nil {
                bindings.append(KeyBinding([.char("r")], "r", "reference page", .reference))
            }
            bindings += [
                KeyBinding([.up, .char("k"), .pageUp], "↑↓", "scroll", .page(-1)),
                KeyBinding([.down, .char("j"), .pageDown, .char(" ")], "↓", "scroll down", .page(1), inBar: false, inHelp: false),
                KeyBinding([.escape, .char("q")], "q", phase == .feedback ? "quit quiz" : "menu", .leave),
            ]
            return KeyTable(bindings)
        }
    }

    public var keyHelp: [KeyHelp] { keyTable.help }

    public mutating func receive(_ message: QuizMessage) -> Command {
        if let text = message.text { notice = text }
        return .none
    }

    public mutating func handle(_ event: Event, context: ScreenContext) -> Command {
        switch event {
        case .tick:
            return run?.endIfTimeUp(at: clock()) == true ? timeIsUp() : .none
        case .key(let key):
            guard let action = keyTable.action(for: key) else { return .none }
            return perform(action, context: context)
        default:
            return .none
        }
    }

    private mutating func perform(_ action: Action, context: ScreenContext) -> Command {
        switch action {
        case .practice: start(.practice)
        case .review: start(.review)
        case .exam: start(.exam)
        case .stats: showingStats = true; scroll = ScrollState()
        case .topic:
            let topics: [String?] = [nil] + QuizQuestion.topics
            let index = topics.firstIndex(of: settings.filter.topic) ?? 0
            settings.filter.topic = topics[(index + 1) % topics.count]
        case .difficulty:
            let levels: [QuizQuestion.Difficulty?] = [nil] + QuizQuestion.Difficulty.allCases
            let index = levels.firstIndex(of: settings.filter.difficulty) ?? 0
            settings.filter.difficulty = levels[(index + 1) % levels.count]
        case .up: cursor = max(cursor - 1, 0)
        case .down: cursor = min(cursor + 1, max((current?.choices.count ?? 1) - 1, 0))
        case .number(let n):
            guard let question = current, (1...question.choices.count).contains(n) else { return .none }
            cursor = n - 1
            return choose(n, in: question)
        case .toggle:
            guard let question = current else { return .none }
            return choose(cursor + 1, in: question)
        case .undo: if !picked.isEmpty { picked.removeLast() }
        case .submit:
            guard let question = current else { return .none }
            if !question.kind.takesSeveral { picked = [cursor + 1] }
            return submit(question)
        case .next:
            guard phase == .feedback else { backToMenu(); break }
            run?.next(at: clock())
            if run?.phase == .finished { return finish() }
            beginQuestion()
        case .reference:
            guard let id = run?.session.answers.last?.question.referencePage, let page = library.page(id) else { return .none }
            return .push(PageScreen(page: page, library: library))
        case .page(let direction):
            scroll.offset = max(scroll.offset + direction * max(context.bodySize.height / 2, 1), 0)
        case .leave:
            if phase == .menu { return .pop }
            backToMenu()
        }
        return .none
    }

    private mutating func choose(_ number: Int, in question: QuizQuestion) -> Command {
        switch question.kind {
        case .pick, .header, .spot:
            picked = [number]
            return submit(question)
        case .pickAll:
            if let index = picked.firstIndex(of: number) { picked.remove(at: index) } else { picked.append(number) }
        case .order:
            if !picked.contains(number) { picked.append(number) }
            if picked.count == question.choices.count { return submit(question) }
        }
        return .none
    }

    private mutating func submit(_ question: QuizQuestion) -> Command {
        guard let given = QuizSession.answer(picked, for: question, seed: run?.session.seed ?? 0) else {
            notice = question.kind == .order ? "Give all \(question.choices.count) steps in order (Backspace undoes)." : "Choose at least one answer first."
            return .none
        }
        notice = nil
        guard run?.answer(given, at: clock()) != nil else {
            // Not taken: the time was up, and the run has ended.
            return run?.ranOutOfTime == true ? timeIsUp() : .none
        }
        let save = saveCommand()
        switch run?.phase {
        case .finished: return .batch([save, finish()])
        case .question: beginQuestion()
        default: scroll = ScrollState()
        }
        return save
    }

    private mutating func timeIsUp() -> Command {
        notice = "Time is up."
        return finish()
    }

    private mutating func finish() -> Command {
        scroll = ScrollState()
        return run.map(exportCommand) ?? .none
    }

    mutating func start(_ mode: QuizSession.Mode) {
        let fresh = QuizRun(mode: mode, bank: library.questions, filter: settings.filter, count: settings.count,
                            seed: settings.seed, timeLimit: settings.timeLimit, progress: progress, now: clock())
        guard !fresh.session.questions.isEmpty else {
            notice = mode == .review ? "Nothing is due for review: practise first, or come back later."
                                     : "No questions match this topic and difficulty."
            return
        }
        notice = nil
        run = fresh
        beginQuestion()
    }

    private mutating func backToMenu() {
        progressBetweenRuns = progress
        run = nil
        showingStats = false
    }

    private mutating func beginQuestion() {
        cursor = 0
        picked = []
        scroll = ScrollState()
    }

    public mutating func draw(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        var inside = area.inset(left: 2, top: 1, right: 2)
        if let notice {
            let lines = TextWrapper.wrap([StyledRun(notice)], width: max(inside.width, 1)).prefix(3)
            for (row, line) in lines.enumerated() {
                buffer.write(line.map(\.text).joined(), x: inside.x, y: inside.y + row, style: theme.style(.error), clip: inside)
            }
            inside = inside.inset(top: lines.count + 1)
        }
        let layout = RichTextLayout(document(now: clock()), width: max(inside.width - 2, 1), theme: theme)
        scroll.clamp(contentHeight: layout.lines.count, viewHeight: inside.height)
        layout.draw(into: &buffer, area: inside.inset(right: 2), offset: scroll.offset, focusedLink: nil, theme: theme)
        ScrollIndicator.draw(into: &buffer, area: Rect(x: inside.maxX - 1, y: inside.y, width: 1, height: inside.height),
                             offset: scroll.offset, contentHeight: layout.lines.count, theme: theme)
    }

    func document(now: Date) -> Document {
        switch phase {
        case .menu: return QuizViews.menu(library: library, progress: progress, filter: settings.filter, count: settings.count, now: now)
        case .stats: return QuizViews.stats(library: library, progress: progress, now: now)
        case .question:
            guard let run, let question = run.current else { return Document() }
            return QuizViews.question(question, number: run.questionNumber, of: run.session.questions.count,
                                      mode: run.mode, seed: run.session.seed, cursor: cursor, picked: picked, remaining: run.remaining(at: now))
        case .feedback:
            guard let run, let answer = run.session.answers.last else { return Document() }
            return QuizViews.feedback(answer, library: library, seed: run.session.seed, last: run.session.isFinished)
        case .summary:
            guard let session = run?.session else { return Document() }
            return QuizViews.summary(session)
        }
    }
}
