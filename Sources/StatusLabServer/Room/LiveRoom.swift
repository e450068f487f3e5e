import Foundation
import StatusLabCore
import Synchronization

/// A room, live: its record (saved as it changes), the server everyone sends to (the demo
/// service behind `RoomService`), and the reader of that server's log, which hands each
/// learner's exchanges to their exercise engine. The Room screen reads it as a `RoomBackend`.
public final class LiveRoom: RoomBackend {
    /// Something that happened, for `room --plain`.
    public enum Event: Sendable {
        case joined(name: String)
        case solved(name: String, exercise: String, count: Int)
        case handedIn(name: String, score: Int, total: Int)
        case saveFailed(String)
    }

    public let exercises: [Exercise]
    public let joinCode: String
    let store: StateFile<RoomRecord>?
    let host: String
    let port: Int
    let diagrams: ServerDiagrams
    /// Identifies this run of the server in learners' feeds: exchange numbers start again at 1.
    let run = String(Int(Date().timeIntervalSince1970 * 1000), radix: 36)
    private let events: @Sendable (Event) -> Void

    private struct State {
        var record: RoomRecord
        var revision = 1
        /// Each learner's newest exchanges, for their feed (not saved: a restart begins a new run).
        var recent: [String: [LabLogEntry]] = [:]
    }
    private let state: Mutex<State>
    private let budgets: Mutex<(learners: RequestBudget, joins: RequestBudget)>
    private let problem = Mutex<String?>(nil)
    private let phase = Mutex<(server: MockServer?, follower: Task<Void, Never>?, running: RoomServerState?)>((nil, nil, nil))
    /// The server while the room runs.
    var server: MockServer? { phase.withLock { $0.server } }

    /// Exchanges each learner's feed keeps: a feed read a second sees ten at most (the budget).
    static let feedMemory = 50
    /// Exchanges the server's log holds between two reads (a tenth of a second apart): room for
    /// a flood of 20,000 requests a second before one is missed.
    static let logCapacity = 2048
    /// Requests a second one learner may send, and at once.
    public static let learnerRate = 10.0, learnerBurst = 40.0
    /// Joins a second for the whole room (a wrong code is a join too: guessing is slow).
    public static let joinRate = 5.0, joinBurst = 50.0

    public init(record: RoomRecord, exercises: [Exercise], diagrams: ServerDiagrams, host: String, port: Int,
                store: StateFile<RoomRecord>?, events: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.exercises = exercises
        self.joinCode = record.joinCode
        self.diagrams = diagrams
        self.host = host
        self.port = port
        self.store = store
        self.events = events
        state = Mutex(State(record: record))
        budgets = Mutex((RequestBudget(rate: Self.learnerRate, burst: Self.learnerBurst), RequestBudget(rate: Self.joinRate, burst: Self.joinBurst)))
    }

    // MARK: The server and the log's reader

    /// Starts the server and the log's reader; a room already running says where it is (the
    /// command starts it before the screen, so that a port in use is said before the screen opens).
    public func start() async -> RoomServerState {
        if let running = phase.withLock({ $0.running }) { return running }
        let mock = MockService(diagrams: diagrams)
        let server = MockServer(service: mock, responder: RoomService(mock: mock, room: self), host: host, port: port,
                                log: ExchangeLog(capacity: Self.logCapacity))
        let bound: Int
        do { bound = try await server.start() } catch { return .failed("\(error)") }
        let follower = Task { [weak self] in
            _ = await server.log.follow { exchanges, _ in self?.take(exchanges) }
        }
        // Listening everywhere: the address learners can use is the machine's on the network.
        let shown = host == "0.0.0.0" || host == "::" ? Self.networkAddress() ?? host : host
        let running = RoomServerState.running(url: "http://\(shown.contains(":") ? "[\(shown)]" : shown):\(bound)/room",
                                              exposure: Self.exposure(host: host, port: bound))
        phase.withLock { $0 = (server, follower, running) }
        return running
    }

    public func stop() async {
        let (server, follower) = phase.withLock { phase in
            defer { phase = (nil, nil, nil) }
            return (phase.server, phase.follower)
        }
        follower?.cancel()
        await follower?.value
        await server?.stop()
    }

