import Foundation

/// An exercise solved by real requests to the built-in server (docs/CONTENT.md, "Exercises"):
/// a goal checked over the exchanges the server handled, hints, and an explanation.
public struct Exercise: Sendable {
    public let id: String
    public let path: String
    public let title: String
    public let order: Int
    public let goal: [Inline]
    public let hints: [[Inline]]
    public let explanation: [Inline]
    public let specs: [String]
    public let steps: [Step]
    /// What the exercise's prose says the built-in server answers (`claim:` lines).
    public var claims: [ServerClaim] = []

    /// The address the exercises are written for: the built-in server's default.
    public static let writtenFor = "http://127.0.0.1:8401"

    /// The same exercise with its goal, hints and explanation naming `base` wherever they name
    /// `writtenFor`: a hint must send the learner to the server that is listening, or its curl
    /// reaches another one and the exercise stays unsolved.
    public func at(base: String) -> Exercise {
        let base = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard base != Self.writtenFor else { return self }
        func moved(_ inlines: [Inline]) -> [Inline] {
            inlines.map { inline in
                guard case .text(let text, let style) = inline, text.contains(Self.writtenFor) else { return inline }
                return .text(text.replacingOccurrences(of: Self.writtenFor, with: base), style)
            }
        }
        var copy = Exercise(id: id, path: path, title: title, order: order, goal: moved(goal), hints: hints.map(moved),
                            explanation: moved(explanation), specs: specs, steps: steps)
        copy.claims = claims
        return copy
    }

    /// One exchange the goal needs: every expectation must hold for it.
    public struct Step: Sendable {
        public let label: String
        public let expectations: [Expectation]
        /// How the tests solve it.
        public let solution: LabRequest?
        /// `token user:password scope`: the step first gets a token from the token endpoint.
        public let tokenFor: (user: String, password: String, scope: String)?
        /// `stale-digest user:password`: Digest answered with a nonce issued long ago.
        public let staleDigest: Bool
        public let line: Int

        public init(label: String, expectations: [Expectation], solution: LabRequest?,
                    tokenFor: (user: String, password: String, scope: String)? = nil, staleDigest: Bool = false, line: Int) {
            self.label = label
            self.expectations = expectations
            self.solution = solution
            self.tokenFor = tokenFor
            self.staleDigest = staleDigest
            self.line = line
        }

        /// Whether `entry` meets every expectation of this step.
        public func isMet(by entry: LabLogEntry) -> Bool { expectations.allSatisfy { $0.holds(for: entry) } }
    }

    public enum Expectation: Sendable, Equatable {
        case status(Int)
        case statusClass(Int)
        case method(String)
        case target(String)
        case decision(diagram: String, outcome: String)
        case decisionStep(question: String, answer: String)
        case requestHeader(name: String, contains: String?)
        case responseHeader(name: String, contains: String?)
        case noRequestHeader(String)

        public func holds(for entry: LabLogEntry) -> Bool {
            switch self {
            case .status(let code): return entry.status == code
            case .statusClass(let digit): return entry.status / 100 == digit
            case .method(let method): return entry.method.uppercased() == method.uppercased()
            case .target(let pattern): return Self.glob(pattern, matches: entry.target)
            case .decision(let diagram, let outcome):
                return entry.decision.flatMap(DecisionRecord.init(header:)).map { $0.diagram == diagram && $0.outcome == outcome } ?? false
            case .decisionStep(let question, let answer):
                return entry.decision.flatMap(DecisionRecord.init(header:))?.steps
                    .contains(DecisionEngine.Step(question: question, answer: answer)) ?? false
            case .requestHeader(let name, let text): return Self.header(name, text, in: entry.requestHeaders)
            case .responseHeader(let name, let text): return Self.header(name, text, in: entry.responseHeaders)
            case .noRequestHeader(let name): return !Self.header(name, nil, in: entry.requestHeaders)
            }
        }

        static func header(_ name: String, _ text: String?, in fields: [WireResponse.Field]) -> Bool {
            fields.contains { field in
                field.name.lowercased() == name.lowercased() && (text.map { field.value.lowercased().contains($0.lowercased()) } ?? true)
            }
        }

