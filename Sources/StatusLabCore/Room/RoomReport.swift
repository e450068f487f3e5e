import Foundation

/// What the instructor reads from a room's record: the grid, who is stuck, the misconceptions
/// the room shares, and the exports (a gradebook CSV, the exams for `quiz summarize`).
public struct RoomReport: Sendable {
    public let record: RoomRecord
    public let exercises: [Exercise]
    public let questions: [QuizQuestion]
    public let rules: StuckRules

    /// When a learner counts as stuck (`room --stuck-minutes`, `--stuck-tries`).
    public struct StuckRules: Sendable, Equatable {
        public var minutes: Double
        public var refusedTries: Int
        public init(minutes: Double = 10, refusedTries: Int = 5) {
            self.minutes = minutes
            self.refusedTries = refusedTries
        }
    }

    public init(record: RoomRecord, exercises: [Exercise], questions: [QuizQuestion] = [], rules: StuckRules = StuckRules()) {
        self.record = record
        self.exercises = exercises
        self.questions = questions
        self.rules = rules
    }

    public enum Cell: Sendable, Equatable { case solved, tried, open }

    public struct Row: Sendable, Equatable {
        public let key: String
        public let name: String
        public let cells: [Cell]
        public let solved: Int
        public let lastRequest: Date?
        /// Why the learner is stuck, or nil.
        public let stuck: String?
        public let exam: (score: Int, total: Int)?

        public static func == (a: Row, b: Row) -> Bool {
            a.key == b.key && a.cells == b.cells && a.lastRequest == b.lastRequest && a.stuck == b.stuck
                && a.exam?.score == b.exam?.score && a.exam?.total == b.exam?.total
        }
    }

    public enum Order: Sendable, Equatable { case progress, name }

    /// A row per learner: by progress (most solved first, then the name), or by name.
    public func rows(by order: Order, now: Date = Date()) -> [Row] {
        let rows = record.learners.values.map { row($0, now: now) }
        return rows.sorted { a, b in
            let byName = (a.name.lowercased(), a.key) < (b.name.lowercased(), b.key)
            switch order {
            case .name: return byName
            case .progress: return a.solved != b.solved ? a.solved > b.solved : byName
            }
        }
    }

    func row(_ learner: RoomLearner, now: Date) -> Row {
        let cells: [Cell] = exercises.map { exercise in
            learner.solved[exercise.id] != nil ? .solved
                : (learner.tries[exercise.id] ?? 0) > 0 || (learner.stepsMet[exercise.id] ?? 0) > 0 ? .tried : .open
        }
        return Row(key: learner.key, name: learner.name, cells: cells, solved: cells.filter { $0 == .solved }.count,
                   lastRequest: learner.lastRequest, stuck: stuck(learner, now: now), exam: learner.exam.map { ($0.score, $0.total) })
    }

    /// Stuck: `refusedTries` refused requests at the exercise to solve next, or no solve for
    /// `minutes` while still sending requests (one in the last `minutes`).
    public func stuck(_ learner: RoomLearner, now: Date) -> String? {
        guard let current = exercises.first(where: { learner.solved[$0.id] == nil }) else { return nil }
        let refused = learner.refused[current.id] ?? 0
        if refused >= rules.refusedTries { return "\(refused) refused tries at “\(current.title)”" }
        let window = rules.minutes * 60
        guard let last = learner.lastRequest, now.timeIntervalSince(last) < window else { return nil }
        let since = learner.lastSolve ?? learner.joined
        let idle = now.timeIntervalSince(since)
        guard idle >= window else { return nil }
        return "no solve for \(Int(idle / 60)) min" + (learner.lastSolve == nil ? " since joining" : "")
    }

    /// One wrong code the room gave for one situation, and how many learners gave it.
    public struct Misconception: Sendable, Equatable {
        public enum Source: Sendable, Equatable { case exercise, exam }
        public let source: Source
        /// The exercise's title, or the exam question's scenario (its first sentence).
        public let situation: String
        public let wrong: String
        public let right: String
        public let learners: Int
        /// The reference page to put on the projector: the right code's (its page id).
        public let page: String?

        /// `403 for “Expired token” (401 wanted): 7 learners`.
        public var line: String {
            "\(wrong) for “\(situation)” (\(right) is right): \(learners) learner\(learners == 1 ? "" : "s")"
        }
    }

