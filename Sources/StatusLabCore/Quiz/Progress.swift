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

/// Reads and writes `progress.json` in `$XDG_STATE_HOME/statuslab/` (else
/// `~/.local/state/statuslab/`). Writes are atomic; a file that cannot be read is moved aside,
/// never overwritten.
public struct ProgressStore: Sendable {
    public let file: URL

    public init(file: URL) { self.file = file }

    public static func standardFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base: URL
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            base = URL(fileURLWithPath: state)
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            base = URL(fileURLWithPath: home).appendingPathComponent(".local/state")
        }
        return base.appendingPathComponent("statuslab/progress.json")
    }

    /// The saved progress; a fresh one when there is none. `notice` says what happened to a
    /// file that could not be read; `canSave` is false when such a file is still in the way
    /// (it is never overwritten).
    public func load(now: Date = Date()) -> (progress: QuizProgress, notice: String?, canSave: Bool) {
        guard FileManager.default.fileExists(atPath: file.path) else { return (QuizProgress(), nil, true) }
        do {
            // A file that exists but cannot be read takes the same path as a corrupt one.
            let data = try Data(contentsOf: file)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let progress = try decoder.decode(QuizProgress.self, from: data)
            guard progress.version == QuizProgress.version else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown version \(progress.version)"))
            }
            return (progress, nil, true)
        } catch {
            let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "")
            let aside = file.deletingLastPathComponent().appendingPathComponent("progress.corrupt-\(stamp).json")
            do {
                try FileManager.default.moveItem(at: file, to: aside)
                return (QuizProgress(), "Your progress file could not be read (\(Self.reason(error))), so it was kept as \(aside.path) and a new one was started.", true)
            } catch {
                return (QuizProgress(), "Your progress file \(file.path) could not be read and could not be moved aside (\(error.localizedDescription)); it is left as it is and nothing will be saved over it.", false)
            }
        }
    }

    static func reason(_ error: Error) -> String {
        if let decoding = error as? DecodingError {
            switch decoding {
            case .dataCorrupted(let context): return context.debugDescription
            case .keyNotFound(let key, _): return "no `\(key.stringValue)`"
            case .typeMismatch(_, let context), .valueNotFound(_, let context): return context.debugDescription
            @unknown default: return "unreadable"
            }
        }
        return error.localizedDescription
    }

    /// Writes to a temporary file beside the real one, then renames it over: a crash leaves
    /// the old file or the new one, never half of one.
    public func save(_ progress: QuizProgress) throws {
        let folder = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(progress)
        let temporary = folder.appendingPathComponent(".progress-\(UUID().uuidString).tmp")
        try data.write(to: temporary)
        if rename(temporary.path, file.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(code))])
        }
    }
}
