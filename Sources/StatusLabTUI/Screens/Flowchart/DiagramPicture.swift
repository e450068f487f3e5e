import StatusLabCore

/// A decision diagram drawn as boxes joined by arrows. The layout follows the main line of
/// questions downwards; other answers branch to the right, each branch laid out the same way.
/// A node reached a second time is drawn as a one-line reference to it.
public struct DiagramPicture: Sendable {
    public struct Box: Sendable {
        public let id: String
        public let rect: Rect
        /// A one-line pointer to a node drawn elsewhere.
        public let isReference: Bool
    }

    /// The cells of one arrow, from a question to the node an answer leads to.
    struct Arrow: Sendable {
        let from: String
        let answer: String
        let cells: [(x: Int, y: Int)]
    }

    public private(set) var boxes: [Box] = []
    public private(set) var size = Size.zero
    private(set) var arrows: [Arrow] = []
    /// Drawn once without highlights; `render` copies it and marks the state.
    private var canvas = ScreenBuffer(size: .zero)
    let compact: Bool

    static let boxWidth = 28
    static let compactWidth = 24

    public init(diagram: Diagram, theme: Theme, compact: Bool = false) {
        self.compact = compact
        var plan = Planner(diagram: diagram, compact: compact, theme: theme)
        _ = plan.place(diagram.start, x: 1, y: 1)
        let width = (plan.items.map(\.maxX).max() ?? 0) + 2
        let height = (plan.items.map(\.maxY).max() ?? 0) + 1
        size = Size(width: width, height: height)
        canvas = ScreenBuffer(size: size)
        for item in plan.items { item.draw(&canvas, theme) }
        boxes = plan.boxes
        arrows = plan.arrows
    }

    /// The boxes of node `id` (a node may appear once in full and again as references).
    public func boxes(of id: String) -> [Box] { boxes.filter { $0.id == id } }

    /// The picture with the walk so far marked: visited nodes and the arrows taken in the path
    /// style, the current node highlighted.
    public func render(path: [DecisionEngine.Step], current: String, theme: Theme) -> ScreenBuffer {
        var out = canvas
        let visited = Set(path.map(\.question))
        // Magenta: no status class uses it, so the path never looks like a 4xx outcome's frame.
        let pathStyle = theme.color ? Style(foreground: .magenta, attributes: .bold) : Style(attributes: .bold)
        for arrow in arrows where path.contains(DecisionEngine.Step(question: arrow.from, answer: arrow.answer)) {
            for cell in arrow.cells { out.restyle(Rect(x: cell.x, y: cell.y, width: 1, height: 1)) { _ in pathStyle } }
        }
        for box in boxes where visited.contains(box.id) && !box.isReference {
            out.restyle(box.rect) { old in old.foreground == .default || !theme.color ? old.adding(.bold) : old }
            Self.frameStyle(&out, box.rect, pathStyle)
        }
        if let box = boxes.first(where: { $0.id == current && !$0.isReference }) ?? boxes.first(where: { $0.id == current }) {
            out.restyle(box.rect) { _ in theme.style(.selection).adding(.bold) }
        }
        return out
    }

    private static func frameStyle(_ buffer: inout ScreenBuffer, _ rect: Rect, _ style: Style) {
        for x in rect.x..<rect.maxX {
            buffer.restyle(Rect(x: x, y: rect.y, width: 1, height: 1)) { _ in style }
            buffer.restyle(Rect(x: x, y: rect.maxY - 1, width: 1, height: 1)) { _ in style }
        }
        for y in rect.y..<rect.maxY {
            buffer.restyle(Rect(x: rect.x, y: y, width: 1, height: 1)) { _ in style }
            buffer.restyle(Rect(x: rect.maxX - 1, y: y, width: 1, height: 1)) { _ in style }
        }
    }
}

/// Places nodes and arrows; a drawing item each.
private struct Planner {
    struct Item {
        let maxX: Int
        let maxY: Int
        let draw: (inout ScreenBuffer, Theme) -> Void
    }

    let diagram: Diagram
    let compact: Bool
    let theme: Theme
    var items: [Item] = []
    var boxes: [DiagramPicture.Box] = []
    var arrows: [DiagramPicture.Arrow] = []
    var placed = Set<String>()
    /// How many questions lie below each node on its longest path (memoised).
    var depth: [String: Int] = [:]

