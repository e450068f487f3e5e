import Foundation
import StatusLabCore

/// A learner's side of a room: joining, the feed of their own exchanges and the instructor's
/// messages, and handing in an exam. Speaks to the room over HTTP with the Lab's client.
public struct RoomClient: Sendable {
    public let room: String
    let client = LabClient()

    public init(room: String) { self.room = RoomMembership.normalized(room) }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case unreachable(String)
        case wrongCode
        case nameTaken(String)
        /// The room no longer knows this learner (a new room was started).
        case unknownLearner
        case refused(Int, String)

        public var description: String {
            switch self {
            case .unreachable(let why): "the room does not answer: \(why)"
            case .wrongCode: "the room refused the join code (401): check the code on the instructor's screen"
            case .nameTaken(let name): "someone in the room is already called \(name) (409): pick another --name"
            case .unknownLearner: "the room does not know you any more (a new room was started): join again"
            case .refused(let status, let detail): "the room answered \(status)" + (detail.isEmpty ? "" : ": \(detail)")
            }
        }
    }

    func exchange(_ request: LabRequest) async throws -> WireResponse {
        let result = await client.send(request, base: nil)
        guard let response = result.exchanges.last?.response else {
            throw Failure.unreachable(result.exchanges.last?.failure ?? "no response")
        }
        return response
    }

    static func detail(_ response: WireResponse) -> String {
        (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["detail"] as? String ?? ""
    }

    /// Joins under `name` with the room's `code`.
    public func join(name: String, code: String) async throws -> RoomMembership {
        let response = try await exchange(LabRequest(method: "POST", url: room + "/room/join", headers: [.init(name: "Accept", value: "application/json")],
                                                     credentials: .basic(user: name, password: code)))
        switch response.status {
        case 201:
            guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                  let key = object["key"] as? String, let base = object["base"] as? String, let given = object["name"] as? String else {
                throw Failure.refused(201, "the answer is not a room's")
            }
            return RoomMembership(room: room, name: given, key: key, base: base)
        case 401: throw Failure.wrongCode
        case 409: throw Failure.nameTaken(LearnerName.sanitized(name) ?? name)
        default: throw Failure.refused(response.status, Self.detail(response))
        }
    }

    /// The learner's saved membership of this room if the room still knows it, else a new join
    /// (saved for next time).
    public func membership(name: String, code: String, store: StateFile<RoomMembership.Saved>?) async throws -> RoomMembership {
        var saved = store?.load().value ?? RoomMembership.Saved()
        if let known = saved.find(room: room, name: LearnerName.sanitized(name) ?? name) {
            do {
                _ = try await feed(known, after: Int.max)
                return known
            } catch Failure.unknownLearner {}
        }
        let joined = try await join(name: name, code: code)
        saved.keep(joined)
        try? store?.save(saved)
        return joined
    }

    /// The learner's exchanges after `after`, what the room has them solve, and their messages.
    public func feed(_ membership: RoomMembership, after: Int) async throws -> RoomFeed {
        let response = try await exchange(LabRequest(url: membership.base + "/room/feed?after=\(after)"))
        switch response.status {
        case 200:
            do { return try RoomFeed.decode(Data(response.body)) } catch { throw Failure.refused(200, "the feed could not be read") }
        case 404: throw Failure.unknownLearner
        default: throw Failure.refused(response.status, Self.detail(response))
        }
    }

    /// Hands in an exam's export (`QuizSession.export`).
    public func handIn(_ membership: RoomMembership, exam: Data) async throws {
        let response = try await exchange(LabRequest(method: "POST", url: membership.base + "/room/exam",
                                                     headers: [.init(name: "Content-Type", value: "application/json")],
                                                     body: String(decoding: exam, as: UTF8.self)))
        switch response.status {
        case 200: return
        case 404: throw Failure.unknownLearner
        default: throw Failure.refused(response.status, Self.detail(response))
        }
    }
}
