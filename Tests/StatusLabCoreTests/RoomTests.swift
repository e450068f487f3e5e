import Foundation
import Testing
@testable import StatusLabCore

@Suite struct LearnerNameTests {
    @Test func escapeSequencesAndControlsNeverReachTheInstructorsTerminal() {
        // OSC 52 would set the clipboard; CSI clears the screen and colours; C1 CSI is one byte.
        #expect(LearnerName.sanitized("Eve\u{1B}]52;c;aGFja2Vk\u{07}\u{1B}[2J\u{1B}[31mRED") == "EveRED")
        #expect(LearnerName.sanitized("a\u{1B}]52;c;eA==\u{1B}\\b") == "ab")
        #expect(LearnerName.sanitized("x\u{9B}31my") == "xy")
        #expect(LearnerName.sanitized("unterminated\u{1B}]0;title") == "unterminated")
        #expect(LearnerName.sanitized("bell\u{07}del\u{7F}nul\u{0}") == "belldelnul")
        // Text that reorders what follows it on the line.
        #expect(LearnerName.sanitized("abc\u{202E}fed") == "abcfed")
        #expect(LearnerName.sanitized("  Ada \t\n Lovelace  ") == "Ada Lovelace")
    }

    @Test func namesAreCutAndEmptyOnesRefused() {
        #expect(LearnerName.sanitized(String(repeating: "é", count: 100))?.count == LearnerName.maxLength)
        #expect(LearnerName.sanitized("\u{1B}[2J") == nil)
        #expect(LearnerName.sanitized("   ") == nil)
        #expect(LearnerName.sanitized("Zoë 🚀") == "Zoë 🚀")
    }
}

@Suite struct RoomRecordTests {
    /// Two small exercises: a 401 anywhere under /api; then a 200 followed by a 403.
    static let exercises = [
        Exercise(id: "first", path: "first.exercise", title: "Ask who", order: 1, goal: [], hints: [], explanation: [], specs: [],
                 steps: [.init(label: "challenge", expectations: [.status(401), .target("/api/*")], solution: nil, line: 1)]),
        Exercise(id: "second", path: "second.exercise", title: "Refused", order: 2, goal: [], hints: [], explanation: [], specs: [],
                 steps: [.init(label: "in", expectations: [.status(200)], solution: nil, line: 1),
                         .init(label: "out", expectations: [.status(403), .target("/api/notes/*")], solution: nil, line: 2)]),
    ]

    static func entry(_ status: Int, _ target: String, at seconds: Double = 0) -> LabLogEntry {
        LabLogEntry(number: 1, date: Date(timeIntervalSinceReferenceDate: seconds), method: "GET", target: target, status: status, interim: [],
                    decision: nil, requestHeaders: [], responseHeaders: [], bodyPrefix: "", duration: .milliseconds(1))
    }

    func room() -> (RoomRecord, ada: String, bob: String) {
        var record = RoomRecord(title: "Test", joinCode: "123456", opened: Date(timeIntervalSinceReferenceDate: 0))
        guard case .joined(let ada) = record.join(name: "Ada", key: "ada-key", at: Date(timeIntervalSinceReferenceDate: 0)),
              case .joined(let bob) = record.join(name: "Bob", key: "bob-key", at: Date(timeIntervalSinceReferenceDate: 0)) else {
            Issue.record("could not join")
            return (record, "", "")
        }
        return (record, ada.key, bob.key)
    }

    @Test func aNameIsOneLearnersWhateverItsCase() {
        var (record, _, _) = room()
        #expect(record.join(name: "ada") == .nameTaken)
        #expect(record.join(name: "\u{1B}[2J") == .invalidName)
        #expect(record.learners.count == 2)
    }

