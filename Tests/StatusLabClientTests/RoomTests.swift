import Foundation
import StatusLabCore
@testable import StatusLabServer
import Testing
@testable import StatusLabClient

/// A room on loopback, as learners meet it: the join, personal base URLs, the feed, the exam,
/// the budget, and the record it saves.
@Suite struct RoomServiceTests {
    /// A room on a free port, saved to a file of its own; `body` gets it and its address.
    func withRoom(_ record: RoomRecord = RoomRecord(title: "Test room", joinCode: "424242"), file: URL? = nil,
                  _ body: (LiveRoom, String, StateFile<RoomRecord>) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("room-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = StateFile<RoomRecord>(file: file ?? folder.appendingPathComponent("room.json"), what: "room file")
        let room = LiveRoom(record: record, exercises: library.exercises, diagrams: try ServerWiring.diagrams(library), host: "127.0.0.1",
                            port: 0, store: store)
        guard case .running(let url, let exposure) = await room.start() else { throw RoomClient.Failure.unreachable("did not start") }
        #expect(exposure == nil)
        do { try await body(room, String(url.dropLast("/room".count)), store) } catch {
            await room.stop()
            throw error
        }
        await room.stop()
    }

    func send(_ request: LabRequest) async throws -> WireResponse {
        try #require(await LabClient().send(request, base: nil).final?.response)
    }

    @Test func theJoinIsDecidedByTheDiagramsAsAnyLoginIs() async throws {
        try await withRoom { _, origin, store in
            // No code, a wrong code: 401 with a Basic challenge, from the auth walk.
            let none = try await send(LabRequest(method: "POST", url: origin + "/room/join"))
            #expect(none.status == 401)
            #expect(none.header("WWW-Authenticate")?.hasPrefix("Basic realm=") == true)
            #expect(none.decision?.diagram == "auth")
            let wrong = try await send(LabRequest(method: "POST", url: origin + "/room/join", credentials: .basic(user: "Ada", password: "000000")))
            #expect(wrong.status == 401)
            // The right code: 201 and where the learner's record is.
            let joined = try await send(LabRequest(method: "POST", url: origin + "/room/join", credentials: .basic(user: "Ada", password: "424242")))
            #expect(joined.status == 201)
            #expect(joined.header("Location")?.hasPrefix("/l/") == true)
            #expect(String(decoding: joined.body, as: UTF8.self).contains("Your base URL: \(origin)/l/"))
            // The same name, in another case: 409, the status walk's conflict.
            let again = try await send(LabRequest(method: "POST", url: origin + "/room/join", credentials: .basic(user: "ADA", password: "424242")))
            #expect(again.status == 409)
            #expect(again.decision?.outcome == "conflict")
            // A GET is not a join: 405 with Allow (once the caller is known: who asks comes first).
            let get = try await send(LabRequest(url: origin + "/room/join", credentials: .basic(user: "Bob", password: "424242")))
            #expect(get.status == 405)
            #expect(get.header("Allow") == "POST")
            // Saved before the learner heard of it.
            #expect(store.load().value?.learners.values.map(\.name) == ["Ada"])
            // The home page says how to join; a path the room does not have is a 404 as anywhere.
            let home = try await send(LabRequest(url: origin + "/room"))
            #expect(String(decoding: home.body, as: UTF8.self).contains("curl -u 'YOUR NAME:CODE' -X POST \(origin)/room/join"))
            #expect(try await send(LabRequest(url: origin + "/room/nothing")).status == 404)
            #expect(try await send(LabRequest(url: origin + "/l/notakey/api/notes/1")).status == 404)
        }
    }

    @Test func everyExerciseIsSolvedUnderAPersonalBaseURLAndCountsForThatLearnerOnly() async throws {
        try await withRoom { room, origin, store in
            let ada = try await RoomClient(room: origin).join(name: "Ada", code: "424242")
            let bob = try await RoomClient(room: origin).join(name: "Bob", code: "424242")
            let server = try #require(room.server)
            // Redirects and cookies stay under the base (the login form's exercises need both).
            _ = try await solveEveryExercise(on: server, base: ada.base)
            let record = try await saved(store) { $0.learners[ada.key]?.solved.count == library.exercises.count } failing: { record in
                "unsolved: \(library.exercises.map(\.id).filter { record?.learners[ada.key]?.solved[$0] == nil })"
            }
            #expect(record.learners[bob.key]?.solved.isEmpty == true)
            #expect(record.learners[bob.key]?.lastRequest == nil)
            // Ada's feed has her exchanges (with the prefix gone) and what she solved.
            let feed = try await RoomClient(room: origin).feed(ada, after: 0)
            #expect(feed.solved.count == library.exercises.count)
            #expect(!feed.exchanges.isEmpty && feed.exchanges.allSatisfy { !$0.target.hasPrefix("/l/") })
            #expect(try await RoomClient(room: origin).feed(bob, after: 0).exchanges.isEmpty)
        }
    }

    @Test func anExamIsHandedInAndAMessageReachesItsLearner() async throws {
        try await withRoom { room, origin, store in
            let client = RoomClient(room: origin)
            let ada = try await client.join(name: "Ada", code: "424242")
            let exam = #"{"mode":"exam","seed":3,"started":"2026-12-03T10:00:00Z","score":1,"total":2,"byTopic":{},"questions":[{"id":"q1","topics":["tokens"],"difficulty":"easy","given":["403"],"accepted":["401"],"correct":false,"seconds":4},{"id":"q2","topics":["tokens"],"difficulty":"easy","given":["404"],"accepted":["404"],"correct":true,"seconds":2}]}"#
            try await client.handIn(ada, exam: Data(exam.utf8))
            #expect(store.load().value?.learners[ada.key]?.exam?.score == 1)
            // Not an exam: 400, the status walk's unreadable content.
            let junk = try await send(LabRequest(method: "POST", url: ada.base + "/room/exam", body: "{nope"))
            #expect(junk.status == 400)
            #expect(junk.decision?.outcome == "unreadable-content")
            #expect(room.post("Look at the 401 page", to: ada.key))
            #expect(room.post("Break", to: nil))
            let messages = try await client.feed(ada, after: 0).messages
            #expect(messages.map(\.text) == ["Look at the 401 page", "Break"])
            #expect(messages.map(\.to) == ["you", "everyone"])
        }
    }

    @Test func aFloodFromOneLearnerIsRefusedForThatLearnerAlone() async throws {
        try await withRoom { _, origin, _ in
            let flood = try await RoomClient(room: origin).join(name: "Flood", code: "424242")
            let calm = try await RoomClient(room: origin).join(name: "Calm", code: "424242")
            // All at once: more than the burst, faster than the budget refills.
            let answers = try await withThrowingTaskGroup(of: WireResponse.self) { group in
                for _ in 0..<Int(LiveRoom.learnerBurst) * 3 { group.addTask { try await self.send(LabRequest(url: flood.base + "/api/public")) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let refused = try #require(answers.first { $0.status == 429 })
            #expect(answers.filter { $0.status == 200 }.count >= Int(LiveRoom.learnerBurst))
            #expect(refused.decision?.outcome == "too-many-requests")
            #expect(Int(refused.header("Retry-After") ?? "") ?? 0 >= 1)
            #expect(try await send(LabRequest(url: calm.base + "/api/public")).status == 200)
        }
    }

    @Test func aRoomStartedAgainFromItsFileKeepsItsLearnersAndCode() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("room-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("room.json")
        var membership: RoomMembership?
        try await withRoom(file: file) { _, origin, store in
            membership = try await RoomClient(room: origin).join(name: "Ada", code: "424242")
            _ = try await send(LabRequest(url: membership!.base + "/api/notes/1"))
            try await saved(store) { $0.learners.first?.value.solved.isEmpty == false }
        }
        let kept = try #require(StateFile<RoomRecord>(file: file, what: "room file").load().value)
        try await withRoom(kept, file: file) { _, origin, _ in
            // The same key, on the new server: her base URL works again, her progress is there.
            let key = try #require(membership?.key)
            let base = origin + "/l/\(key)"
            let feed = try await RoomClient(room: origin).feed(RoomMembership(room: origin, name: "Ada", key: key, base: base), after: 0)
            #expect(feed.solved == [library.exercises[0].id])
            #expect(try await send(LabRequest(method: "POST", url: origin + "/room/join", credentials: .basic(user: "Ada", password: "424242"))).status == 409)
        }
    }

    @Test func aRoomThatCannotBeSavedSaysSoAndKeepsServing() async throws {
        // A "folder" that is a file: nothing can be written under it, even by root.
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("room-blocker-\(UUID().uuidString)")
        try Data("x".utf8).write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        try await withRoom(file: blocker.appendingPathComponent("room.json")) { room, origin, _ in
            #expect(room.saveProblem == nil)
            _ = try await RoomClient(room: origin).join(name: "Ada", code: "424242")
            #expect(room.saveProblem?.contains("could not save the room to \(blocker.path)/room.json") == true)
        }
    }

    /// Waits for the room's saved record to satisfy `condition` (it is saved after each batch).
    @discardableResult
    func saved(_ store: StateFile<RoomRecord>, timeout: Duration = .seconds(20), where condition: (RoomRecord) -> Bool,
               failing: (RoomRecord?) -> String = { _ in "" }) async throws -> RoomRecord {
        let clock = ContinuousClock(), deadline = clock.now + timeout
        while clock.now < deadline {
            if let record = store.load().value, condition(record) { return record }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for the room's record; \(failing(store.load().value))")
        throw RoomClient.Failure.unreachable("timed out")
    }
}