    /// The first IPv4 address of an interface that is up and not loopback.
    static func networkAddress() -> String? {
        var first: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&first) == 0 else { return nil }
        defer { freeifaddrs(first) }
        var next = first
        while let entry = next {
            defer { next = entry.pointee.ifa_next }
            let flags = Int32(entry.pointee.ifa_flags)
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == UInt8(AF_INET),
                  flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0 else { continue }
            var name = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &name, socklen_t(name.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return nil
    }

    /// What listening on `host` exposes, when it is not loopback only.
    public static func exposure(host: String, port: Int) -> String? {
        guard !["127.0.0.1", "::1", "localhost"].contains(host) else { return nil }
        return "The room listens on \(host):\(port), beyond this machine: anyone on the network reaches the demo server "
            + "(its users and tokens are public) and the room's home page; anyone with the join code can join, and anyone "
            + "with a learner's personal URL counts as that learner. Use a network you trust; stop the room afterwards."
    }

    /// Hands each learner's exchanges (under `/l/KEY/`, the room's own pages aside) to their
    /// record, then saves it if anything changed.
    func take(_ exchanges: [Exchange]) {
        var happened: [Event] = []
        let changed = state.withLock { state -> Bool in
            var changed = false
            for exchange in exchanges {
                guard exchange.target.hasPrefix("/l/") else { continue }
                let rest = exchange.target.dropFirst(3)
                let key = String(rest.prefix { $0 != "/" && $0 != "?" })
                guard let learner = state.record.learners[key] else { continue }
                var entry = exchange.labEntry
                entry.target = String(rest.dropFirst(key.count))
                if entry.target.isEmpty || entry.target.first == "?" { entry.target = "/" + entry.target }
                // The room's own pages are not tries; nor is a request the learner's budget refused
                // before the demo service saw it.
                if entry.target == "/room" || entry.target.hasPrefix("/room/") || entry.target.hasPrefix("/room?") || entry.status == 429 { continue }
                entry.responseContent = []
                let solved = state.record.observe(entry, from: key, exercises: exercises)
                state.recent[key, default: []].append(entry)
                if state.recent[key]!.count > Self.feedMemory { state.recent[key]!.removeFirst(state.recent[key]!.count - Self.feedMemory) }
                let count = state.record.learners[key]?.solved.count ?? 0
                happened += solved.map { .solved(name: learner.name, exercise: $0.title, count: count) }
                changed = true
            }
            if changed { state.revision += 1 }
            return changed
        }
        happened.forEach(events)
        if changed { save() }
    }

    /// Saves a snapshot of the record; snapshots land in the order taken (`StateFile` tickets).
    private func save() {
        guard let store else { return }
        let (record, ticket) = state.withLock { ($0.record, store.ticket()) }
        do {
            try store.save(record, ticket: ticket)
            problem.withLock { $0 = nil }
        } catch {
            let why = "could not save the room to \(store.file.path): \(error.localizedDescription)"
            problem.withLock { $0 = why }
            events(.saveFailed(why))
        }
    }

    public var saveProblem: String? { problem.withLock { $0 } }

    // MARK: What the room's endpoints do

    func knows(_ key: String) -> Bool { state.withLock { $0.record.learners[key] != nil } }

    var title: String { state.withLock { $0.record.title } }

    /// Charges one request to the learner's budget: nil, or the seconds to wait.
    func charge(_ key: String) -> Int? {
        let now = Date().timeIntervalSinceReferenceDate
        return budgets.withLock { $0.learners.take(key, now: now) }
    }

    func chargeJoin() -> Int? {
        let now = Date().timeIntervalSinceReferenceDate
        return budgets.withLock { $0.joins.take("join", now: now) }
    }

    /// Adds a learner and saves the room before the learner hears of it.
    func join(name: String) -> RoomRecord.Joining {
        let joining = state.withLock { state in
            let joining = state.record.join(name: name)
            if case .joined = joining { state.revision += 1 }
            return joining
        }
        if case .joined(let learner) = joining {
            save()
            events(.joined(name: learner.name))
        }
        return joining
    }

    func handIn(_ exam: ExamSummary.Result, from key: String) {
        let name = state.withLock { state -> String? in
            guard state.record.handIn(exam, from: key) else { return nil }
            state.revision += 1
            return state.record.learners[key]?.name
        }
        guard let name else { return }
        save()
        events(.handedIn(name: name, score: exam.score, total: exam.total))
    }

    func feed(for key: String, after: Int) -> RoomFeed? {
        state.withLock { state in
            guard let learner = state.record.learners[key] else { return nil }
            let exchanges = (state.recent[key] ?? []).filter { $0.number > after }.map(RoomFeed.Exchange.init)
            return RoomFeed(room: state.record.title, name: learner.name, base: "/l/\(key)", run: run,
                            solved: exercises.map(\.id).filter { learner.solved[$0] != nil }, exchanges: exchanges,
                            messages: state.record.messages(for: key).suffix(50).map(RoomFeed.Message.init))
        }
    }

    /// The learner and the room's messages to them, for their page.
    func learner(_ key: String) -> (learner: RoomLearner, messages: [RoomMessage], title: String)? {
        state.withLock { state in state.record.learners[key].map { ($0, state.record.messages(for: key), state.record.title) } }
    }

    // MARK: RoomBackend

    public func record(after revision: Int) -> (record: RoomRecord, revision: Int)? {
        state.withLock { $0.revision > revision ? ($0.record, $0.revision) : nil }
    }

    public func post(_ text: String, to key: String?) -> Bool {
        let posted = state.withLock { state -> Bool in
            guard state.record.post(text, to: key) != nil else { return false }
            state.revision += 1
            return true
        }
        if posted { save() }
        return posted
    }
}
