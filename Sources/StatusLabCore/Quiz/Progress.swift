import Foundation

/// What a learner has done, kept across runs: a Leitner box per question (missed questions go
/// back to box 1 and return first), counts, and the current streak.
public struct QuizProgress: Codable, Sendable, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        public var box: Int
        public var due: Date
        public var right: Int
        public var wrong: Int
    }

    public static let version = 1
    public var version = QuizProgress.version
    public var items: [String: Item] = [:]
    public var streak = 0
    public var bestStreak = 0

    public init() {}

    /// Days until a question in each box comes back (box 1: the same session).
    public static let intervals: [Int: TimeInterval] = [1: 0, 2: 86_400, 3: 3 * 86_400, 4: 7 * 86_400, 5: 21 * 86_400]

    public mutating func record(_ id: String, correct: Bool, at now: Date) {
        var item = items[id] ?? Item(box: 1, due: now, right: 0, wrong: 0)
        if correct {
            item.right += 1
            item.box = min(item.box + 1, 5)
            streak += 1
            bestStreak = max(bestStreak, streak)
        } else {
            item.wrong += 1
            item.box = 1
            streak = 0
        }
        item.due = now.addingTimeInterval(Self.intervals[item.box] ?? 0)
        items[id] = item
    }

    /// Questions seen before whose time has come, most overdue and lowest box first.
    public func due(at now: Date, among questions: [QuizQuestion]) -> [QuizQuestion] {
        questions.filter { items[$0.id].map { $0.due <= now } ?? false }
            .sorted { a, b in
                let x = items[a.id]!, y = items[b.id]!
                return (x.box, x.due) < (y.box, y.due)
            }
    }

    /// Right and wrong answers by topic, over every question answered at least once.
    public func accuracyByTopic(_ questions: [QuizQuestion]) -> [(topic: String, right: Int, total: Int)] {
        QuizQuestion.topics.compactMap { topic in
            let answered = questions.filter { $0.topics.contains(topic) }.compactMap { items[$0.id] }
            let right = answered.reduce(0) { $0 + $1.right }
            let total = answered.reduce(0) { $0 + $1.right + $1.wrong }
            return total == 0 ? nil : (topic, right, total)
        }
    }
}

/// Reads and writes `progress.json` in the state folder (`StateFile`): atomic writes, a file
/// that cannot be read moved aside, never overwritten.
public struct ProgressStore: Sendable {
    let state: StateFile<QuizProgress>
    public var file: URL { state.file }

    public init(file: URL) {
        state = StateFile(file: file, what: "progress file") { progress in
            guard progress.version == QuizProgress.version else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown version \(progress.version)"))
            }
        }
    }

    public static func standardFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        StateFile<QuizProgress>.standardFile("progress.json", environment: environment)
    }

    /// The saved progress; a fresh one when there is none. `notice` says what happened to a
    /// file that could not be read; `canSave` is false when such a file is still in the way.
    public func load(now: Date = Date()) -> (progress: QuizProgress, notice: String?, canSave: Bool) {
        let loaded = state.load(now: now)
        return (loaded.value ?? QuizProgress(), loaded.notice, loaded.canSave)
    }

    public func save(_ progress: QuizProgress) throws { try state.save(progress) }
}
