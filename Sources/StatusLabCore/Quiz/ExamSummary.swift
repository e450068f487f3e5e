import Foundation

/// A room's exams, put together for the instructor: per question (how many got it right, the
/// wrong answer most given) and per topic, from the JSON files `quiz --exam --export` writes.
public struct ExamSummary: Sendable {
    /// One exported exam, as `QuizSession.export` writes it.
    public struct Result: Codable, Sendable, Equatable {
        public struct Row: Codable, Sendable, Equatable {
            public let id: String
            public let topics: [String]
            public let difficulty: String
            public let given: [String]
            public let accepted: [String]
            public let correct: Bool
            public let seconds: Double
        }
        public let mode: String
        public let seed: UInt64
        public let score: Int
        public let total: Int
        public let questions: [Row]
        /// The learner's name, in a room's export (`room export`); absent from a learner's own.
        public var name: String?
    }

    public struct Question: Sendable, Equatable {
        public let id: String
        public let topics: [String]
        public let right: Int
        public let asked: Int
        /// The wrong answer given most often, and how often.
        public let commonWrong: (answer: String, count: Int)?
        public let medianSeconds: Double

        public static func == (a: Question, b: Question) -> Bool {
            a.id == b.id && a.right == b.right && a.asked == b.asked && a.commonWrong?.answer == b.commonWrong?.answer
        }
    }

    public let results: Int
    public let seeds: [UInt64]
    public let scores: [(score: Int, total: Int)]
    public let questions: [Question]
    public let topics: [(topic: String, right: Int, asked: Int)]

    /// Reads one exported file: one exam (`quiz --exam --export`), or a room's array of them
    /// (`room export`); the error says what is wrong with it.
    public static func read(_ data: Data) throws -> [Result] {
        let trimmed = data.drop { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
        let results = trimmed.first == UInt8(ascii: "[") ? try JSONDecoder().decode([Result].self, from: data)
                                                          : [try JSONDecoder().decode(Result.self, from: data)]
        for result in results where result.mode != "exam" {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "mode is `\(result.mode)`, not an exam"))
        }
        return results
    }

    public init(_ results: [Result]) {
        self.results = results.count
        seeds = Array(Set(results.map(\.seed))).sorted()
        scores = results.map { ($0.score, $0.total) }
        let rows = results.flatMap(\.questions)
        var order: [String] = []
        var byID: [String: [Result.Row]] = [:]
        for row in rows {
            if byID[row.id] == nil { order.append(row.id) }
            byID[row.id, default: []].append(row)
        }
        var summaries: [Question] = []
        for id in order {
            let answers = byID[id]!
            var wrongCounts: [String: Int] = [:]
            for answer in answers where !answer.correct { wrongCounts[answer.given.joined(separator: " "), default: 0] += 1 }
            let commonWrong = wrongCounts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }
            let seconds = answers.map(\.seconds).sorted()
            summaries.append(Question(id: id, topics: answers[0].topics, right: answers.filter(\.correct).count, asked: answers.count,
                                      commonWrong: commonWrong.map { (answer: $0.key, count: $0.value) },
                                      medianSeconds: seconds.isEmpty ? 0 : seconds[seconds.count / 2]))
        }
        // Hardest first: the lowest share right, then the most asked.
        questions = summaries.sorted { a, b in
            let shareA = Double(a.right) / Double(max(a.asked, 1))
            let shareB = Double(b.right) / Double(max(b.asked, 1))
            if shareA != shareB { return shareA < shareB }
            if a.asked != b.asked { return a.asked > b.asked }
            return a.id < b.id
        }
        var topicCounts: [String: (Int, Int)] = [:]
        for row in rows {
            for topic in row.topics {
                let (right, asked) = topicCounts[topic] ?? (0, 0)
                topicCounts[topic] = (right + (row.correct ? 1 : 0), asked + 1)
            }
        }
        topics = QuizQuestion.topics.compactMap { topic in topicCounts[topic].map { (topic, $0.0, $0.1) } }
    }

    /// The summary as the command prints it.
    public var text: String {
        var lines: [String] = []
        let total = scores.reduce(0) { $0 + $1.score }, possible = scores.reduce(0) { $0 + $1.total }
        lines.append("\(results) exam\(results == 1 ? "" : "s"); \(total) of \(possible) answers right (\(percent(total, possible)))")
        if seeds.count > 1 {
            lines.append("note: the exams used \(seeds.count) different seeds (\(seeds.map(String.init).joined(separator: ", "))), so not everyone had the same questions")
        }
        lines.append("")
        lines.append("By question, hardest first:")
        for question in questions {
            var line = "  \(question.id)  \(question.right)/\(question.asked) right (\(percent(question.right, question.asked)))"
            if let wrong = question.commonWrong { line += "; most given wrong answer: \(wrong.answer) (\(wrong.count))" }
            lines.append(line)
        }
        lines.append("")
        lines.append("By topic:")
        for topic in topics { lines.append("  \(topic.topic)  \(topic.right)/\(topic.asked) (\(percent(topic.right, topic.asked)))") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary as JSON (`quiz summarize --format json`, a room's `room-summary.json`).
    public func json() throws -> Data {
        struct Wrong: Encodable { let answer: String; let count: Int }
        struct QuestionRow: Encodable {
            let id: String, topics: [String], right: Int, asked: Int, mostGivenWrong: Wrong?, medianSeconds: Double
        }
        struct TopicRow: Encodable { let topic: String, right: Int, asked: Int }
        struct Summary: Encodable {
            let exams: Int, seeds: [UInt64], right: Int, answered: Int, questions: [QuestionRow], topics: [TopicRow]
        }
        let summary = Summary(exams: results, seeds: seeds, right: scores.reduce(0) { $0 + $1.score }, answered: scores.reduce(0) { $0 + $1.total },
                              questions: questions.map { question in
                                  QuestionRow(id: question.id, topics: question.topics, right: question.right, asked: question.asked,
                                              mostGivenWrong: question.commonWrong.map { Wrong(answer: $0.answer, count: $0.count) },
                                              medianSeconds: question.medianSeconds)
                              },
                              topics: topics.map { TopicRow(topic: $0.topic, right: $0.right, asked: $0.asked) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(summary)
    }

    private func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "—" : "\(Int((Double(part) / Double(whole) * 100).rounded()))%"
    }
}
