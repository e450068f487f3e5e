import Foundation
import StatusLabCore
import Synchronization
import StatusLabClient
import StatusLabServer
import Testing
@testable import StatusLabTUI

/// The Room screen as an instructor uses it, against a room of its own making: the grid and
/// its order, who is stuck, the misconceptions and their page, messages, the export, quitting.
@Suite struct RoomScreenTests {
    final class FakeRoom: RoomBackend {
        let state: Mutex<(record: RoomRecord, revision: Int, posted: [(String, String?)])>
        init(_ record: RoomRecord) { state = Mutex((record, 1, [])) }
        func start() async -> RoomServerState { .running(url: "http://127.0.0.1:8401/room", exposure: nil) }
        func stop() async {}
        func record(after revision: Int) -> (record: RoomRecord, revision: Int)? {
            state.withLock { $0.revision > revision ? ($0.record, $0.revision) : nil }
        }
        func post(_ text: String, to key: String?) -> Bool {
            state.withLock { state in
                guard state.record.post(text, to: key) != nil else { return false }
                state.posted.append((text, key))
                state.revision += 1
                return true
            }
        }
        var posted: [(String, String?)] { state.withLock { $0.posted } }
        let problem = Mutex<String?>(nil)
        var saveProblem: String? { problem.withLock { $0 } }
    }

    static let now = Date(timeIntervalSinceReferenceDate: 10_000)

    /// Ada solved the first two exercises; Bob is refused again and again at the first, with a
    /// 403 where it wants 401; Cy joined and sent nothing.
    static func room() -> RoomRecord {
        var record = RoomRecord(title: "Friday", joinCode: "654321", opened: now)
        for (name, key) in [("Ada", "a"), ("Bob", "b"), ("Cy", "c")] { _ = record.join(name: name, key: key, at: now) }
        let exercises = library.exercises
        solve(exercises.prefix(2), by: "a", in: &record, at: now.addingTimeInterval(-30))
        let wanted = exercises[0].steps[0].expectations.compactMap { if case .status(let code) = $0 { code } else { nil } }.first ?? 401
        let target = exercises[0].steps[0].expectations.compactMap { if case .target(let pattern) = $0 { pattern } else { nil } }.first ?? "/api/x"
        for second in 1...6 {
            let entry = LabLogEntry(number: 1, date: now.addingTimeInterval(Double(-second)), method: "GET",
                                    target: target.replacingOccurrences(of: "*", with: "x"), status: wanted == 403 ? 404 : 403,
                                    interim: [], decision: nil, requestHeaders: [], responseHeaders: [], bodyPrefix: "", duration: .zero)
            record.observe(entry, from: "b", exercises: exercises)
        }
        return record
    }

    /// Exchanges that meet every step of `solved`, one a step, sent by `key` at `date`.
    static func solve(_ solved: ArraySlice<Exercise>, by key: String, in record: inout RoomRecord, at date: Date) {
        for exercise in solved {
            for step in exercise.steps {
                var entry = LabLogEntry(number: 1, date: date, method: "GET", target: "/api/notes/1", status: 0,
                                        interim: [], decision: nil, requestHeaders: [], responseHeaders: [], bodyPrefix: "", duration: .zero)
                var decided = (diagram: "auth", outcome: "x", steps: ["x=yes"])
                for expectation in step.expectations {
                    switch expectation {
                    case .status(let code): entry.status = code
                    case .method(let method): entry.method = method
                    case .target(let pattern): entry.target = pattern.replacingOccurrences(of: "*", with: "x")
                    case .decision(let diagram, let outcome): (decided.diagram, decided.outcome) = (diagram, outcome)
                    case .decisionStep(let question, let answer): decided.steps.append("\(question)=\(answer)")
                    case .requestHeader(let name, let text): entry.requestHeaders.append(.init(name: name, value: text ?? "x"))
                    case .responseHeader(let name, let text): entry.responseHeaders.append(.init(name: name, value: text ?? "x"))
                    default: break
                    }
                }
                entry.decision = "\(decided.diagram): \(decided.steps.joined(separator: " > ")) > \(decided.outcome) \(entry.status)"
                record.observe(entry, from: key, exercises: library.exercises)
            }
        }
    }