    @Test func exchangesSolveForTheLearnerWhoseKeyTheyCameUnder() {
        var (record, ada, bob) = room()
        let solved = record.observe(Self.entry(401, "/api/notes/1", at: 60), from: ada, exercises: Self.exercises)
        #expect(solved.map(\.id) == ["first"])
        #expect(record.learners[ada]?.solved["first"] != nil)
        #expect(record.learners[bob]?.solved.isEmpty == true)
        // An unknown key changes nobody.
        #expect(record.observe(Self.entry(401, "/api/x"), from: "nobody", exercises: Self.exercises).isEmpty)
        // Steps in order, across exchanges: the same engine as `exercise watch`.
        record.observe(Self.entry(200, "/api/profile", at: 70), from: ada, exercises: Self.exercises)
        #expect(record.learners[ada]?.stepsMet["second"] == 1)
        record.observe(Self.entry(403, "/api/notes/2", at: 80), from: ada, exercises: Self.exercises)
        #expect(record.learners[ada]?.solved.count == 2)
        #expect(record.learners[ada]?.lastSolve == Date(timeIntervalSinceReferenceDate: 80))
    }

    @Test func theGridMarksSolvedAndTriedAndSortsByProgressOrName() {
        var (record, ada, bob) = room()
        record.observe(Self.entry(401, "/api/notes/1", at: 10), from: bob, exercises: Self.exercises)
        record.observe(Self.entry(404, "/api/nothing", at: 20), from: bob, exercises: Self.exercises)
        let report = RoomReport(record: record, exercises: Self.exercises)
        let rows = report.rows(by: .progress, now: Date(timeIntervalSinceReferenceDate: 30))
        #expect(rows.map(\.name) == ["Bob", "Ada"])
        #expect(rows[0].cells == [.solved, .tried])
        #expect(rows[1].cells == [.open, .open])
        #expect(rows[1].lastRequest == nil)
        #expect(report.rows(by: .name).map(\.key) == [ada, bob])
    }

    @Test func stuckAfterRefusedTriesAtOneExerciseOrNoSolveWhileStillSending() {
        var (record, ada, bob) = room()
        let rules = RoomReport.StuckRules(minutes: 10, refusedTries: 3)
        for second in [1.0, 2, 3] { record.observe(Self.entry(404, "/api/nope", at: second), from: ada, exercises: Self.exercises) }
        var report = RoomReport(record: record, exercises: Self.exercises, rules: rules)
        #expect(report.stuck(record.learners[ada]!, now: Date(timeIntervalSinceReferenceDate: 4))?.contains("3 refused tries at “Ask who”") == true)
        // Bob sends (200s, not refusals) for eleven minutes without a solve: stuck; once he
        // stops sending, he is no longer counted as stuck (he may have left).
        record.observe(Self.entry(200, "/", at: 30), from: bob, exercises: Self.exercises)
        record.observe(Self.entry(200, "/", at: 650), from: bob, exercises: Self.exercises)
        report = RoomReport(record: record, exercises: Self.exercises, rules: rules)
        #expect(report.stuck(record.learners[bob]!, now: Date(timeIntervalSinceReferenceDate: 660)) == "no solve for 11 min since joining")
        #expect(report.stuck(record.learners[bob]!, now: Date(timeIntervalSinceReferenceDate: 650 + 601)) == nil)
        #expect(report.stuck(record.learners[bob]!, now: Date(timeIntervalSinceReferenceDate: 300)) == nil)
    }

    static func exam(score: Int, _ rows: [(id: String, given: [String], correct: Bool)]) throws -> ExamSummary.Result {
        let questions = rows.map { row in
            #"{"id":"\#(row.id)","topics":["tokens"],"difficulty":"easy","given":[\#(row.given.map { "\"\($0)\"" }.joined(separator: ","))],"accepted":["401"],"correct":\#(row.correct),"seconds":3}"#
        }
        let json = #"{"mode":"exam","seed":7,"score":\#(score),"total":\#(rows.count),"questions":[\#(questions.joined(separator: ","))]}"#
        return try #require(ExamSummary.read(Data(json.utf8)).first)
    }