    init(diagram: Diagram, compact: Bool, theme: Theme) {
        self.diagram = diagram
        self.compact = compact
        self.theme = theme
    }

    var width: Int { compact ? DiagramPicture.compactWidth : DiagramPicture.boxWidth }

    mutating func questionDepth(_ id: String) -> Int {
        if let known = depth[id] { return known }
        guard let question = diagram.question(id) else { return 0 }
        var best = 0
        for answer in question.answers { best = max(best, questionDepth(answer.target)) }
        depth[id] = best + 1
        return best + 1
    }

    /// Lines inside a node's box.
    func text(of id: String) -> (lines: [String], status: Int?) {
        let inner = width - 4
        switch diagram.node(id) {
        case .question(let question)?:
            let words = compact ? question.short : question.ask
            return (TextWrapper.wrap([StyledRun(words)], width: inner).map { $0.map(\.text).joined() }, nil)
        case .outcome(let outcome)?:
            let name = StatusRegistry.lookup(outcome.status)?.reason ?? ""
            let title = compact ? "\(outcome.status)" : "\(outcome.status) \(name)"
            let label = TextWrapper.wrap([StyledRun(outcome.label)], width: inner).map { $0.map(\.text).joined() }
            let titleLines = TextWrapper.wrap([StyledRun(title)], width: inner).map { $0.map(\.text).joined() }
            return (compact ? ["\(outcome.status) \(outcome.label)"].flatMap { line in
                // Two lines, so "401 no credentials: challenge" is not cut at its colon.
                TextWrapper.wrap([StyledRun(line)], width: inner).map { $0.map(\.text).joined() }.prefix(2)
            } : titleLines + label, outcome.status)
        case nil:
            return ([id], nil)
        }
    }

