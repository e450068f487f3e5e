/// A terminal in memory for tests: it applies the runner's cell changes to its own screen,
/// so a test sees exactly what a real terminal would, and plays back scripted events.
public final class TestTerminal: TerminalBackend {
    public private(set) var size: Size
    public private(set) var screen: ScreenBuffer
    public private(set) var frames = 0
    public private(set) var suspensions = 0
    private var script: [Event]

    public init(size: Size, events: [Event]) {
        self.size = size
        self.screen = ScreenBuffer(size: size)
        self.script = events
    }

    public func draw(_ changes: [CellChange], full: Bool) {
        if full { screen = ScreenBuffer(size: size) }
        for change in changes { screen.set(x: change.x, y: change.y, change.cell) }
        frames += 1
    }

    public func nextEvent(timeoutMilliseconds: Int) -> Event? {
        guard !script.isEmpty else { return .terminate(signal: 15) }
        let event = script.removeFirst()
        if case .resize(let newSize) = event { size = newSize }
        return event
    }

    public func suspend() { suspensions += 1 }
}
