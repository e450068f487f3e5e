import Foundation
import StatusLabCore

/// Walk a decision diagram: the picture above (panning, overview), the question or the
/// outcome below. Answers are keys: y/n, or 1…n for named choices.
public struct FlowchartScreen: Screen {
    enum Action: Sendable {
        case answer(Int), yes, no, back, restart, nextDiagram, overview, pan(dx: Int, dy: Int), centre
        case panelScroll(Int), reference, leave
    }

    let library: ContentLibrary
    public private(set) var diagram: Diagram
    /// The answers given so far, in order; the walk is recomputed from them.
    public private(set) var answers: [String] = []
    public private(set) var overview = false
    var offset = (x: 0, y: 0)
    var panelScroll = ScrollState()
    /// Pictures by diagram (this one, or one it hands over to) and overview.
    private var pictures: [String: DiagramPicture] = [:]
    private var pictureTheme: Theme?
    /// Re-centre on the current node at the next draw (after an answer, a resize …).
    var follow = true

    /// What a real exchange sent, when the flowchart was opened from one (the Lab's `f`): its
    /// outcome shows those header fields, not the diagram's example values.
    public struct Exchange: Sendable {
        public let outcome: String
        public let headers: [(name: String, value: String)]

        public init(outcome: String, headers: [(name: String, value: String)]) {
            self.outcome = outcome
            self.headers = headers
        }
    }

    let exchange: Exchange?

    public init(diagram: Diagram, library: ContentLibrary, answers: [String] = [], exchange: Exchange? = nil) {
        self.diagram = diagram
        self.library = library
        self.answers = answers
        self.exchange = exchange
    }

    public var title: String { "Flowchart: \(diagram.id)" }

    public var walk: DecisionEngine.Walk { DecisionEngine.walk(diagram, answers: answers) }

    /// The diagram the walk stands in: this one, or the one a handoff passed the walk to.
    func shown(_ walk: DecisionEngine.Walk) -> Diagram {
        diagram.part(walk.currentDiagram)
    }

    var currentQuestion: Question? {
        if case .asking(_, let question) = walk { return question }
        return nil
    }

    var keyTable: KeyTable<Action> {
        var bindings: [KeyBinding<Action>] = []
        if let question = currentQuestion {
            if question.isYesNo {
                bindings.append(KeyBinding([.char("y")], "y", "yes", .yes))
                bindings.append(KeyBinding([.char("n")], "n", "no", .no))
            } else {
                bindings += KeyBinding.digits(1...min(question.answers.count, 9), "1-\(question.answers.count)", "answer") { .answer($0) }
            }
        } else {
            bindings.append(KeyBinding([.enter], "Enter", "reference page", .reference))
        }
        bindings += [
            KeyBinding([.char("b"), .backspace], "b", "back a step", .back),
            KeyBinding([.char("r")], "r", "restart", .restart),
            KeyBinding([.char("d")], "d", "next diagram", .nextDiagram),
            KeyBinding([.char("o")], "o", "overview", .overview),
            KeyBinding([.left, .char("h")], "←→↑↓", "pan", .pan(dx: -8, dy: 0), inBar: false),
            KeyBinding([.right, .char("l")], "→", "pan right", .pan(dx: 8, dy: 0), inBar: false, inHelp: false),
            KeyBinding([.up, .char("k")], "↑", "pan up", .pan(dx: 0, dy: -4), inBar: false, inHelp: false),
            KeyBinding([.down, .char("j")], "↓", "pan down", .pan(dx: 0, dy: 4), inBar: false, inHelp: false),
            KeyBinding([.char("c")], "c", "centre on the current step", .centre, inBar: false),
            KeyBinding([.pageUp], "PgUp", "scroll the panel up", .panelScroll(-1), inBar: false),
            KeyBinding([.pageDown, .char(" ")], "PgDn", "scroll the panel down", .panelScroll(1), inBar: false),
            KeyBinding([.escape, .char("q")], "q", "back", .leave),
        ]
        return KeyTable(bindings)
    }

    public var keyHelp: [KeyHelp] { keyTable.help }

