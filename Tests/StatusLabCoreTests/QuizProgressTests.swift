import Foundation
import Testing
@testable import StatusLabCore

@Suite struct SchedulerTests {
    let now = Date(timeIntervalSince1970: 1_000_000)

    @Test func rightAnswersMoveUpAndComeBackLater() {
        var progress = QuizProgress()
        progress.record("a", correct: true, at: now)
        #expect(progress.items["a"]!.box == 2)
        #expect(progress.items["a"]!.due == now.addingTimeInterval(86_400))
        progress.record("a", correct: true, at: now)
        #expect(progress.items["a"]!.box == 3)
        #expect(progress.streak == 2)
        #expect(progress.due(at: now.addingTimeInterval(3600), among: sampleBank).isEmpty)
    }

    @Test func missedAnswersReturnFirst() {
        var progress = QuizProgress()
        for question in sampleBank { progress.record(question.id, correct: true, at: now) }
        progress.record("t-order", correct: false, at: now)
        #expect(progress.items["t-order"]!.box == 1)
        #expect(progress.streak == 0)
        #expect(progress.bestStreak == 4)
        let soon = progress.due(at: now.addingTimeInterval(60), among: sampleBank)
        #expect(soon.map(\.id) == ["t-order"])
        let later = progress.due(at: now.addingTimeInterval(2 * 86_400), among: sampleBank)
        #expect(later.first?.id == "t-order")
        #expect(later.count == 4)
        let review = QuizSession(mode: .review, bank: sampleBank, filter: .init(), count: nil, seed: 1, progress: progress, now: now.addingTimeInterval(60))
        #expect(review.questions.map(\.id) == ["t-order"])
    }

    @Test func accuracyByTopic() {
        var progress = QuizProgress()
        progress.record("t-no-token", correct: true, at: now)
        progress.record("t-both", correct: false, at: now)
        let rows = progress.accuracyByTopic(sampleBank)
        #expect(rows.map(\.topic) == ["authn-vs-authz", "hiding", "tokens"])
        #expect(rows.first { $0.topic == "hiding" }!.right == 0)
    }
}

@Suite struct ProgressStoreTests {
    func temporaryStore() -> ProgressStore {
        ProgressStore(file: FileManager.default.temporaryDirectory
            .appendingPathComponent("statuslab-progress-\(UUID().uuidString)/statuslab/progress.json"))
    }

    @Test func savesAtomicallyAndLoadsBack() throws {
        let store = temporaryStore()
        defer { try? FileManager.default.removeItem(at: store.file.deletingLastPathComponent().deletingLastPathComponent()) }
        #expect(store.load().progress == QuizProgress())
        var progress = QuizProgress()
        progress.record("t-order", correct: true, at: Date(timeIntervalSince1970: 1_000_000))
        try store.save(progress)
        let loaded = store.load()
        #expect(loaded.progress == progress)
        #expect(loaded.notice == nil)
        let folder = try FileManager.default.contentsOfDirectory(atPath: store.file.deletingLastPathComponent().path)
        #expect(folder == ["progress.json"], "no temporary file is left behind")
    }

    @Test func aCorruptFileIsKeptAsideWithAMessage() throws {
        let store = temporaryStore()
        let folder = store.file.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("{\"items\": [oops".utf8).write(to: store.file)
        let loaded = store.load(now: Date(timeIntervalSince1970: 0))
        #expect(loaded.progress == QuizProgress())
        #expect(loaded.canSave)
        let notice = try #require(loaded.notice)
        #expect(notice.contains("could not be read"))
        #expect(notice.contains("progress.corrupt-1970-01-01T000000Z.json"))
        let aside = folder.appendingPathComponent("progress.corrupt-1970-01-01T000000Z.json")
        #expect(try String(contentsOf: aside, encoding: .utf8) == "{\"items\": [oops", "the bad file is kept as it was")
        #expect(!FileManager.default.fileExists(atPath: store.file.path))
    }
}