    /// The README's picture of a room: a dozen learners, far apart, one of them stuck.
    static func pictureRoom() -> RoomRecord {
        var record = RoomRecord(title: "Friday workshop", joinCode: "482916", opened: now.addingTimeInterval(-3000))
        let progress = [("Ada Lovelace", 14), ("Grace Hopper", 12), ("Alan Turing", 11), ("Barbara Liskov", 9), ("Ken Thompson", 9),
                        ("Radia Perlman", 7), ("Edsger Dijkstra", 6), ("Frances Allen", 5), ("Linus T.", 3), ("Margaret H.", 2)]
        for (index, (name, solved)) in progress.enumerated() {
            let key = "k\(index)"
            _ = record.join(name: name, key: key, at: now.addingTimeInterval(-3000))
            solve(library.exercises.prefix(solved), by: key, in: &record, at: now.addingTimeInterval(Double(-5 * (index + 1))))
        }
        // Margaret keeps getting a 403 where the next exercise wants something else.
        for second in 1...6 {
            let entry = LabLogEntry(number: 1, date: now.addingTimeInterval(Double(-second)), method: "GET", target: "/api/notes/2", status: 403,
                                    interim: [], decision: nil, requestHeaders: [], responseHeaders: [], bodyPrefix: "", duration: .zero)
            record.observe(entry, from: "k9", exercises: library.exercises)
        }
        return record
    }

    func driver(_ backend: FakeRoom, size: Size = Size(width: 100, height: 30)) async -> Driver {
        var driver = Driver(size: size, root: RoomScreen(backend: backend, library: library, record: backend.record(after: 0)!.record,
                                                         exportFolder: FileManager.default.temporaryDirectory, clock: { Self.now }))
        await driver.settle()
        return driver
    }

    @Test func theGridShowsWhoSolvedWhatAndWhoIsStuck() async throws {
        let backend = FakeRoom(Self.room())
        var driver = await driver(backend)
        #expect(driver.contains("Join code 654321  ·  http://127.0.0.1:8401/room"), "\(driver.dump)")
        #expect(driver.contains("3 learners · 1 stuck · 0 finished · 0 exams in"))
        let lines = driver.screen.lines
        let ada = try #require(lines.firstIndex { $0.contains("Ada") }), bob = try #require(lines.firstIndex { $0.contains("! Bob") })
        let cy = try #require(lines.firstIndex { $0.contains("Cy") })
        #expect(ada < bob && bob < cy, "by progress, then name:\(driver.dump)")
        #expect(lines[ada].contains("✓ ✓ · "), "\(driver.dump)")
        #expect(lines[ada].contains("30 s ago"))
        #expect(lines[bob].contains("• · "))
        #expect(lines[cy].hasSuffix("—") || lines[cy].contains("—"))
        // Chosen, a stuck learner says why at the bottom.
        driver.press(.down)
        #expect(driver.contains("Stuck: 6 refused tries at “\(library.exercises[0].title)”"), "\(driver.dump)")
        // For a learner who lost it, their personal URL, on request.
        driver.press(.char("u"))
        #expect(driver.contains("Bob's base URL: http://127.0.0.1:8401/l/b"), "\(driver.dump)")
        // By name.
        driver.press(.char("s"))
        #expect(driver.contains("sorted by name"))
        // A room that cannot be saved says so, whatever else the bottom line had.
        backend.problem.withLock { $0 = "could not save the room to /full/room.json: No space left on device" }
        driver.press(.char("s"))
        #expect(driver.contains("Not saved: could not save the room to /full/room.json: No space left on device"), "\(driver.dump)")
    }

    @Test func misconceptionsListTheWrongCodeAndOpenTheirPage() async throws {
        var driver = await driver(FakeRoom(Self.room()))
        driver.press(.tab)
        #expect(driver.contains("[Misconceptions]"))
        let line = try #require(driver.screen.lines.first { $0.contains("for “\(library.exercises[0].title)”") }, "\(driver.dump)")
        #expect(line.contains("1 learner") && line.contains("[exercise]"), "\(line)")
        driver.press(.enter)
        #expect(driver.contains("401 Unauthorized"), "the page to project:\(driver.dump)")
    }

    @Test func aMessageGoesToEveryoneOrToTheLearnerChosen() async throws {
        let backend = FakeRoom(Self.room())
        var driver = await driver(backend)
        driver.press(.char("m"))
        #expect(driver.contains("To everyone: "))
        // Typed, not commands: q, s and Tab do not act while writing.
        driver.type("quiet please")
        driver.press(.enter)
        #expect(driver.contains("Sent to everyone."))
        driver.press(.enter)
        #expect(driver.contains("To Ada: "), "Enter on the first learner:\(driver.dump)")
        driver.type("try Basic")
        driver.press(.enter)
        driver.press(.char("m"))
        driver.type("never mind")
        driver.press(.escape)
        #expect(backend.posted.map(\.0) == ["quiet please", "try Basic"])
        #expect(backend.posted.map(\.1) == [nil, "a"])
        driver.press(.tab, .tab)
        #expect(driver.contains("to Ada: try Basic"), "\(driver.dump)")
    }

