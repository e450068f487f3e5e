import StatusLabCore
import Synchronization

/// Reads the built-in server's log for a screen that shows it (the Lab, the Exercises): a
/// `.stream` runs `run`, which hands over each batch of new exchanges until the screen leaves and
/// calls `stop`.
final class ServerLogPoller: Sendable {
    /// How many exchanges one batch holds at most (the Lab's log keeps as many).
    static let batchLimit = 500
    static let interval: Duration = .milliseconds(100)

    private let active = Atomic<Bool>(true)
    var isActive: Bool { active.load(ordering: .relaxed) }
    func stop() { active.store(false, ordering: .relaxed) }

    /// Polls `backend`'s log while active: one batch per interval at most, holding at most the
    /// newest `batchLimit`, so a flood of requests from outside costs the screen one redraw a
    /// tenth of a second. `missed` counts the exchanges a batch had no room for.
    func run(_ backend: any LabBackend, messages: ([RoomFeed.Message]) -> Void = { _ in },
             post: (_ entries: [LabLogEntry], _ missed: Int) -> Void) async {
        var newest = 0, newestMessage = 0
        while isActive {
            try? await Task.sleep(for: Self.interval)
            guard isActive else { break }
            let fresh = backend.messages(after: newestMessage)
            if let last = fresh.last {
                newestMessage = last.id
                messages(fresh)
            }
            let (entries, missed) = backend.logEntries(after: newest, limit: Self.batchLimit)
            guard let last = entries.last else { continue }
            newest = last.number
            post(entries, missed)
        }
    }
}
