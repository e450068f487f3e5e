import StatusLabCore

/// The whole program as a value: a stack of screens, the help overlay and the terminal size.
/// `handle` turns an event into state changes and effects; `render` draws a frame. The
/// runner feeds it events and copies frames to a backend, and tests drive it directly.
public struct App: Sendable {
    public static let minimumSize = Size(width: 50, height: 14)

    public enum Effect: Sendable {
        /// Ctrl-Z: give the terminal back until `fg`.
        case suspend
        /// Work whose result goes back to the screen `origin`.
        case run(origin: Int, @Sendable () async -> Event)
        /// Work the runner waits for before it returns (`Command.save`).
        case save(origin: Int, @Sendable () async -> Event)
        case stream(origin: Int, @Sendable (_ post: @escaping @Sendable (any Sendable) -> Void) async -> Void)
        case clipboard(String)
    }

    public private(set) var stack: [any Screen]
    /// Each screen's identity, parallel to `stack`: where effect results go back to.
    private var ids: [Int] = [1]
    private var nextID = 2
    public private(set) var size: Size
    public private(set) var isFinished = false
    public private(set) var showingHelp = false
    /// The first line of the help overlay shown, when it has more keys than fit.
    var helpScroll = 0
    /// The signal that ended the app (SIGTERM, SIGHUP, SIGINT, SIGQUIT), if one did.
    public private(set) var endingSignal: Int32?
    /// The frame last drawn: what a click lands on.
    private var lastFrame: ScreenBuffer?
    public let theme: Theme

    static let globalKeys: [KeyHelp] = [
        KeyHelp(label: "?", help: "help", inBar: true, key: .char("?")),
        KeyHelp(label: "^Z", help: "suspend (fg to return)", inBar: false),
        KeyHelp(label: "^C", help: "quit StatusLab", inBar: false),
    ]

    public init(root: any Screen, size: Size, theme: Theme) {
        self.stack = [root]
        self.size = size
        self.theme = theme
    }

    public var top: any Screen { stack[stack.count - 1] }

    var bodyArea: Rect { Rect(x: 0, y: 1, width: size.width, height: size.height - 2) }

    public var isTooSmall: Bool {
        size.width < Self.minimumSize.width || size.height < Self.minimumSize.height
    }

    public mutating func handle(_ event: Event) -> [Effect] {
        switch event {
        case .terminate(let signal):
            endingSignal = signal
            isFinished = true
            return []
        case .resize(let newSize):
            size = newSize
        case .routed(let origin, let inner):
            // To the screen that started the work; nothing if it has gone.
            guard let index = ids.lastIndex(of: origin) else { return [] }
            let context = ScreenContext(bodySize: Size(width: bodyArea.width, height: bodyArea.height), theme: theme)
            let command = if case .message(let payload) = inner {
                stack[index].deliver(payload, context: context)
            } else {
                stack[index].handle(inner, context: context)
            }
            return index == stack.count - 1 ? perform(command) : performInBackground(command, origin: origin)
        case .key(.ctrl("c")):
            isFinished = true
            return []
        case .key(.ctrl("z")):
            return [.suspend]
        case .key(let key) where showingHelp:
            switch key {
            case .escape, .enter, .char("q"), .char("?"), .function(1): showingHelp = false
            case .down, .char("j"): helpScroll += 1
            case .up, .char("k"): helpScroll = max(helpScroll - 1, 0)
            case .pageDown, .char(" "): helpScroll += max(size.height - 8, 1)
            case .pageUp: helpScroll = max(helpScroll - max(size.height - 8, 1), 0)
            case .home: helpScroll = 0
            case .end: helpScroll = Int.max / 2
            default: break
            }
            return []
        case .key(.char("?")) where !top.capturesText, .key(.function(1)):
            showingHelp = true
            helpScroll = 0
            return []
        case .mouse(let mouse):
            return handle(mouse)
        case .key where isTooSmall:
            // Only quitting makes sense until the terminal is big enough again.
            if event.isKey(.char("q")) || event.isKey(.escape) { isFinished = true }
            return []
        default:
            break
        }
        let context = ScreenContext(bodySize: Size(width: bodyArea.width, height: bodyArea.height), theme: theme)
        let command = stack[stack.count - 1].handle(event, context: context)
        return perform(command)
    }

    /// A click does what was drawn under it (from the last frame); the wheel scrolls as three
    /// arrow keys, as terminals' alternate-scroll mode does.
    private mutating func handle(_ mouse: Mouse) -> [Effect] {
        if isTooSmall { return [] }
        if showingHelp {
            if mouse.kind == .click { showingHelp = false }
            return []
        }
        switch mouse.kind {
        case .wheelUp, .wheelDown:
            let key: Key = mouse.kind == .wheelUp ? .up : .down
            return (0..<3).flatMap { _ in handle(.key(key)) }
        case .click:
            switch lastFrame?.clickAction(x: mouse.x, y: mouse.y) {
            case .key(.char("?")):
                // Help, even while a text field has the keys (a click is not typing).
                showingHelp = true
                return []
            case .key(let key): return handle(.key(key))
            case .row(let row): return handle(.clicked(row: row))
            case .link(let link): return handle(.clickedLink(link))
            case nil: return []
            }
        }
    }

