import Foundation
import StatusLabCore
import Testing
@testable import StatusLabTUI

@Suite struct QuizScreenTests {
    func temporaryStore() -> ProgressStore {
        ProgressStore(file: FileManager.default.temporaryDirectory
            .appendingPathComponent("statuslab-quiz-\(UUID().uuidString)/statuslab/progress.json"))
    }

    func quiz(store: ProgressStore?, settings: QuizSettings = QuizSettings(seed: 7), notice: String? = nil) -> Driver {
        let progress = store?.load().progress ?? QuizProgress()
        return Driver(root: QuizScreen(library: library, saver: store.map(ProgressSaver.init), progress: progress, notice: notice, settings: settings))
    }

    var screen: QuizScreen.Type { QuizScreen.self }

    func current(_ driver: Driver) -> QuizQuestion? { (driver.app.top as? QuizScreen)?.run?.current }

    /// The typed keys that answer `question` right (or wrong).
    func keys(for question: QuizQuestion, right: Bool, in driver: Driver) -> [Key] {
        let shown = question.presentedChoices(seed: (driver.app.top as? QuizScreen)?.run?.session.seed ?? 0)
        let numbers = question.key.map { value in shown.firstIndex { $0.value == value }! + 1 }
        switch question.kind {
        case .pick, .header, .spot:
            let wrong = (1...shown.count).first { !numbers.contains($0) }!
            return [.char(Character("\(right ? numbers[0] : wrong)"))]
        case .pickAll:
            return (right ? numbers : [numbers[0]]).map { .char(Character("\($0)")) } + [.enter]
        case .order:
            return (right ? numbers : numbers.reversed()).map { .char(Character("\($0)")) }
        }
    }

    @Test func homeOffersTheQuizWhenItIsWired() {
        var driver = Driver(root: HomeScreen(library: library, quiz: { QuizScreen(library: library, saver: nil, progress: QuizProgress()) }))
        #expect(driver.contains("[z] Quiz"))
        driver.press(.char("z"))
        #expect(driver.contains("Practice: one question at a time"), "\(driver.dump)")
    }

    @Test func practiceGivesFeedbackWithThePathAndSavesProgress() async throws {
        let store = temporaryStore()
        defer { try? FileManager.default.removeItem(at: store.file.deletingLastPathComponent().deletingLastPathComponent()) }
        var driver = quiz(store: store)
        driver.press(.char("p"))
        #expect(driver.contains("Practice · question 1 of \(library.questions.count)"), "\(driver.dump)")
        // Answer until a question that states facts comes up, right, then one wrong.
        var sawPath = false
        for round in 0..<8 {
            let question = try #require(current(driver))
            driver.press(keys(for: question, right: round % 2 == 0, in: driver)[...].first!)
            for key in keys(for: question, right: round % 2 == 0, in: driver).dropFirst() { driver.press(key) }
            #expect(driver.contains(round % 2 == 0 ? "Right." : "Not quite."), "\(driver.dump)")
            if question.diagram != nil {
                // The question and its options come first now; the path is further down.
                for _ in 0..<4 where !sawPath {
                    driver.press(.pageDown)
                    sawPath = driver.contains("Path in the \(question.diagram!) flowchart")
                }
            }
            if round == 1 {
                // ux-walk-1 ML6: the options stay in view beside the feedback, the right one marked.
                let shown = question.presentedChoices(seed: 7)
                var text = driver.text
                for _ in 0..<4 { driver.press(.pageUp); text += driver.text }
                if question.kind != .order, let right = shown.first(where: { question.key.contains($0.value) }) {
                    #expect(text.contains("✓ \((shown.firstIndex { $0.value == right.value } ?? 0) + 1))"), "\(text)")
                }
            }
            await driver.settle()
            driver.press(.enter)
        }
        #expect(sawPath, "feedback shows the diagram path")
        let saved = store.load().progress
        #expect(saved.items.count == 8)
        #expect(saved.items.values.filter { $0.wrong == 1 }.count == 4)
    }

    @Test func theReferencePageIsOneKeyAway() throws {
        var driver = quiz(store: nil)
        driver.press(.char("p"))
        // Find a question whose key is a status code.
        for _ in 0..<20 {
            let question = try #require(current(driver))
            for key in keys(for: question, right: true, in: driver) { driver.press(key) }
            if let code = question.referenceCode {
                driver.press(.char("r"))
                #expect(driver.screen.line(0).contains("\(code) "), "\(driver.dump)")
                return
            }
            driver.press(.enter)
        }
        Issue.record("no question with a status code in 20")
    }

