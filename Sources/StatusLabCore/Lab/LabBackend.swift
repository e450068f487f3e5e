import Foundation

/// One exchange the built-in server handled, as the Lab's live log shows it.
public struct LabLogEntry: Sendable, Equatable {
    public var number: Int
    public var date: Date
    public var method: String
    public var target: String
    public var status: Int
    /// 1xx responses sent before the final one.
    public var interim: [Int]
    public var decision: String?
    public var requestHeaders: [WireResponse.Field]
    public var responseHeaders: [WireResponse.Field]
    public var bodyPrefix: String
    /// The response's content, as far as the log keeps it.
    public var responseContent: [UInt8]
    public var duration: Duration
    /// What `judge` found wrong with it, for an exchange opened from a file (`lab --open`).
    public var findings: [TrafficFinding] = []

    public init(number: Int, date: Date, method: String, target: String, status: Int, interim: [Int], decision: String?,
                requestHeaders: [WireResponse.Field], responseHeaders: [WireResponse.Field], bodyPrefix: String,
                responseContent: [UInt8] = [], duration: Duration) {
        self.responseContent = responseContent
        self.number = number
        self.date = date
        self.method = method
        self.target = target
        self.status = status
        self.interim = interim
        self.decision = decision
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
        self.bodyPrefix = bodyPrefix
        self.duration = duration
    }
}

/// A credential the Lab offers in one keystroke, from the demo world.
public struct LabPreset: Sendable, Equatable {
    public var key: Character
    public var label: String
    public var credentials: LabRequest.Credentials

    public init(key: Character, label: String, credentials: LabRequest.Credentials) {
        self.key = key
        self.label = label
        self.credentials = credentials
    }
}

/// Where the built-in server is, once the Lab has started it.
public enum LabServerState: Sendable, Equatable {
    case starting
    case running(url: String, note: String?)
    case failed(String)
    case stopped

    public var url: String? { if case .running(let url, _) = self { url } else { nil } }
}

/// What the Lab needs from outside the interface: the built-in server, its log, and an HTTP
/// client. The program wires in the real ones; tests can too.
public protocol LabBackend: Sendable {
    func startServer() async -> LabServerState
    func stopServer() async
    /// The exchanges after number `after`, at most `limit` of the newest, and how many newer than
    /// `after` were left out (a flood, or ones the log no longer holds).
    func logEntries(after: Int, limit: Int) -> (entries: [LabLogEntry], missed: Int)
    func send(_ request: LabRequest, base: String?) async -> LabResult
    /// The demo world's credentials, for the composer.
    var presets: [LabPreset] { get }
    /// Paths of the built-in server, for completion (`/api/notes/{id}`).
    var routes: [String] { get }
    /// The instructor's messages newer than `id`, in a room; none elsewhere.
    func messages(after id: Int) -> [RoomFeed.Message]
}

extension LabBackend {
    public func messages(after id: Int) -> [RoomFeed.Message] { [] }
}