    @Test func misconceptionsCountLearnersFromExerciseTriesAndExams() throws {
        var (record, ada, bob) = room()
        // Both got a 403 where the first exercise wanted 401 (same request shape: under /api).
        record.observe(Self.entry(403, "/api/notes/1"), from: ada, exercises: Self.exercises)
        record.observe(Self.entry(403, "/api/notes/1"), from: ada, exercises: Self.exercises)
        record.observe(Self.entry(403, "/api/notes/3"), from: bob, exercises: Self.exercises)
        // Another shape (not under /api) is not evidence for that step.
        record.observe(Self.entry(404, "/elsewhere"), from: bob, exercises: Self.exercises)
        #expect(record.handIn(try Self.exam(score: 0, [("q-missing-token", ["403"], false)]), from: ada))
        #expect(record.handIn(try Self.exam(score: 1, [("q-missing-token", ["401"], true)]), from: bob))
        #expect(!record.handIn(try Self.exam(score: 1, []), from: "nobody"))
        let found = RoomReport(record: record, exercises: Self.exercises).misconceptions()
        #expect(found.first == .init(source: .exercise, situation: "Ask who", wrong: "403", right: "401", learners: 2, page: "401"))
        #expect(found.contains(.init(source: .exam, situation: "q-missing-token", wrong: "403", right: "401", learners: 1, page: "401")))
        #expect(found.count == 2)
        #expect(found[0].line == "403 for “Ask who” (401 is right): 2 learners")
    }

    @Test func theGradebookIsCSVASpreadsheetCannotRunAndTheExamsSummarize() throws {
        var record = RoomRecord(title: "T", joinCode: "1", opened: Date(timeIntervalSinceReferenceDate: 0))
        _ = record.join(name: "=HYPERLINK(\"x\")", key: "k1", at: Date(timeIntervalSinceReferenceDate: 0))
        _ = record.join(name: "Smith, Jo", key: "k2", at: Date(timeIntervalSinceReferenceDate: 0))
        record.observe(Self.entry(401, "/api/a", at: 60), from: "k2", exercises: Self.exercises)
        record.observe(Self.entry(200, "/", at: 60 + 25 * 60), from: "k2", exercises: Self.exercises)
        _ = record.handIn(try Self.exam(score: 1, [("q1", ["401"], true), ("q2", ["404"], false)]), from: "k2")
        let report = RoomReport(record: record, exercises: Self.exercises)
        let lines = report.csv().components(separatedBy: "\r\n")
        #expect(lines[0] == "name,exercises_solved,exercises_total,exam_score,exam_total,minutes_active,joined,last_request")
        #expect(lines[1].hasPrefix("\"'=HYPERLINK(\"\"x\"\")\",0,2,,,0,"))
        #expect(lines[2].hasPrefix("\"Smith, Jo\",1,2,1,2,25,"))
        let exams = try ExamSummary.read(report.examsJSON())
        #expect(exams.map(\.name) == ["Smith, Jo"])
        #expect(ExamSummary(exams).questions.map(\.id) == ["q2", "q1"])
    }

    @Test func messagesGoToEveryoneOrOneAndAreCleaned() {
        var (record, ada, bob) = room()
        #expect(record.post("Break \u{1B}]52;c;eA==\u{07}now") != nil)
        #expect(record.post("Ada: try Basic", to: ada)?.to == ada)
        #expect(record.post("to nobody", to: "gone") == nil)
        #expect(record.post("\u{1B}[2J") == nil)
        #expect(record.messages(for: ada).map(\.text) == ["Break now", "Ada: try Basic"])
        #expect(record.messages(for: bob).map(\.text) == ["Break now"])
    }

    @Test func theRecordSurvivesASaveAndALoad() throws {
        var (record, ada, _) = room()
        record.observe(Self.entry(401, "/api/x", at: 5), from: ada, exercises: Self.exercises)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("room-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = StateFile<RoomRecord>(file: folder.appendingPathComponent("room.json"), what: "room file", ownerOnly: true)
        try store.save(record)
        #expect(store.load().value == record)
        // It holds every learner's key: for its owner's eyes only.
        let attributes = try FileManager.default.attributesOfItem(atPath: store.file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }
}

@Suite struct RequestBudgetTests {
    @Test func oneCallersFloodLeavesOthersTheirBudget() {
        var budget = RequestBudget(rate: 2, burst: 3)
        #expect((0..<3).map { _ in budget.take("flood", now: 0) } == [nil, nil, nil])
        #expect(budget.take("flood", now: 0) == 1)
        #expect(budget.take("calm", now: 0) == nil)
        // Refilled at the rate: half a second gives one more.
        #expect(budget.take("flood", now: 0.5) == nil)
        #expect(budget.take("flood", now: 0.5) != nil)
    }
}
