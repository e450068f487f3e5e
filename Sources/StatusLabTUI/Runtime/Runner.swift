import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A terminal, as the runner needs it. The ncurses backend is one; `TestTerminal` is another.
public protocol TerminalBackend: AnyObject {
    var size: Size { get }
    /// Copies changed cells to the terminal. `full` means the screen was cleared first.
    func draw(_ changes: [CellChange], full: Bool)
    /// Waits up to `timeoutMilliseconds` for a key, a resize or a signal; returns nil at once
    /// when `wake` (a descriptor) becomes readable: an event was posted from another thread.
    func nextEvent(timeoutMilliseconds: Int, wake: Int32?) -> Event?
    /// Gives the terminal back (Ctrl-Z) and returns when the process is continued.
    func suspend()
    /// Puts text on the clipboard, where the terminal takes OSC 52.
    func copyToClipboard(_ text: String)
}

/// Events from background work, posted from any thread, drained by the loop. Posting also
/// writes a byte to a pipe the backend watches beside the keyboard, so the loop wakes at once
/// instead of at its next poll.
public final class EventQueue: Sendable {
    private let pending = Mutex<(events: [Event], signalled: Bool)>(([], false))
    /// The pipe's ends: the backend polls `wakeDescriptor`; `post` writes to `wakeWriter`
    /// (internal so a test can play a poster whose byte arrives late).
    public let wakeDescriptor: Int32
    let wakeWriter: Int32

    public init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        }
        wakeDescriptor = ends[0]
        wakeWriter = ends[1]
    }

    deinit {
        if wakeDescriptor >= 0 { close(wakeDescriptor) }
        if wakeWriter >= 0 { close(wakeWriter) }
    }

    public func post(_ event: Event) {
        // One byte until the loop drains: a flood of posts is one wake-up, not a full pipe.
        let wake = pending.withLock { state in
            state.events.append(event)
            defer { state.signalled = true }
            return !state.signalled
        }
        if wake, wakeWriter >= 0 {
            var byte: UInt8 = 1
            _ = write(wakeWriter, &byte, 1)
        }
    }

    /// The events posted so far. The pipe is read empty first, always, and only then are the
    /// events taken: a post after the read finds `signalled` false once they are taken and writes a
    /// fresh byte, so no event is left without a wake-up. Taking first and reading after would eat
    /// that fresh byte (its event then waits a whole poll), and reading only when events were found
    /// would leave a poster's late byte (written after its event was taken) in the pipe, waking
    /// every wait at once: a busy loop. A late byte now costs one empty wake, read here next time.
    func drain() -> [Event] {
        if wakeDescriptor >= 0 {
            var bytes = [UInt8](repeating: 0, count: 64)
            while read(wakeDescriptor, &bytes, bytes.count) > 0 {}
        }
        return pending.withLock { state in
            defer { state.events.removeAll(); state.signalled = false }
            return state.events
        }
    }
}

/// The one event loop: wait for an event (key, resize, signal, tick, background message),
/// update the app, draw the frame's changed cells. Frames are drawn only after events.
public enum Runner {
    /// `exitGrace`: how long, at most, saves still running when the app ends may take to finish.
    public static func run(_ app: inout App, backend: TerminalBackend, queue: EventQueue = EventQueue(),
                           tickInterval: TimeInterval = 1.0, pollMilliseconds: Int = 1000,
                           exitGrace: TimeInterval = 3) {
        var previous: ScreenBuffer? = nil
        // Saves still running when the app ends (a last answer, an export) get a moment to
        // finish; other work (a request to a slow server) does not hold the exit up.
        let saving = DispatchGroup()
        defer { _ = saving.wait(timeout: .now() + exitGrace) }
        var lastTick = Date()
        var dirty = true
        func carryOut(_ effect: App.Effect) {
            switch effect {
            case .suspend:
                backend.suspend()
                previous = nil
                if backend.size != app.size { _ = app.handle(.resize(backend.size)) }
            case .run(let origin, let operation):
                // The result goes to the screen that asked, wherever it is in the stack.
                Task.detached { queue.post(.routed(origin: origin, event: await operation())) }
            case .save(let origin, let operation):
                saving.enter()
                Task.detached {
                    queue.post(.routed(origin: origin, event: await operation()))
                    saving.leave()
                }
            case .stream(let origin, let operation):
                Task.detached {
                    await operation { message in queue.post(.routed(origin: origin, event: .message(message))) }
                }
            case .clipboard(let text):
                backend.copyToClipboard(text)
            }
        }
        for effect in app.start() { carryOut(effect) }
        while !app.isFinished {
            if dirty {
                let frame = app.render()
                let full = previous == nil || previous!.size != frame.size
                backend.draw(frame.changes(since: full ? nil : previous), full: full)
                previous = frame
                dirty = false
            }
            var events = queue.drain()
            if events.isEmpty {
                // Until the next tick at most; a posted event wakes the wait at once.
                let untilTick = app.top.wantsTicks ? Int(max(0, tickInterval - Date().timeIntervalSince(lastTick)) * 1000) + 1 : pollMilliseconds
                if let event = backend.nextEvent(timeoutMilliseconds: min(pollMilliseconds, untilTick), wake: queue.wakeDescriptor) {
                    events.append(event)
                }
                events += queue.drain()
            }
            if Date().timeIntervalSince(lastTick) >= tickInterval {
                if app.top.wantsTicks { events.append(.tick) }
                lastTick = Date()
            }
            for event in events where !app.isFinished {
                if case .resize(let size) = event, size != app.size { previous = nil }
                for effect in app.handle(event) { carryOut(effect) }
                dirty = true
            }
        }
    }
}
