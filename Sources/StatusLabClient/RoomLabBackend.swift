import Foundation
import StatusLabCore
import StatusLabServer
import Synchronization

/// The Lab's and the Exercises' world when the learner is in a room: no server of their own;
/// requests go to their personal base URL on the room's server, and the exchanges the room saw
/// under it come back through their feed, a batch a second, with the instructor's messages.
public final class RoomLabBackend: LabBackend {
    let client: RoomClient
    let name: String
    let code: String
    let store: StateFile<RoomMembership.Saved>?
    let lab = LabClient()

    private struct State {
        var membership: RoomMembership?
        var entries: [LabLogEntry] = []
        var messages: [RoomFeed.Message] = []
        var poller: Task<Void, Never>?
        /// The screens using the feed (the Exercises, and a Lab opened from them): it stops
        /// when the last one leaves.
        var holders = 0
    }
    private let state = Mutex(State())
    static let interval: Duration = .seconds(1)
    static let memory = 500

    public init(room: String, name: String, code: String, store: StateFile<RoomMembership.Saved>? = RoomMembership.store()) {
        client = RoomClient(room: room)
        self.name = name
        self.code = code
        self.store = store
    }

    public func startServer() async -> LabServerState {
        if let membership = state.withLock({ state -> RoomMembership? in
            guard state.poller != nil, let membership = state.membership else { return nil }
            state.holders += 1
            return membership
        }) {
            return running(membership)
        }
        let membership: RoomMembership
        do { membership = try await client.membership(name: name, code: code, store: store) } catch {
            return .failed("\(error)")
        }
        let poller = Task { [weak self] in
            guard let self else { return }
            await self.follow(membership)
        }
        state.withLock { state in
            state.membership = membership
            state.poller?.cancel()
            state.poller = poller
            state.holders += 1
        }
        return running(membership)
    }

    private func running(_ membership: RoomMembership) -> LabServerState {
        .running(url: membership.base, note: "In the room as \(membership.name): requests under \(membership.base) count for you.")
    }

    /// Reads the feed until stopped; entries are numbered here, in order, so that a room that
    /// restarts (its numbers start again) still reads as one log.
    private func follow(_ membership: RoomMembership) async {
        var after = 0, run = ""
        while !Task.isCancelled {
            if let feed = try? await client.feed(membership, after: after) {
                if feed.run != run {
                    run = feed.run
                    after = 0
                }
                let fresh = feed.exchanges.filter { $0.number > after }
                after = fresh.last?.number ?? after
                state.withLock { state in
                    var next = state.entries.last?.number ?? 0
                    for exchange in fresh {
                        var entry = exchange.entry
                        next += 1
                        entry.number = next
                        state.entries.append(entry)
                    }
                    if state.entries.count > Self.memory { state.entries.removeFirst(state.entries.count - Self.memory) }
                    state.messages = feed.messages
                }
            }
            try? await Task.sleep(for: Self.interval)
        }
    }

    public func stopServer() async {
        let poller = state.withLock { state -> Task<Void, Never>? in
            state.holders = max(0, state.holders - 1)
            guard state.holders == 0 else { return nil }
            defer { state.poller = nil }
            return state.poller
        }
        poller?.cancel()
        await poller?.value
    }

    public func logEntries(after: Int, limit: Int) -> (entries: [LabLogEntry], missed: Int) {
        state.withLock { state in
            let newer = state.entries.filter { $0.number > after }
            return (Array(newer.suffix(limit)), max(0, newer.count - limit))
        }
    }

    public func messages(after id: Int) -> [RoomFeed.Message] { state.withLock { $0.messages.filter { $0.id > id } } }

    public func send(_ request: LabRequest, base: String?) async -> LabResult {
        await lab.send(request, base: state.withLock { $0.membership?.base } ?? base)
    }

    public var presets: [LabPreset] { LiveLabBackend.demoPresets }
    public var routes: [String] { MockService.routePaths }
}
