import Foundation
import Testing
@testable import StatusLabCore

@Suite struct QuizRunTests {
    let start = Date(timeIntervalSince1970: 1_000_000)

    func exam(count: Int? = nil, timeLimit: TimeInterval? = 60, bank: [QuizQuestion] = sampleBank) -> QuizRun {
        QuizRun(mode: .exam, bank: bank, count: count, seed: 3, timeLimit: timeLimit, now: start)
    }

    func practice(count: Int? = nil, progress: QuizProgress = QuizProgress()) -> QuizRun {
        QuizRun(mode: .practice, bank: sampleBank, count: count, seed: 3, progress: progress, now: start)
    }

    /// A wrong answer of the right shape for `question`.
    func wrong(_ question: QuizQuestion) -> [String] {
        question.kind == .order ? question.key.reversed() : [question.choices.first { !question.key.contains($0.value) }!.value]
    }

    @Test func timeIsUpExactlyAtTheLimit() {
        var run = exam()
        #expect(run.isTimed)
        #expect(!run.isTimeUp(at: start.addingTimeInterval(59.999)))
        #expect(run.remaining(at: start.addingTimeInterval(59.5)) == 0.5)
        let endedEarly = run.endIfTimeUp(at: start.addingTimeInterval(59.999))
        #expect(!endedEarly)
        #expect(run.phase == .question)
        #expect(run.isTimeUp(at: start.addingTimeInterval(60)))
        #expect(run.remaining(at: start.addingTimeInterval(90)) == 0, "never negative")
        let ended = run.endIfTimeUp(at: start.addingTimeInterval(60))
        #expect(ended)
        #expect(run.phase == .finished)
        #expect(run.ranOutOfTime)
        #expect(!run.isTimed)
        #expect(run.current == nil)
        #expect(run.session.score == (right: 0, total: 4), "the questions left count as wrong")
    }

    @Test func anAnswerBeforeTheLimitCountsAndOneOnItDoesNot() throws {
        var run = exam()
        let first = try #require(run.current)
        let answer = run.answer(first.key, at: start.addingTimeInterval(59))
        #expect(answer?.correct == true)
        #expect(run.phase == .question)
        let second = try #require(run.current)
        let late = run.answer(second.key, at: start.addingTimeInterval(60))
        #expect(late == nil)
        #expect(run.phase == .finished)
        #expect(run.ranOutOfTime)
        #expect(run.session.score == (right: 1, total: 4))
        #expect(run.progress.items.keys.sorted() == [first.id], "the late answer is not recorded")
    }

    @Test func onlyAnExamRunsAgainstTheClock() {
        let run = QuizRun(mode: .practice, bank: sampleBank, count: nil, seed: 3, timeLimit: 60, now: start)
        #expect(run.timeLimit == nil)
        #expect(!run.isTimed)
        #expect(!run.isTimeUp(at: start.addingTimeInterval(3600)))
        #expect(run.remaining(at: start) == nil)
        #expect(exam(timeLimit: nil).isTimeUp(at: start.addingTimeInterval(3600)) == false)
    }

    @Test func anExamHasTenQuestionsUnlessAskedForAnotherCount() {
        let bank = builtInLibrary.questions
        #expect(QuizRun.examLength == 10)
        #expect(exam(bank: bank).session.questions.count == 10)
        #expect(exam(count: 3, bank: bank).session.questions.count == 3)
        #expect(QuizRun(mode: .practice, bank: bank, count: nil, seed: 3, now: start).session.questions.count == bank.count)
        #expect(QuizRun.questionCount(mode: .exam, asked: nil) == 10)
        #expect(QuizRun.questionCount(mode: .exam, asked: 4) == 4)
        #expect(QuizRun.questionCount(mode: .practice, asked: nil) == nil)
        #expect(QuizRun.questionCount(mode: .review, asked: nil) == nil)
    }

    @Test func practiceGradesRecordsAndShowsFeedbackBeforeTheNextQuestion() throws {
        var run = practice()
        let first = try #require(run.current)
        #expect(run.questionNumber == 1)
        let right = run.answer(first.key, at: start.addingTimeInterval(5))
        #expect(right?.correct == true)
        #expect(right?.seconds == 5)
        #expect(run.phase == .feedback)
        #expect(run.current == nil, "no question waits during feedback")
        let again = run.answer(first.key, at: start.addingTimeInterval(6))
        #expect(again == nil)
        #expect(run.session.answers.count == 1)
        #expect(run.progress.items[first.id]?.box == 2)
        #expect(run.progress.streak == 1)

        run.next(at: start.addingTimeInterval(10))
        let second = try #require(run.current)
        #expect(second.id != first.id)
        #expect(run.questionNumber == 2)
        let missed = run.answer(wrong(second), at: start.addingTimeInterval(17))
        #expect(missed?.correct == false)
        #expect(missed?.seconds == 7, "timed from when the question was shown, after the feedback")
        #expect(run.progress.items[second.id]?.box == 1)
        #expect(run.progress.items[second.id]?.wrong == 1)
        #expect(run.progress.streak == 0)
    }

    @Test func practiceFinishesAfterTheLastFeedback() throws {
        var run = practice(count: 1)
        run.answer(try #require(run.current).key, at: start)
        #expect(run.phase == .feedback)
        run.next(at: start)
        #expect(run.phase == .finished)
        #expect(!run.ranOutOfTime)
        #expect(run.session.score == (right: 1, total: 1))
    }

    @Test func anExamMovesStraightOnAndFinishesAfterItsLastAnswer() throws {
        var run = exam(timeLimit: nil)
        var seconds = 0.0
        while let question = run.current {
            seconds += 2
            run.answer(question.id == "t-spot" ? wrong(question) : question.key, at: start.addingTimeInterval(seconds))
            #expect(run.phase != .feedback)
        }
        #expect(run.phase == .finished)
        #expect(run.session.score == (right: 3, total: 4))
        #expect(run.session.answers.map(\.seconds) == [2, 2, 2, 2])
        #expect(run.progress.items.count == 4)
    }

    @Test func reviewAsksWhatTheProgressSaysIsDue() {
        var progress = QuizProgress()
        progress.record("t-order", correct: false, at: start)
        let run = QuizRun(mode: .review, bank: sampleBank, count: nil, seed: 1, progress: progress, now: start.addingTimeInterval(60))
        #expect(run.session.questions.map(\.id) == ["t-order"])
        #expect(run.progress == progress)
    }

    @Test func aRunWithNoQuestionsIsFinishedFromTheStart() {
        let run = QuizRun(mode: .practice, bank: sampleBank, filter: .init(topic: "redirects"), count: nil, seed: 1, now: start)
        #expect(run.session.questions.isEmpty)
        #expect(run.phase == .finished)
        #expect(run.current == nil)
    }

    @Test func theExportCarriesTheStartAndTheAnswers() throws {
        var run = exam(count: 2, timeLimit: nil)
        while let question = run.current { run.answer(question.key, at: start.addingTimeInterval(1)) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("quiz-run-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try run.writeExport(to: file.path)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        #expect(json["started"] as? String == "1970-01-12T13:46:40Z")
        #expect(json["score"] as? Int == 2)
        #expect(json["mode"] as? String == "exam")
    }
}
