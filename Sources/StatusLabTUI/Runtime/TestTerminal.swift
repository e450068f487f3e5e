import Foundation

/// A terminal in memory for tests: it applies the runner's cell changes to its own screen,
/// so a test sees exactly what a real terminal would, and plays back scripted events. When
/// the script is done it waits (polling) until `until` holds for the screen or `timeout`
/// passes, then ends the run as SIGTERM would.
/// Unchecked Sendable: a test hands it to the thread that runs the loop and reads it only
/// after the loop has ended.
public final class TestTerminal: TerminalBackend, @unchecked Sendable {
    public private(set) var size: Size
    public private(set) var screen: ScreenBuffer
    public private(set) var frames = 0
    public private(set) var suspensions = 0
    /// What was put on the clipboard, last first.
    public private(set) var clipboard: [String] = []
    private var script: [Event]
    private let until: (ScreenBuffer) -> Bool
    private let deadline: Date

    public init(size: Size, events: [Event], until: @escaping (ScreenBuffer) -> Bool = { _ in true },
                timeout: TimeInterval = 5) {
        self.size = size
        self.screen = ScreenBuffer(size: size)
        self.script = events
        self.until = until
        self.deadline = Date().addingTimeInterval(timeout)
    }

    public func draw(_ changes: [CellChange], full: Bool) {
        if full { screen = ScreenBuffer(size: size) }
        for change in changes { screen.set(x: change.x, y: change.y, change.cell) }
        frames += 1
    }

    public func nextEvent(timeoutMilliseconds: Int, wake: Int32?) -> Event? {
        if !script.isEmpty {
            let event = script.removeFirst()
            if case .resize(let newSize) = event { size = newSize }
            return event
        }
        if until(screen) || Date() >= deadline { return .terminate(signal: 15) }
        // Like the real backend: a posted event ends the wait at once.
        if let wake {
            var descriptor = pollfd(fd: wake, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, Int32(min(timeoutMilliseconds, 50)))
        } else {
            Thread.sleep(forTimeInterval: Double(min(timeoutMilliseconds, 50)) / 1000)
        }
        return nil
    }

    public func copyToClipboard(_ text: String) { clipboard.insert(text, at: 0) }

    public func suspend() { suspensions += 1 }
}
