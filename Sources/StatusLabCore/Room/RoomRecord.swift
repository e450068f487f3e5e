import Foundation

/// Everything a room knows, as it is saved (`StateFile`, atomically, as it changes): who joined,
/// what their requests solved and tried, their exams, the instructor's messages. Learners are
/// kept by their key, the secret in their personal base URL (`/l/KEY/`): only a request under
/// that URL, or a hand-in to it, changes their record.
public struct RoomRecord: Codable, Sendable, Equatable {
    public static let version = 1
    public var version = RoomRecord.version
    public var title: String
    public var joinCode: String
    public var opened: Date
    public var learners: [String: RoomLearner] = [:]
    public var messages: [RoomMessage] = []
    /// The most learners a room takes: a grid of more is no longer a view of a room.
    public static let capacity = 500

    public init(title: String, joinCode: String = RoomRecord.newJoinCode(), opened: Date = Date()) {
        self.title = title
        self.joinCode = joinCode
        self.opened = opened
    }

    /// Six digits, easy to read out and type.
    public static func newJoinCode() -> String {
        String(format: "%06d", Int.random(in: 0...999_999))
    }

    /// A learner's key: 16 characters from a 32-letter alphabet (80 bits), for a URL.
    public static func newKey() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        return String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

    /// Learners in the order they joined.
    public var roster: [RoomLearner] {
        learners.values.sorted { ($0.joined, $0.key) < ($1.joined, $1.key) }
    }

    public enum Joining: Equatable, Sendable {
        case joined(RoomLearner)
        case nameTaken
        case invalidName
        case full
    }

    /// Adds a learner under `name` (sanitized): a name already in the room is refused, so that
    /// no one can take another's record by their name.
    public mutating func join(name raw: String, key: String = RoomRecord.newKey(), at date: Date = Date()) -> Joining {
        guard let name = LearnerName.sanitized(raw) else { return .invalidName }
        guard !learners.values.contains(where: { $0.name.lowercased() == name.lowercased() }) else { return .nameTaken }
        guard learners.count < Self.capacity else { return .full }
        let learner = RoomLearner(key: key, name: name, joined: date)
        learners[key] = learner
        return .joined(learner)
    }

    /// Takes one exchange a learner's request made (its target without `/l/KEY`); returns the
    /// exercises it solved just now. The same engine as `exercise watch` (`ExerciseTracker`).
    @discardableResult
    public mutating func observe(_ entry: LabLogEntry, from key: String, exercises: [Exercise]) -> [Exercise] {
        guard var learner = learners[key] else { return [] }
        learner.firstRequest = learner.firstRequest ?? entry.date
        learner.lastRequest = max(learner.lastRequest ?? entry.date, entry.date)
        var progress = ExerciseProgress()
        progress.solved = learner.solved
        var tracker = ExerciseTracker(exercises: exercises, progress: progress, stepsMet: learner.stepsMet)
        if let current = tracker.current {
            learner.tries[current.id, default: 0] += 1
            let step = current.steps[min(tracker.stepsMet(current), current.steps.count - 1)]
            if !step.isMet(by: entry) {
                if entry.status >= 400 { learner.refused[current.id, default: 0] += 1 }
                if let miss = RoomLearner.Miss(step: step, entry: entry, exercise: current.id) { learner.misses[miss.key, default: 0] += 1 }
            }
        }
        let solved = tracker.observe([entry], at: entry.date)
        learner.solved = tracker.progress.solved
        learner.stepsMet = tracker.stepsMetByID
        if !solved.isEmpty { learner.lastSolve = entry.date }
        learners[key] = learner
        return solved
    }

    /// Keeps the learner's exam (a second hand-in replaces the first).
    public mutating func handIn(_ exam: ExamSummary.Result, from key: String) -> Bool {
        guard learners[key] != nil else { return false }
        var exam = exam
        exam.name = learners[key]?.name
        learners[key]?.exam = exam
        return true
    }

    /// A message to everyone (`to` nil) or to one learner.
    @discardableResult
    public mutating func post(_ text: String, to key: String? = nil, at date: Date = Date()) -> RoomMessage? {
        guard let text = RoomMessage.sanitized(text), key.map({ learners[$0] != nil }) ?? true else { return nil }
        let message = RoomMessage(id: (messages.last?.id ?? 0) + 1, date: date, text: text, to: key)
        messages.append(message)
        return message
    }

    /// The messages a learner sees: to everyone, and to them.
    public func messages(for key: String) -> [RoomMessage] { messages.filter { $0.to == nil || $0.to == key } }
}

/// One learner in a room.
public struct RoomLearner: Codable, Sendable, Equatable {
    public let key: String
    public let name: String
    public let joined: Date
    public var firstRequest: Date?
    public var lastRequest: Date?
    public var lastSolve: Date?
    /// Solved exercise ids and when.
    public var solved: [String: Date] = [:]
    /// How many steps of each exercise the requests so far meet.
    public var stepsMet: [String: Int] = [:]
    /// Requests sent while each exercise was the one to solve next.
    public var tries: [String: Int] = [:]
    /// Of those, the refused ones (4xx, 5xx) that met no step.
    public var refused: [String: Int] = [:]
    /// Wrong codes got where a step wanted another, by `Miss.key`.
    public var misses: [String: Int] = [:]
    public var exam: ExamSummary.Result?

    public init(key: String, name: String, joined: Date) {
        self.key = key
        self.name = name
        self.joined = joined
    }

    /// A request whose code was not the one the exercise's next step wanted, for the same kind
    /// of request (its method and target, when the step names them): the room's evidence that
    /// a learner expected one code and the server, deciding by the diagrams, gave another.
    public struct Miss: Equatable, Sendable {
        public let exercise: String
        public let wanted: Int
        public let got: Int

        init?(step: Exercise.Step, entry: LabLogEntry, exercise: String) {
            guard let wanted = step.expectations.lazy.compactMap({ if case .status(let code) = $0 { code } else { nil } }).first,
                  wanted != entry.status, (300..<500).contains(wanted), (300..<500).contains(entry.status) else { return nil }
            for expectation in step.expectations {
                switch expectation {
                case .target, .method: guard expectation.holds(for: entry) else { return nil }
                default: continue
                }
            }
            self.init(exercise: exercise, wanted: wanted, got: entry.status)
        }

        public init(exercise: String, wanted: Int, got: Int) {
            self.exercise = exercise
            self.wanted = wanted
            self.got = got
        }

        public var key: String { "\(exercise) \(wanted) \(got)" }

        public init?(key: String) {
            let parts = key.split(separator: " ")
            guard parts.count == 3, let wanted = Int(parts[1]), let got = Int(parts[2]) else { return nil }
            self.init(exercise: String(parts[0]), wanted: wanted, got: got)
        }
    }
}

/// A message from the instructor, to everyone or to one learner.
public struct RoomMessage: Codable, Sendable, Equatable {
    public let id: Int
    public let date: Date
    public let text: String
    /// The learner's key; nil for everyone.
    public let to: String?

    public static let maxLength = 500

    /// The text with control characters and escape sequences removed (it reaches learners'
    /// terminals), on one line, or nil when empty.
    static func sanitized(_ text: String) -> String? {
        LearnerName.sanitized(String(text.prefix(4 * maxLength)), maxLength: maxLength)
    }
}
