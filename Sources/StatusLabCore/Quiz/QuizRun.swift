import Foundation

/// One quiz from its first question to its results: the state machine that `QuizScreen` and
/// `PlainQuiz` both drive. They feed it answers and the time and show what it says; the rules
/// (grading, progress, the clock, an exam's length, what comes next) are all here.
public struct QuizRun: Sendable {
    /// A question waiting for an answer; feedback on the last answer (practice and review);
    /// the results.
    public enum Phase: Sendable, Equatable { case question, feedback, finished }

    /// How many questions an exam has when no count is asked for.
    public static let examLength = 10

    /// The questions and the answers given so far.
    public private(set) var session: QuizSession
    /// The learner's progress, with this run's answers recorded.
    public private(set) var progress: QuizProgress
    public private(set) var phase: Phase
    /// Seconds allowed from the start: exams only.
    public let timeLimit: TimeInterval?
    public let startedAt: Date
    /// True when the run ended because the time was up.
    public private(set) var ranOutOfTime = false
    private var questionShownAt: Date

    /// A run of the questions in `bank` that pass `filter`, as `QuizSession` picks them.
    /// `progress` chooses what review asks and takes this run's answers.
    public init(mode: QuizSession.Mode, bank: [QuizQuestion], filter: QuizSession.Filter = .init(), count: Int?, seed: UInt64,
                timeLimit: TimeInterval? = nil, progress: QuizProgress = QuizProgress(), now: Date) {
        session = QuizSession(mode: mode, bank: bank, filter: filter, count: Self.questionCount(mode: mode, asked: count),
                              seed: seed, progress: progress, now: now)
        self.progress = progress
        self.timeLimit = mode == .exam ? timeLimit : nil
        startedAt = now
        questionShownAt = now
        phase = session.isFinished ? .finished : .question
    }

    /// How many questions a run of `mode` asks when `asked` is what the learner asked for;
    /// nil: every question that matches.
    public static func questionCount(mode: QuizSession.Mode, asked: Int?) -> Int? {
        asked ?? (mode == .exam ? examLength : nil)
    }

    public var mode: QuizSession.Mode { session.mode }

    /// The question waiting for an answer.
    public var current: QuizQuestion? { phase == .question ? session.current : nil }

    /// The waiting question's number, from 1.
    public var questionNumber: Int { session.answers.count + 1 }

    /// Whether the clock can end the run now, so a front end should keep checking it.
    public var isTimed: Bool { phase == .question && timeLimit != nil }

    public func isTimeUp(at now: Date) -> Bool {
        guard let timeLimit else { return false }
        return now.timeIntervalSince(startedAt) >= timeLimit
    }

    /// Seconds left at `now`; nil when there is no time limit.
    public func remaining(at now: Date) -> TimeInterval? {
        timeLimit.map { max($0 - now.timeIntervalSince(startedAt), 0) }
    }

    /// Ends the run if a question is waiting and the time is up: the questions left count as
    /// unanswered, and wrong. True when it ended the run.
    @discardableResult
    public mutating func endIfTimeUp(at now: Date) -> Bool {
        guard phase == .question, isTimeUp(at: now) else { return false }
        session.stop()
        ranOutOfTime = true
        phase = .finished
        return true
    }

    /// Grades `given` (choice values) for the waiting question and records it in `progress`.
    /// An exam moves straight on; practice and review show feedback first. nil when the answer
    /// does not count: the time is up (the run has ended) or no question was waiting.
    @discardableResult
    public mutating func answer(_ given: [String], at now: Date) -> QuizSession.Answer? {
        guard phase == .question, !endIfTimeUp(at: now),
              let answer = session.answer(given, seconds: now.timeIntervalSince(questionShownAt)) else { return nil }
        progress.record(answer.question.id, correct: answer.correct, at: now)
        if mode == .exam { advance(at: now) } else { phase = .feedback }
        return answer
    }

    /// From feedback to the next question, or to the results after the last one.
    public mutating func next(at now: Date) {
        guard phase == .feedback else { return }
        advance(at: now)
    }

    private mutating func advance(at now: Date) {
        phase = session.isFinished ? .finished : .question
        questionShownAt = now
    }

    /// The results as JSON (`QuizSession.export`), written atomically to `path`.
    public func writeExport(to path: String) throws {
        try session.export(startedAt: startedAt).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