@Suite struct PlainQuizTests {
    func run(_ input: [String], mode: QuizSession.Mode = .practice, seed: UInt64 = 7) -> (output: String, errors: String, result: PlainQuiz.Result) {
        var lines = input[...]
        var output = "", errors = ""
        let run = QuizRun(mode: mode, bank: sampleBank, count: 3, seed: seed, now: Date(timeIntervalSince1970: 0))
        var quiz = PlainQuiz(quiz: run, library: builtInLibrary, renderer: PlainRenderer(width: 80, color: false))
        let result = quiz.run(readLine: { lines.popFirst() }, write: { output += $0 }, fail: { errors += $0 + "\n" },
                              now: { Date(timeIntervalSince1970: 0) }, save: { _ in })
        return (output, errors, result)
    }

    @Test func theSameSeedAndAnswersGiveTheSameRun() {
        // An answer of the right shape for each question the seed picks.
        let asked = QuizSession(mode: .practice, bank: sampleBank, filter: .init(), count: 3, seed: 7).questions
        let input = asked.map { question -> String in
            switch question.kind {
            case .pick, .header, .spot: "1"
            case .pickAll: "1 2"
            case .order: (1...question.choices.count).map(String.init).joined(separator: " ")
            }
        }
        let first = run(input)
        let second = run(input)
        #expect(first.output == second.output)
        guard case .finished(let right, let total) = first.result else { Issue.record("did not finish"); return }
        #expect(total == 3)
        #expect(first.output.hasSuffix("score: \(right)/3\n"))
        #expect(right == first.output.components(separatedBy: "Right.").count - 1)
    }

    @Test func badAnswersAreAskedAgainAndEndOfInputStops() {
        let result = run(["9", "1"])
        #expect(result.errors.contains("“9” is not an answer here"))
        #expect(result.errors.contains("input ended after 1 of 3 questions."))
        #expect(result.result == .inputEnded(answered: 1, total: 3))
    }

    @Test func anAnswerAfterTheTimeLimitDoesNotCount() {
        var lines = ["1", "1", "1"][...]
        var output = ""
        var now = Date(timeIntervalSince1970: 0)
        let run = QuizRun(mode: .exam, bank: sampleBank, count: 3, seed: 7, timeLimit: 60, now: now)
        var quiz = PlainQuiz(quiz: run, library: builtInLibrary, renderer: PlainRenderer(width: 80, color: false))
        let result = quiz.run(readLine: { now += 61; return lines.popFirst() }, write: { output += $0 }, fail: { _ in },
                              now: { now }, save: { _ in Issue.record("an answer after the time limit was saved") })
        #expect(output.contains("Time is up."))
        #expect(result == .finished(right: 0, total: 3))
        #expect(output.hasSuffix("score: 0/3\n"))
    }

    @Test func eachAnswerThatCountsIsSaved() {
        var lines = ["1", "1", "1"][...]
        var saved: [QuizProgress] = []
        let run = QuizRun(mode: .exam, bank: sampleBank, count: 3, seed: 7, now: Date(timeIntervalSince1970: 0))
        var quiz = PlainQuiz(quiz: run, library: builtInLibrary, renderer: PlainRenderer(width: 80, color: false))
        _ = quiz.run(readLine: { lines.popFirst() }, write: { _ in }, fail: { _ in }, now: { Date(timeIntervalSince1970: 0) },
                     save: { saved.append($0) })
        #expect(saved.map(\.items.count) == [1, 2, 3])
        #expect(saved.last == quiz.quiz.progress)
    }

    @Test func anExamGivesNoFeedbackUntilTheEnd() {
        let result = run(["1", "1", "1", "1"], mode: .exam)
        #expect(!result.output.contains("Right."))
        #expect(!result.output.contains("Not quite."))
        #expect(result.output.contains("Results\n"))
        #expect(result.output.split(separator: "\n").last?.hasPrefix("score: ") == true)
    }
}