    /// The room's misconceptions, the most shared first: from exercise tries (the code a
    /// request got where the step wanted another) and from exam answers.
    public func misconceptions() -> [Misconception] {
        var fromExercises: [String: Set<String>] = [:]
        for learner in record.learners.values {
            for key in learner.misses.keys { fromExercises[key, default: []].insert(learner.key) }
        }
        var found: [Misconception] = fromExercises.compactMap { key, learners in
            guard let miss = RoomLearner.Miss(key: key), let exercise = exercises.first(where: { $0.id == miss.exercise }) else { return nil }
            return Misconception(source: .exercise, situation: exercise.title, wrong: String(miss.got), right: String(miss.wanted),
                                 learners: learners.count, page: String(miss.wanted))
        }
        var fromExams: [String: (row: ExamSummary.Result.Row, learners: Set<String>)] = [:]
        for learner in record.learners.values {
            for row in learner.exam?.questions ?? [] where !row.correct && !row.given.isEmpty {
                let key = row.id + "\u{0}" + row.given.joined(separator: " ")
                fromExams[key, default: (row, [])].learners.insert(learner.key)
            }
        }
        for (_, value) in fromExams {
            let question = questions.first { $0.id == value.row.id }
            let situation = question.map { Self.firstSentence($0.scenario.plainText) } ?? value.row.id
            let right = value.row.accepted.joined(separator: " or ")
            let page = question?.modelStatus.map(String.init) ?? value.row.accepted.first.flatMap(Int.init).map(String.init)
            found.append(Misconception(source: .exam, situation: situation, wrong: value.row.given.joined(separator: " "), right: right,
                                       learners: value.learners.count, page: page))
        }
        return found.sorted { a, b in
            a.learners != b.learners ? a.learners > b.learners : (a.situation, a.wrong) < (b.situation, b.wrong)
        }
    }

    static func firstSentence(_ text: String, limit: Int = 70) -> String {
        let sentence = text.split(separator: ".", maxSplits: 1).first.map(String.init) ?? text
        let trimmed = sentence.trimmingCharacters(in: .whitespaces)
        return trimmed.count > limit ? String(trimmed.prefix(limit - 1)) + "…" : trimmed
    }

    /// The gradebook: a row per learner, by name (RFC 4180; a cell a spreadsheet would take
    /// for a formula is quoted and starts with `'`).
    public func csv() -> String {
        var lines = ["name,exercises_solved,exercises_total,exam_score,exam_total,minutes_active,joined,last_request"]
        let stamp = ISO8601DateFormatter()
        for learner in record.learners.values.sorted(by: { ($0.name.lowercased(), $0.key) < ($1.name.lowercased(), $1.key) }) {
            let solved = exercises.filter { learner.solved[$0.id] != nil }.count
            let minutes = learner.firstRequest.flatMap { first in
                learner.lastRequest.map { String(Int(($0.timeIntervalSince(first) / 60).rounded())) }
            } ?? "0"
            let cells = [Self.csvCell(learner.name), String(solved), String(exercises.count),
                         learner.exam.map { String($0.score) } ?? "", learner.exam.map { String($0.total) } ?? "",
                         minutes, stamp.string(from: learner.joined), learner.lastRequest.map(stamp.string) ?? ""]
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func csvCell(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { ",\"\r\n'".contains($0) }) || text.first == " " || text.last == " " else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Writes the export, each file atomically: the gradebook, the exams (which `quiz summarize`
    /// reads) and their summary (what `quiz summarize --format json` prints of them).
    public func export(csv: URL, exams: URL, summary: URL) throws {
        try Data(self.csv().utf8).write(to: csv, options: .atomic)
        try examsJSON().write(to: exams, options: .atomic)
        try ExamSummary(record.learners.values.compactMap(\.exam)).json().write(to: summary, options: .atomic)
    }

    /// Every exam handed in, as one JSON array `quiz summarize` reads (each with the learner's name).
    public func examsJSON() throws -> Data {
        let exams = record.learners.values.sorted { ($0.name.lowercased(), $0.key) < ($1.name.lowercased(), $1.key) }.compactMap(\.exam)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(exams)
    }
}