    /// Places node `id` with its top-left corner at (x, y); returns the rows used.
    mutating func place(_ id: String, x: Int, y: Int) -> Int {
        let width = self.width
        if placed.contains(id) {
            let status = diagram.outcome(id)?.status
            // The arrow already points at it: the label names the node drawn elsewhere.
            let label: String
            if let outcome = diagram.outcome(id) {
                label = "\(outcome.status) \(StatusRegistry.lookup(outcome.status)?.reason ?? "") · \(outcome.label)"
            } else {
                label = "see: " + (diagram.question(id)?.short ?? id)
            }
            let w = min(DisplayWidth.of(label), width + 8)
            boxes.append(.init(id: id, rect: Rect(x: x, y: y, width: w, height: 1), isReference: true))
            let style = status.flatMap(StatusClass.init(code:)).map { theme.style($0) } ?? theme.style(.muted)
            items.append(Item(maxX: x + w, maxY: y + 1) { buffer, _ in
                buffer.write(label, x: x, y: y, style: style, clip: Rect(x: x, y: y, width: w, height: 1))
            })
            return 1
        }
        placed.insert(id)
        let (lines, status) = text(of: id)
        let height = lines.count + 2
        let rect = Rect(x: x, y: y, width: width, height: height)
        boxes.append(.init(id: id, rect: rect, isReference: false))
        let frameStyle = status.flatMap(StatusClass.init(code:)).map { theme.style($0) } ?? theme.style(.frame)
        let textStyle = status.flatMap(StatusClass.init(code:)).map { theme.style($0) } ?? Style.plain
        let isOutcome = status != nil
        items.append(Item(maxX: rect.maxX, maxY: rect.maxY) { buffer, theme in
            let box = theme.box
            let corners = isOutcome && box == .unicode ? ("╭", "╮", "╰", "╯") : (box.topLeft, box.topRight, box.bottomLeft, box.bottomRight)
            let horizontal = String(repeating: box.horizontal, count: rect.width - 2)
            buffer.write(corners.0 + horizontal + corners.1, x: rect.x, y: rect.y, style: frameStyle)
            buffer.write(corners.2 + horizontal + corners.3, x: rect.x, y: rect.maxY - 1, style: frameStyle)
            for (row, line) in lines.enumerated() {
                let y = rect.y + 1 + row
                buffer.write(box.vertical, x: rect.x, y: y, style: frameStyle)
                buffer.fill(Rect(x: rect.x + 1, y: y, width: rect.width - 2, height: 1))
                buffer.write(line, x: rect.x + 2, y: y, style: row == 0 && isOutcome ? textStyle.adding(.bold) : textStyle)
                buffer.write(box.vertical, x: rect.maxX - 1, y: y, style: frameStyle)
            }
        })
        guard let question = diagram.question(id) else { return height }

        // The main line continues with the answer that leads to the most questions.
        var main = question.answers[0]
        for answer in question.answers where questionDepth(answer.target) > questionDepth(main.target) { main = answer }
        let sides = question.answers.filter { $0 != main }
        let labelWidth = (question.answers.map { DisplayWidth.of($0.value) }.max() ?? 2) + 6
        let childX = x + width + labelWidth
        let busX = x + width + 1
        var sideY = y
        var lastArrowRow = y + 1
        let firstArrowRow = y + 1
        for (index, answer) in sides.enumerated() {
            let isReference = placed.contains(answer.target)
            // Arrows leave at a text row; a one-line reference sits on its arrow's row.
            let childTop = isReference ? sideY + (index == 0 ? 1 : 0) : sideY
            let arrowRow = max(childTop + (isReference ? 0 : 1), index == 0 ? firstArrowRow : lastArrowRow + 1)
            let first = index == 0, last = index == sides.count - 1, several = sides.count > 1
            let from = lastArrowRow
            // Cells of this arrow: the stub out of the box, down the bus, across to the child.
            var cells: [(x: Int, y: Int)] = (x + width...busX).map { ($0, firstArrowRow) }
            if !first { cells += (firstArrowRow...arrowRow).map { (busX, $0) } }
            cells += (busX...(childX - 1)).map { ($0, arrowRow) }
            let label = answer.value
            items.append(Item(maxX: childX, maxY: arrowRow + 1) { buffer, theme in
                let box = theme.box
                let style = theme.style(.frame)
                if first {
                    buffer.write(box.teeRight, x: x + width - 1, y: y + 1, style: style)
                    buffer.write(String(repeating: box.horizontal, count: childX - x - width), x: x + width, y: arrowRow, style: style)
                    if several { buffer.write(box.teeDown, x: busX, y: arrowRow, style: style) }
                } else {
                    for row in (from + 1)..<arrowRow { buffer.write(box.vertical, x: busX, y: row, style: style) }
                    buffer.write(last ? box.bottomLeft : box.teeRight, x: busX, y: arrowRow, style: style)
                    buffer.write(String(repeating: box.horizontal, count: childX - busX - 1), x: busX + 1, y: arrowRow, style: style)
                }
                buffer.write(" \(label) ", x: busX + 2, y: arrowRow, style: theme.style(.emphasis))
                buffer.write(box == .unicode ? "▶" : ">", x: childX - 1, y: arrowRow, style: style)
            })
            arrows.append(.init(from: id, answer: answer.value, cells: cells))
            let top = isReference ? arrowRow : arrowRow - 1
            let used = place(answer.target, x: childX, y: top)
            sideY = top + used + 1
            lastArrowRow = arrowRow
        }

        let mainX = x + width / 2
        let nextY = max(y + height + 2, sideY)
        var cells: [(x: Int, y: Int)] = []
        for row in (y + height)..<nextY { cells.append((mainX, row)) }
        let label = main.value
        items.append(Item(maxX: mainX + DisplayWidth.of(label) + 3, maxY: nextY) { buffer, theme in
            let style = theme.style(.frame)
            buffer.write(theme.box.teeDown, x: mainX, y: y + height - 1, style: style)
            for row in (y + height)..<(nextY - 1) { buffer.write(theme.box.vertical, x: mainX, y: row, style: style) }
            buffer.write(theme.box.arrowDown == "↓" ? "▼" : "v", x: mainX, y: nextY - 1, style: style)
            buffer.write(label, x: mainX + 2, y: y + height, style: theme.style(.emphasis))
        })
        arrows.append(.init(from: id, answer: main.value, cells: cells))
        return nextY - y + place(main.target, x: x, y: nextY)
    }
}