    @Test func anExamGivesNoFeedbackAndWritesItsExport() async throws {
        let export = FileManager.default.temporaryDirectory.appendingPathComponent("exam-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: export) }
        var driver = quiz(store: nil, settings: QuizSettings(mode: .exam, count: 5, seed: 42, exportPath: export.path))
        #expect(driver.contains("Exam · question 1 of 5"), "\(driver.dump)")
        for index in 0..<5 {
            let question = try #require(current(driver))
            for key in keys(for: question, right: index != 2, in: driver) { driver.press(key) }
            #expect(!driver.contains("Right.") && !driver.contains("Not quite."))
        }
        #expect(driver.contains("Results: 4 of 5"), "\(driver.dump)")
        #expect(driver.contains("score: 4/5"))
        await driver.settle()
        #expect(driver.contains("Results written to \(export.path)"), "\(driver.dump)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: export)) as! [String: Any]
        #expect(json["score"] as? Int == 4)
        #expect((json["questions"] as? [Any])?.count == 5)
        // In a room the file is the hand-in's, made when the quiz ends: the screen says so.
        var settings = QuizSettings(mode: .exam, count: 1, seed: 42, exportPath: export.path)
        settings.handInTo = "http://127.0.0.1:8401"
        var inRoom = quiz(store: nil, settings: settings)
        for key in keys(for: try #require(current(inRoom)), right: true, in: inRoom) { inRoom.press(key) }
        await inRoom.settle()
        #expect(inRoom.contains("Your exam is ready: quit (q, then q) to hand it in to the room at"), "\(inRoom.dump)")
        #expect(!inRoom.contains(export.path))
    }

    @Test func eachModeFromTheMenuHasItsOwnLengthUnlessACountWasAsked() {
        var driver = quiz(store: nil, settings: QuizSettings(mode: .exam, seed: 3))
        #expect(driver.contains("Exam · question 1 of \(QuizRun.examLength)"), "\(driver.dump)")
        driver.press(.char("q"))
        #expect(driver.contains("Exam: \(QuizRun.examLength) questions"), "\(driver.dump)")
        driver.press(.char("p"))
        #expect(driver.contains("Practice · question 1 of \(library.questions.count)"), "after an exam, practice asks every question: \(driver.dump)")

        var asked = quiz(store: nil, settings: QuizSettings(mode: .exam, count: 5, seed: 3))
        asked.press(.char("q"))
        #expect(asked.contains("Exam: 5 questions"), "the menu says the count asked for: \(asked.dump)")
        asked.press(.char("p"))
        #expect(asked.contains("Practice · question 1 of 5"))
    }

    @Test func anExamEndsWhenTimeIsUp() throws {
        final class Clock: @unchecked Sendable { var now = Date(timeIntervalSince1970: 1000) }
        let clock = Clock()
        let screen = QuizScreen(library: library, saver: nil, progress: QuizProgress(),
                                settings: QuizSettings(mode: .exam, count: 5, seed: 1, timeLimit: 60), clock: { clock.now })
        var driver = Driver(root: screen)
        #expect(driver.contains("1:00 left"), "\(driver.dump)")
        clock.now = clock.now.addingTimeInterval(61)
        driver.send(.tick)
        #expect(driver.contains("Time is up."), "\(driver.dump)")
        #expect(driver.contains("score: 0/5"))
    }

    @Test func reviewBringsBackWhatWasMissed() throws {
        var progress = QuizProgress()
        let missed = library.questions[3]
        progress.record(missed.id, correct: false, at: Date())
        var driver = Driver(root: QuizScreen(library: library, saver: nil, progress: progress, settings: QuizSettings(seed: 1)))
        #expect(driver.contains("Review: 1 question of this topic and difficulty due"), "\(driver.dump)")
        driver.press(.char("r"))
        #expect(driver.contains("Review · question 1 of 1"), "\(driver.dump)")
        #expect(current(driver)?.id == missed.id)
    }

    @Test func statsShowAccuracyByTopicAndTheStreak() {
        var progress = QuizProgress()
        for question in library.questions.prefix(6) { progress.record(question.id, correct: true, at: Date()) }
        var driver = Driver(root: QuizScreen(library: library, saver: nil, progress: progress))
        driver.press(.char("s"))
        #expect(driver.contains("Statistics"), "\(driver.dump)")
        #expect(driver.contains("100%"))
        #expect(driver.contains("Streak: 6, best 6"))
    }

    @Test func aCorruptProgressNoticeIsShown() {
        let driver = quiz(store: nil, notice: "Your progress file could not be read (x), so it was kept as /tmp/a.json and a new one was started.")
        #expect(driver.contains("Your progress file could not be read"), "\(driver.dump)")
    }

    @Test func filtersNarrowTheQuestions() {
        var driver = quiz(store: nil)
        driver.press(.char("t"))
        #expect(driver.contains("Topic: authn-vs-authz"), "\(driver.dump)")
        driver.press(.char("d"), .char("d"), .char("d"))
        #expect(driver.contains("Difficulty: hard"))
        driver.press(.char("p"))
        #expect((driver.app.top as? QuizScreen)?.run?.session.questions.allSatisfy { $0.topics.contains("authn-vs-authz") && $0.difficulty == .hard } == true)
    }

    @Test func aQuizOpenedAgainKeepsSaving() async throws {
        // As the program wires it: one saver, a new quiz screen each time the quiz is opened.
        let store = temporaryStore()
        defer { try? FileManager.default.removeItem(at: store.file.deletingLastPathComponent().deletingLastPathComponent()) }
        let saver = ProgressSaver(store: store)
        var driver = Driver(root: HomeScreen(library: library, quiz: {
            QuizScreen(library: library, saver: saver, progress: saver.latest ?? QuizProgress(), settings: QuizSettings(seed: 7))
        }))
        for _ in 0..<2 {
            driver.press(.char("z"), .char("p"), .char("1"))
            #expect(driver.contains("Right.") || driver.contains("Not quite."), "\(driver.dump)")
            await driver.settle()
            driver.press(.char("q"), .char("q"))
        }
        let answered = { (progress: QuizProgress?) in progress?.items.values.reduce(0) { $0 + $1.right + $1.wrong } }
        #expect(answered(store.load().progress) == 2)
        #expect(answered(saver.latest) == 2)
    }
}