    /// Starts the program: the first screen's `start` work, then `command` as if that screen had
    /// returned it. The runner calls it once, before the first event.
    public mutating func start(_ command: Command = .none) -> [Effect] {
        perform(stack[0].start()) + perform(command)
    }

    private mutating func perform(_ command: Command) -> [Effect] {
        let origin = ids[ids.count - 1]
        switch command {
        case .none: return []
        case .push(let screen):
            stack.append(screen)
            ids.append(nextID)
            nextID += 1
            // Its own work, routed to it: it is the top now.
            return perform(screen.start())
        case .pop:
            if stack.count > 1 {
                stack.removeLast()
                ids.removeLast()
            } else {
                isFinished = true
            }
        case .quit: isFinished = true
        case .run(let operation): return [.run(origin: origin, operation)]
        case .save(let operation): return [.save(origin: origin, operation)]
        case .stream(let operation): return [.stream(origin: origin, operation)]
        case .clipboard(let text): return [.clipboard(text)]
        case .batch(let commands): return commands.flatMap { perform($0) }
        }
        return []
    }

    /// A screen below the top may start more work with a result, but not move the stack.
    private func performInBackground(_ command: Command, origin: Int) -> [Effect] {
        switch command {
        case .run(let operation): [.run(origin: origin, operation)]
        case .save(let operation): [.save(origin: origin, operation)]
        case .stream(let operation): [.stream(origin: origin, operation)]
        case .batch(let commands): commands.flatMap { performInBackground($0, origin: origin) }
        default: []
        }
    }

    /// Draws the current frame: title bar, the top screen, the help bar, the help overlay.
    public mutating func render() -> ScreenBuffer {
        var buffer = ScreenBuffer(size: size)
        defer { lastFrame = buffer }
        guard !isTooSmall else {
            drawTooSmall(into: &buffer)
            return buffer
        }
        let titleRow = Rect(x: 0, y: 0, width: size.width, height: 1)
        buffer.fill(titleRow, style: theme.style(.titleBar))
        let crumbs = ["StatusLab"] + stack.map(\.title).filter { $0 != HomeScreen.homeTitle }
        let separator = " \(theme.box.pointer) "
        buffer.write(" " + crumbs.joined(separator: separator), x: 0, y: 0,
                     style: theme.style(.titleBar).adding(.bold), clip: titleRow.inset(right: 8))
        buffer.write("? help ", x: size.width - 7, y: 0, style: theme.style(.titleBar))
        buffer.addClickTarget(Rect(x: size.width - 7, y: 0, width: 6, height: 1), .key(.char("?")))

        stack[stack.count - 1].draw(into: &buffer, area: bodyArea, theme: theme)

        let keys = top.keyHelp + Self.globalKeys
        Chrome.helpBar(into: &buffer, area: Rect(x: 0, y: size.height - 1, width: size.width, height: 1), keys: keys, theme: theme)
        if showingHelp { drawHelp(keys: keys, into: &buffer) }
        return buffer
    }

    private mutating func drawHelp(keys: [KeyHelp], into buffer: inout ScreenBuffer) {
        let keys = keys.filter(\.inHelp)
        let labelWidth = keys.map { DisplayWidth.of($0.label) }.max() ?? 0
        let lines: [[TextLine.Run]] = keys.map { key in
            let pad = String(repeating: " ", count: labelWidth - DisplayWidth.of(key.label) + 2)
            return [TextLine.Run(text: key.label + pad, style: theme.style(.emphasis), link: nil),
                    TextLine.Run(text: key.help, style: .plain, link: nil)]
        }
        // Every key is listed; what does not fit scrolls (the footer says so), so nothing is lost
        // at 80x24.
        let fits = max(size.height - 5, 1)
        helpScroll = min(helpScroll, max(lines.count - fits, 0))
        let atEnd = helpScroll + fits >= lines.count
        let footer = lines.count > fits
            ? "\(atEnd ? "↑ PgUp" : "↑↓ PgDn more") (\(helpScroll + 1)–\(min(helpScroll + fits, lines.count)) of \(lines.count)) · Esc or ? closes"
            : "Esc or ? closes"
        // The widest line of all sets the width, so the box does not change size as it scrolls.
        let widest = lines.map { $0.reduce(0) { $0 + DisplayWidth.of($1.text) } }.max() ?? 0
        Chrome.modal(into: &buffer, title: "Keys: \(top.title)", lines: Array(lines.dropFirst(helpScroll)), footer: footer,
                     contentWidth: widest, theme: theme)
    }

    private func drawTooSmall(into buffer: inout ScreenBuffer) {
        let message = [
            "Terminal too small",
            "\(size.width)x\(size.height), needs \(Self.minimumSize.width)x\(Self.minimumSize.height)",
            "Enlarge it, or q to quit",
        ]
        let top = max((size.height - message.count) / 2, 0)
        for (i, line) in message.enumerated() {
            let x = max((size.width - DisplayWidth.of(line)) / 2, 0)
            buffer.write(line, x: x, y: top + i, style: i == 0 ? theme.style(.error) : .plain)
        }
    }
}

extension Event {
    func isKey(_ key: Key) -> Bool {
        if case .key(let k) = self { return k == key }
        return false
    }
}
