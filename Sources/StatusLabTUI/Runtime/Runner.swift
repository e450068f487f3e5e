import Foundation
import Synchronization

/// A terminal, as the runner needs it. The ncurses backend is one; `TestTerminal` is another.
public protocol TerminalBackend: AnyObject {
    var size: Size { get }
    /// Copies changed cells to the terminal. `full` means the screen was cleared first.
    func draw(_ changes: [CellChange], full: Bool)
    /// Waits up to `timeoutMilliseconds` for a key, a resize or a signal.
    func nextEvent(timeoutMilliseconds: Int) -> Event?
    /// Gives the terminal back (Ctrl-Z) and returns when the process is continued.
    func suspend()
}

/// Events from background work, posted from any thread, drained by the loop.
public final class EventQueue: Sendable {
    private let pending = Mutex<[Event]>([])

    public init() {}

    public func post(_ event: Event) {
        pending.withLock { $0.append(event) }
    }

    func drain() -> [Event] {
        pending.withLock { events in
            defer { events.removeAll() }
            return events
        }
    }
}

/// The one event loop: wait for an event (key, resize, signal, tick, background message),
/// update the app, draw the frame's changed cells. Frames are drawn only after events.
public enum Runner {
    public static func run(_ app: inout App, backend: TerminalBackend, queue: EventQueue = EventQueue(),
                           tickInterval: TimeInterval = 1.0, pollMilliseconds: Int = 100) {
        var previous: ScreenBuffer? = nil
        // Effects still running when the app ends (a last save, an export) get a moment to finish.
        let inFlight = DispatchGroup()
        defer { _ = inFlight.wait(timeout: .now() + 3) }
        var lastTick = Date()
        var dirty = true
        while !app.isFinished {
            if dirty {
                let frame = app.render()
                let full = previous == nil || previous!.size != frame.size
                backend.draw(frame.changes(since: full ? nil : previous), full: full)
                previous = frame
                dirty = false
            }
            var events = queue.drain()
            if events.isEmpty, let event = backend.nextEvent(timeoutMilliseconds: pollMilliseconds) {
                events.append(event)
            }
            if Date().timeIntervalSince(lastTick) >= tickInterval {
                if app.top.wantsTicks { events.append(.tick) }
                lastTick = Date()
            }
            for event in events where !app.isFinished {
                if case .resize(let size) = event, size != app.size { previous = nil }
                for effect in app.handle(event) {
                    switch effect {
                    case .suspend:
                        backend.suspend()
                        previous = nil
                        if backend.size != app.size { _ = app.handle(.resize(backend.size)) }
                    case .run(let operation):
                        inFlight.enter()
                        Task.detached {
                            queue.post(await operation())
                            inFlight.leave()
                        }
                    }
                }
                dirty = true
            }
        }
    }
}