    public mutating func handle(_ event: Event, context: ScreenContext) -> Command {
        if case .resize = event { follow = true }
        guard case .key(let key) = event, let action = keyTable.action(for: key) else { return .none }
        switch action {
        case .yes: give("yes")
        case .no: give("no")
        case .answer(let n):
            if let question = currentQuestion, (1...question.answers.count).contains(n) { give(question.answers[n - 1].value) }
        case .back:
            if !answers.isEmpty { answers.removeLast(); follow = true; panelScroll = ScrollState() }
        case .restart:
            answers = []
            follow = true
            panelScroll = ScrollState()
        case .nextDiagram:
            let all = library.diagrams
            let index = all.firstIndex { $0.id == diagram.id } ?? 0
            diagram = all[(index + 1) % all.count]
            answers = []
            pictures = [:]
            follow = true
            panelScroll = ScrollState()
        case .overview:
            overview.toggle()
            follow = true
        case .pan(let dx, let dy):
            offset.x = max(offset.x + dx, 0)
            offset.y = max(offset.y + dy, 0)
            follow = false
        case .centre:
            follow = true
        case .panelScroll(let direction):
            panelScroll.offset = max(panelScroll.offset + direction * 4, 0)
        case .reference:
            guard case .decided(_, let outcome) = walk, let page = library.page(code: outcome.status) else { return .none }
            return .push(PageScreen(page: page, library: library))
        case .leave:
            return .pop
        }
        return .none
    }

    private mutating func give(_ value: String) {
        answers.append(value)
        follow = true
        panelScroll = ScrollState()
    }

    mutating func picture(of shown: Diagram, theme: Theme) -> DiagramPicture {
        if pictureTheme?.color != theme.color || pictureTheme?.box != theme.box { pictures = [:] }
        pictureTheme = theme
        let key = "\(shown.id) \(overview)"
        if let cached = pictures[key] { return cached }
        let fresh = DiagramPicture(diagram: shown, theme: theme, compact: overview)
        pictures[key] = fresh
        return fresh
    }

    /// The panel goes below the picture, or beside it on a wide terminal.
    static func split(_ area: Rect) -> (picture: Rect, panel: Rect) {
        if area.width >= 140 {
            let (picture, panel) = area.splitLeft(area.width - 56)
            return (picture, panel)
        }
        let panelHeight = min(max(area.height * 2 / 5, 8), area.height - 5)
        let (picture, panel) = area.splitBottom(panelHeight)
        return (picture, panel)
    }

    public mutating func draw(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let (pictureArea, panelArea) = Self.split(area)
        let walk = self.walk
        let current: String
        switch walk {
        case .decided(_, let outcome): current = outcome.id
        case .asking(_, let question): current = question.id
        case .invalidAnswer(_, let question, _): current = question.id
        }
        let shown = shown(walk)
        let picture = picture(of: shown, theme: theme)
        // Inside a handoff the picture is the other diagram's, and its title says whose walk it is.
        let frameTitle = shown.title + (shown.id == diagram.id ? "" : " (from \(diagram.id))") + (overview ? " (overview)" : "")
        let inside = Chrome.frame(into: &buffer, area: pictureArea, title: frameTitle, focused: false, theme: theme)
        if follow, let box = picture.boxes(of: current).first(where: { !$0.isReference }) ?? picture.boxes(of: current).first {
            // Show the current box with as much of what leads to it (left, above) as fits.
            offset.x = max(box.rect.maxX + 2 - inside.width, 0)
            if box.rect.x - 1 < offset.x { offset.x = max(box.rect.x - 1, 0) }
            offset.y = max(box.rect.y - max((inside.height - box.rect.height) / 3, 0), 0)
        }
        offset.x = min(offset.x, max(picture.size.width - inside.width, 0))
        offset.y = min(offset.y, max(picture.size.height - inside.height, 0))
        let rendered = picture.render(path: walk.path.filter { $0.diagram == shown.id }, current: current, theme: theme)
        for row in 0..<inside.height {
            let y = offset.y + row
            guard y < rendered.size.height else { break }
            for column in 0..<inside.width {
                let x = offset.x + column
                guard x < rendered.size.width else { break }
                let cell = rendered[x, y]
                if cell.isContinuation { continue }
                buffer.set(x: inside.x + column, y: inside.y + row, cell)
            }
        }
        // A click on an arrow leaving the current question (or on its label) gives that answer.
        if case .asking(_, let question) = walk {
            for arrow in picture.arrows where arrow.from == question.id {
                guard let index = question.answers.firstIndex(where: { $0.value == arrow.answer }) else { continue }
                let key: Key = question.isYesNo ? .char(arrow.answer.first!) : .char(Character("\(index + 1)"))
                let labelWidth = DisplayWidth.of(arrow.answer) + 3
                for cell in arrow.cells {
                    let rect = Rect(x: inside.x + cell.x - offset.x, y: inside.y + cell.y - offset.y, width: labelWidth, height: 1)
                    buffer.addClickTarget(rect.clamped(to: inside), .key(key))
                }
            }
        }
        // Where the view is, when the picture does not fit.
        if picture.size.width > inside.width || picture.size.height > inside.height {
            let note = " \(offset.x),\(offset.y) of \(picture.size.width)x\(picture.size.height) · o overview "
            buffer.write(note, x: max(pictureArea.maxX - DisplayWidth.of(note) - 2, pictureArea.x + 2), y: pictureArea.maxY - 1,
                         style: theme.style(.muted), clip: pictureArea)
        }
        drawPanel(into: &buffer, area: panelArea, walk: walk, theme: theme)
    }

