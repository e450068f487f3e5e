import Foundation

/// Where a room's server is, once started.
public enum RoomServerState: Sendable, Equatable {
    case starting
    /// `url` is the room's home page; `exposure` says what a listener beyond loopback exposes.
    case running(url: String, exposure: String?)
    case failed(String)
    case stopped
}

/// What the Room screen needs from outside the interface: the room's server and its record.
/// The program wires in the live room; tests can wire their own.
public protocol RoomBackend: Sendable {
    func start() async -> RoomServerState
    func stop() async
    /// The record, if it changed since `revision` (0: always), with its revision.
    func record(after revision: Int) -> (record: RoomRecord, revision: Int)?
    /// Posts a message to everyone (`to` nil) or to one learner; false if it could not be.
    func post(_ text: String, to key: String?) -> Bool
    /// Why the last save of the record failed, until one succeeds again.
    var saveProblem: String? { get }
}
