import Foundation

/// One request and its response as the Lab saw them on the wire.
public struct WireExchange: Sendable, Equatable {
    /// Exactly the bytes sent and received, as they crossed the socket.
    public var sent: [UInt8]
    public var received: [UInt8]
    /// The response as parsed from `received`, if one came.
    public var response: WireResponse?
    /// What went wrong, said for a learner: refused, timed out, not HTTP, cut short, too large.
    public var failure: String?
    public var duration: Duration
    /// The response was larger than the Lab keeps; `received` and the body hold its start.
    public var truncated: Bool

    public init(sent: [UInt8], received: [UInt8], response: WireResponse?, failure: String?, duration: Duration, truncated: Bool = false) {
        self.sent = sent
        self.received = received
        self.response = response
        self.failure = failure
        self.duration = duration
        self.truncated = truncated
    }
}

public struct WireResponse: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public let name: String
        public let value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var version: String
    public var status: Int
    public var reason: String
    public var headers: [Field]
    public var body: [UInt8]
    /// 1xx responses that came first (100 Continue, 103 Early Hints).
    public var interim: [Int]

    public init(version: String, status: Int, reason: String, headers: [Field], body: [UInt8], interim: [Int] = []) {
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
        self.interim = interim
    }

    public func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    public func headers(_ name: String) -> [String] { headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value) }

    /// The decision the built-in server reported, if it did.
    public var decision: DecisionRecord? { header(StatusLabHeader.decision).flatMap(DecisionRecord.init(header:)) }
}

/// What sending one Lab request produced: one exchange, or two (Digest's challenge and answer;
/// a form login and then the request).
public struct LabResult: Sendable, Equatable {
    public var request: LabRequest
    /// The URL the request went to, resolved.
    public var url: String
    public var exchanges: [WireExchange]
    public var date: Date
    /// What the client did not do as asked, and why: Digest chosen where no Digest challenge
    /// came back, so nothing was sent.
    public var note: String?

    public init(request: LabRequest, url: String, exchanges: [WireExchange], date: Date, note: String? = nil) {
        self.request = request
        self.url = url
        self.exchanges = exchanges
        self.date = date
        self.note = note
    }

    /// The last exchange: the one whose response the Lab shows.
    public var final: WireExchange? { exchanges.last }
}

/// The Lab's history: every request sent from it, newest first, kept across runs.
public struct LabHistory: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var request: LabRequest
        public var date: Date
        /// The status that came back, or nil when none did.
        public var status: Int?
        /// The result's note (Digest not sent), when it had one.
        public var note: String?
    }

    public static let version = 1
    public static let limit = 200
    public var version = LabHistory.version
    public var entries: [Entry] = []

    public init() {}

    public mutating func add(_ request: LabRequest, status: Int?, at date: Date, note: String? = nil) {
        entries.insert(Entry(request: request, date: date, status: status, note: note), at: 0)
        if entries.count > Self.limit { entries.removeLast(entries.count - Self.limit) }
    }

    public static func store(_ file: URL = StateFile<LabHistory>.standardFile("lab-history.json")) -> StateFile<LabHistory> {
        StateFile(file: file, what: "Lab history") { history in
            guard history.version == Self.version else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown version \(history.version)"))
            }
        }
    }
}
