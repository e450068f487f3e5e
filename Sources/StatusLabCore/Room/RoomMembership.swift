import Foundation

/// A learner's place in a room, kept on their machine so that `exercise watch --room`, the
/// interface and `quiz --exam --room` all count for the same record (a second join under the
/// same name is refused: the name is taken).
public struct RoomMembership: Codable, Sendable, Equatable {
    /// The room's address as given (`http://host:8401`).
    public var room: String
    public var name: String
    public var key: String
    /// The personal base URL: `http://host:8401/l/KEY`.
    public var base: String

    public init(room: String, name: String, key: String, base: String) {
        (self.room, self.name, self.key, self.base) = (room, name, key, base)
    }

    /// `http://host:8401/room/` and `http://host:8401` name the same room.
    public static func normalized(_ url: String) -> String {
        var url = url.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/room") { url.removeLast(5) }
        if !url.contains("://") { url = "http://" + url }
        return url
    }

    /// Memberships by room and name.
    public struct Saved: Codable, Sendable, Equatable {
        public var memberships: [RoomMembership] = []
        public init() {}

        public func find(room: String, name: String) -> RoomMembership? {
            memberships.last { $0.room == RoomMembership.normalized(room) && $0.name.lowercased() == name.lowercased() }
        }

        public mutating func keep(_ membership: RoomMembership) {
            memberships.removeAll { $0.room == membership.room && $0.name.lowercased() == membership.name.lowercased() }
            memberships.append(membership)
        }
    }

    public static func store(_ file: URL = StateFile<Saved>.standardFile("rooms.json")) -> StateFile<Saved> {
        StateFile(file: file, what: "room memberships file", ownerOnly: true)
    }
}