        /// `*` matches any run of characters; everything else itself.
        static func glob(_ pattern: String, matches text: String) -> Bool {
            let parts = pattern.components(separatedBy: "*")
            guard parts.count > 1 else { return pattern == text }
            var rest = Substring(text)
            guard rest.hasPrefix(parts[0]) else { return false }
            rest = rest.dropFirst(parts[0].count)
            for (index, part) in parts.dropFirst().enumerated() {
                let last = index == parts.count - 2
                if last { return part.isEmpty || rest.hasSuffix(part) }
                guard let range = rest.range(of: part) else { return false }
                rest = rest[range.upperBound...]
            }
            return true
        }
    }

    /// Whether `entries` (oldest first) meet the steps in order, and how far they got: the
    /// number of steps met.
    public func progress(in entries: [LabLogEntry]) -> Int {
        var met = 0
        for entry in entries where met < steps.count {
            if steps[met].isMet(by: entry) { met += 1 }
        }
        return met
    }

    public func isSolved(by entries: [LabLogEntry]) -> Bool { progress(in: entries) == steps.count }
}

/// Which exercises a learner has solved, kept in the state folder.
public struct ExerciseProgress: Codable, Sendable, Equatable {
    public static let version = 1
    public var version = ExerciseProgress.version
    /// Solved exercise ids and when.
    public var solved: [String: Date] = [:]
    /// How many hints `exercise hint` has shown, by exercise id.
    public var hintsShown: [String: Int] = [:]

    public init() {}

    enum CodingKeys: String, CodingKey { case version, solved, hintsShown }

    /// A file written before hints were counted still reads.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        solved = try container.decode([String: Date].self, forKey: .solved)
        hintsShown = try container.decodeIfPresent([String: Int].self, forKey: .hintsShown) ?? [:]
    }

    /// The exercise as if never tried: not solved, no hints shown.
    public mutating func reset(_ id: String) {
        solved[id] = nil
        hintsShown[id] = nil
    }

    /// The first exercise not solved yet, in order.
    public func current(in exercises: [Exercise]) -> Exercise? { exercises.first { solved[$0.id] == nil } }

    public static func store(_ file: URL = StateFile<ExerciseProgress>.standardFile("exercises.json")) -> StateFile<ExerciseProgress> {
        StateFile(file: file, what: "exercise progress file") { progress in
            guard progress.version == Self.version else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown version \(progress.version)"))
            }
        }
    }
}

/// Follows the server's exchanges and says which exercises they solve: the one engine behind
/// `exercise watch`, the Exercises screen and the room. It keeps, for each exercise, how many of
/// its steps the exchanges so far meet in order, and moves that on with each new exchange: the
/// same answer as `Exercise.progress` over every exchange since watching began, at a few bytes
/// per exercise (a room keeps one per learner).
public struct ExerciseTracker: Sendable {
    public let exercises: [Exercise]
    public private(set) var progress: ExerciseProgress
    /// Steps met so far, by exercise id (absent: none).
    public private(set) var stepsMetByID: [String: Int]

    public init(exercises: [Exercise], progress: ExerciseProgress, stepsMet: [String: Int] = [:]) {
        self.exercises = exercises
        self.progress = progress
        self.stepsMetByID = stepsMet
    }

    /// Takes new exchanges, oldest first; returns the exercises they solved just now, in order.
    public mutating func observe(_ entries: [LabLogEntry], at date: Date = Date()) -> [Exercise] {
        var solved: [Exercise] = []
        for entry in entries {
            for exercise in exercises where progress.solved[exercise.id] == nil {
                let met = stepsMetByID[exercise.id] ?? 0
                guard met < exercise.steps.count, exercise.steps[met].isMet(by: entry) else { continue }
                stepsMetByID[exercise.id] = met + 1
                if met + 1 == exercise.steps.count {
                    progress.solved[exercise.id] = date
                    solved.append(exercise)
                }
            }
        }
        return solved
    }

    /// How many steps of `exercise` the exchanges so far meet.
    public func stepsMet(_ exercise: Exercise) -> Int { stepsMetByID[exercise.id] ?? 0 }

    public var current: Exercise? { progress.current(in: exercises) }
    public var solvedCount: Int { exercises.filter { progress.solved[$0.id] != nil }.count }
}
