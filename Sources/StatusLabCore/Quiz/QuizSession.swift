import Foundation

/// Which questions, in which order, and what was answered. `QuizRun` drives one through a
/// practice, review or exam.
public struct QuizSession: Sendable {
    public enum Mode: String, Sendable { case practice, review, exam }

    public struct Filter: Sendable, Equatable {
        public var topic: String?
        public var difficulty: QuizQuestion.Difficulty?

        public init(topic: String? = nil, difficulty: QuizQuestion.Difficulty? = nil) {
            self.topic = topic
            self.difficulty = difficulty
        }

        public func admits(_ question: QuizQuestion) -> Bool {
            (topic.map { question.topics.contains($0) } ?? true) && (difficulty.map { question.difficulty == $0 } ?? true)
        }
    }

    public struct Answer: Sendable {
        public let question: QuizQuestion
        public let given: [String]
        public let correct: Bool
        public let seconds: Double
    }

    public let mode: Mode
    public let questions: [QuizQuestion]
    public let seed: UInt64
    public private(set) var answers: [Answer] = []

    /// Picks `count` questions that pass `filter`: shuffled by `seed` (so a room with one seed
    /// gets one exam), or, for review, the questions due first.
    public init(mode: Mode, bank: [QuizQuestion], filter: Filter, count: Int?, seed: UInt64,
                progress: QuizProgress = QuizProgress(), now: Date = Date()) {
        self.mode = mode
        self.seed = seed
        let admitted = bank.filter(filter.admits)
        var chosen: [QuizQuestion]
        if mode == .review {
            chosen = progress.due(at: now, among: admitted)
        } else {
            var generator = SeededGenerator(seed: seed)
            chosen = admitted.shuffled(using: &generator)
        }
        if let count { chosen = Array(chosen.prefix(max(count, 0))) }
        questions = chosen
    }

    public var current: QuizQuestion? { answers.count < questions.count ? questions[answers.count] : nil }
    public var isFinished: Bool { current == nil }
    public var score: (right: Int, total: Int) { (answers.filter(\.correct).count, questions.count) }

    @discardableResult
    public mutating func answer(_ given: [String], seconds: Double) -> Answer? {
        guard let question = current else { return nil }
        let answer = Answer(question: question, given: given, correct: question.isCorrect(given), seconds: seconds)
        answers.append(answer)
        return answer
    }

    /// Ends early: the questions left count as unanswered, and wrong.
    public mutating func stop() {
        while let question = current {
            answers.append(Answer(question: question, given: [], correct: false, seconds: 0))
        }
    }

    /// Right and total by topic, over this session's questions.
    public var byTopic: [(topic: String, right: Int, total: Int)] {
        QuizQuestion.topics.compactMap { topic in
            let mine = answers.filter { $0.question.topics.contains(topic) }
            return mine.isEmpty ? nil : (topic, mine.filter(\.correct).count, mine.count)
        }
    }

    /// The results as JSON for an instructor: each question, the answer given, right or
    /// wrong, the time taken; the score.
    public func export(startedAt: Date) throws -> Data {
        struct Row: Encodable {
            let id: String
            let topics: [String]
            let difficulty: String
            let given: [String]
            let accepted: [String]
            let correct: Bool
            let seconds: Double
        }
        struct Export: Encodable {
            let mode: String
            let seed: UInt64
            let started: Date
            let score: Int
            let total: Int
            let byTopic: [String: [String: Int]]
            let questions: [Row]
        }
        let value = Export(
            mode: mode.rawValue, seed: seed, started: startedAt, score: score.right, total: score.total,
            byTopic: Dictionary(uniqueKeysWithValues: byTopic.map { ($0.topic, ["right": $0.right, "total": $0.total]) }),
            questions: answers.map { Row(id: $0.question.id, topics: $0.question.topics, difficulty: $0.question.difficulty.rawValue,
                                         given: $0.given, accepted: $0.question.key, correct: $0.correct,
                                         seconds: ($0.seconds * 10).rounded() / 10) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }

    /// Parses typed choice numbers ("2", "1 3", "3,1,2") into choice values of `question` as
    /// presented; nil when the input does not fit the question.
    public static func parseAnswer(_ line: String, for question: QuizQuestion, seed: UInt64) -> [String]? {
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\r" })
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == parts.count else { return nil }
        return answer(numbers, for: question, seed: seed)
    }

    /// The choice values that the numbers picked (1 for the first choice shown) stand for, or
    /// nil when they are not a whole answer to `question`: the quiz screen's picks, and what
    /// `parseAnswer` reads from a typed line.
    public static func answer(_ numbers: [Int], for question: QuizQuestion, seed: UInt64) -> [String]? {
        let presented = question.presentedChoices(seed: seed)
        guard !numbers.isEmpty,
              numbers.allSatisfy({ (1...presented.count).contains($0) }), Set(numbers).count == numbers.count else { return nil }
        switch question.kind {
        case .pick, .header, .spot: guard numbers.count == 1 else { return nil }
        case .pickAll: break
        case .order: guard numbers.count == presented.count else { return nil }
        }
        return numbers.map { presented[$0 - 1].value }
    }
}