    private mutating func drawPanel(into buffer: inout ScreenBuffer, area: Rect, walk: DecisionEngine.Walk, theme: Theme) {
        // Questions answered: a handoff that let the request in, or a fact carried, asked nothing.
        let steps = walk.path.filter(\.given).count
        let title: String
        var document = Document()
        switch walk {
        case .asking(_, let question), .invalidAnswer(_, let question, _):
            title = "Step \(steps + 1): \(question.short)"
            // Inside a handoff: whose questions these are, and where the walk goes back to.
            if question.diagram != diagram.id {
                document.blocks.append(.paragraph([.text("The \(question.diagram) flowchart decides who gets in; what it lets in goes back to \(diagram.id).", .dim)]))
            }
            // The answers come right after the question, so they show on the smallest panel.
            document.blocks.append(.paragraph([.text(question.ask, .strong)]))
            for (index, answer) in question.answers.enumerated() {
                let key = question.isYesNo ? String(answer.value.prefix(1)) : "\(index + 1)"
                document.blocks.append(.bullet([.text(key, .strong), .text("  " + answer.label, .plain)]))
            }
            if !question.help.isEmpty { document.blocks.append(.paragraph(question.help)) }
        case .decided(_, let outcome):
            title = "Outcome after \(steps) step\(steps == 1 ? "" : "s"): \(outcome.label)"
            let sent = exchange.flatMap { $0.outcome == outcome.id ? $0.headers : nil }
            document.blocks += OutcomeDocument.blocks(outcome, in: shown(walk), sent: sent)
            document.blocks.append(.paragraph([.text("Enter", .strong), .text(" opens the reference page for \(outcome.status); ", .plain),
                                               .text("b", .strong), .text(" goes back a step, ", .plain),
                                               .text("r", .strong), .text(" starts again.", .plain)]))
        }
        let inside = Chrome.frame(into: &buffer, area: area, title: title, focused: true, theme: theme).inset(left: 1, right: 1)
        let layout = RichTextLayout(document, width: max(inside.width, 1), theme: theme)
        panelScroll.clamp(contentHeight: layout.lines.count, viewHeight: inside.height)
        layout.draw(into: &buffer, area: inside, offset: panelScroll.offset, focusedLink: nil, theme: theme)
        if layout.lines.count > inside.height {
            ScrollIndicator.draw(into: &buffer, area: Rect(x: area.maxX - 1, y: inside.y, width: 1, height: inside.height),
                                 offset: panelScroll.offset, contentHeight: layout.lines.count, theme: theme)
        }
    }
}
