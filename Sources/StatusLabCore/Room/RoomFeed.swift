import Foundation

/// What a learner's StatusLab reads from the room (`GET /l/KEY/room/feed?after=N`): their own
/// exchanges since N, which their exercise engine follows as it follows a local server's log,
/// what the room has them solve, and the instructor's messages to them.
public struct RoomFeed: Codable, Sendable, Equatable {
    public var room: String
    public var name: String
    /// The personal base URL's path, `/l/KEY`.
    public var base: String
    /// Changes when the room's server restarts (exchange numbers start again then).
    public var run: String
    public var solved: [String]
    public var exchanges: [Exchange]
    public var messages: [Message]

    public init(room: String, name: String, base: String, run: String, solved: [String], exchanges: [Exchange], messages: [Message]) {
        (self.room, self.name, self.base, self.run, self.solved, self.exchanges, self.messages) = (room, name, base, run, solved, exchanges, messages)
    }

    public struct Message: Codable, Sendable, Equatable {
        public var id: Int
        public var date: Date
        public var text: String
        /// `everyone`, or `you`.
        public var to: String

        public init(_ message: RoomMessage) {
            (id, date, text, to) = (message.id, message.date, message.text, message.to == nil ? "everyone" : "you")
        }
    }

    /// One exchange, as much of it as an exercise goal reads.
    public struct Exchange: Codable, Sendable, Equatable {
        public var number: Int
        public var date: Date
        public var method: String
        public var target: String
        public var status: Int
        public var interim: [Int]
        public var decision: String?
        public var requestHeaders: [[String]]
        public var responseHeaders: [[String]]
        public var bodyPrefix: String
        public var milliseconds: Double

        public init(_ entry: LabLogEntry) {
            number = entry.number
            date = entry.date
            method = entry.method
            target = entry.target
            status = entry.status
            interim = entry.interim
            decision = entry.decision
            requestHeaders = entry.requestHeaders.map { [$0.name, $0.value] }
            responseHeaders = entry.responseHeaders.map { [$0.name, $0.value] }
            bodyPrefix = entry.bodyPrefix
            milliseconds = Double(entry.duration.components.seconds) * 1000 + Double(entry.duration.components.attoseconds) / 1e15
        }

        public var entry: LabLogEntry {
            func fields(_ pairs: [[String]]) -> [WireResponse.Field] {
                pairs.compactMap { $0.count == 2 ? WireResponse.Field(name: $0[0], value: $0[1]) : nil }
            }
            return LabLogEntry(number: number, date: date, method: method, target: target, status: status, interim: interim,
                               decision: decision, requestHeaders: fields(requestHeaders), responseHeaders: fields(responseHeaders),
                               bodyPrefix: bodyPrefix, duration: .microseconds(Int64(milliseconds * 1000)))
        }
    }

    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    public static func decode(_ data: Data) throws -> RoomFeed {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(RoomFeed.self, from: data)
    }
}