    @Test func theExportWritesTheGradebookAndQuitAsksFirst() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("room-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let backend = FakeRoom(Self.room())
        var driver = Driver(size: Size(width: 60, height: 16), root: RoomScreen(backend: backend, library: library, record: Self.room(),
                                                                               exportFolder: folder, clock: { Self.now }))
        await driver.settle()
        driver.press(.char("e"))
        await driver.settle()
        #expect(driver.contains("Wrote"), "\(driver.dump)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("room-summary.json"))) as? [String: Any]
        #expect(summary?["exams"] as? Int == 0)
        #expect(try Data(contentsOf: folder.appendingPathComponent("room-exams.json")).count > 0)
        let csv = try String(contentsOf: folder.appendingPathComponent("room-grades.csv"), encoding: .utf8)
        #expect(csv.components(separatedBy: "\r\n").dropFirst().first?.hasPrefix("Ada,2,\(library.exercises.count),") == true, "\(csv)")
        driver.press(.char("q"))
        #expect(driver.contains("Press q again"))
        driver.press(.char("x"))
        #expect(!driver.contains("Press q again"))
        driver.press(.char("q"), .char("q"))
        #expect(driver.app.isFinished, "q twice stops the room")
    }
}

/// A learner's Exercises screen in a room: no server of its own, the room's feed of their
/// requests solves the exercise, and the instructor's message shows.
@Suite struct LearnerInARoomTests {
    @Test func theExercisesScreenSolvesAgainstTheRoomAndShowsItsMessages() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("learner-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let room = LiveRoom(record: RoomRecord(title: "T", joinCode: "111111"), exercises: library.exercises,
                            diagrams: try ServerWiring.diagrams(library), host: "127.0.0.1", port: 0, store: nil)
        guard case .running(let url, _) = await room.start() else { throw CancellationError() }
        let backend = RoomLabBackend(room: String(url.dropLast("/room".count)), name: "Ivy", code: "111111",
                                     store: RoomMembership.store(folder.appendingPathComponent("rooms.json")))
        var driver = Driver(size: Size(width: 100, height: 30),
                            root: ExercisesScreen(backend: backend, library: library, store: ExerciseProgress.store(folder.appendingPathComponent("ex.json"))))
        await driver.settle()
        #expect(driver.contains("In the room as Ivy"), "\(driver.dump)")
        let base = try #require(driver.text.firstMatch(of: /Send requests to (\S+)\//).map { String($0.1) }, "\(driver.dump)")
        #expect(base.contains("/l/"))
        // The first exercise's own request, sent to the personal base URL.
        let first = try #require(library.exercises.first?.steps.first?.solution)
        _ = await LabClient().send(first, base: base)
        #expect(room.post("Break until 10:30", to: nil))
        let clock = ContinuousClock(), deadline = clock.now + .seconds(20)
        while clock.now < deadline, backend.logEntries(after: 0, limit: 10).entries.isEmpty || backend.messages(after: 0).isEmpty {
            try await Task.sleep(for: .milliseconds(50))
        }
        // What the screen's poller hands over, as the runner would deliver it.
        driver.send(.routed(origin: 1, event: .message(ExercisesScreen.Message.log(backend.logEntries(after: 0, limit: 10).entries))))
        #expect(driver.contains("1/\(library.exercises.count) solved"), "\(driver.dump)")
        driver.send(.routed(origin: 1, event: .message(ExercisesScreen.Message.messages(backend.messages(after: 0)))))
        #expect(driver.contains("From the instructor: Break until 10:30"), "\(driver.dump)")
        // A Lab opened from the Exercises shares the feed; when it leaves, the feed goes on.
        #expect(await backend.startServer() == .running(url: base, note: "In the room as Ivy: requests under \(base) count for you."))
        await backend.stopServer()
        #expect(room.post("After the Lab", to: nil))
        while clock.now < deadline, !backend.messages(after: 0).contains(where: { $0.text == "After the Lab" }) {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(backend.messages(after: 0).map(\.text) == ["Break until 10:30", "After the Lab"])
        await backend.stopServer()
        await room.stop()
    }
}
