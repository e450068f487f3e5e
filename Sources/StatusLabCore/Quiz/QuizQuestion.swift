/// One question of the quiz bank (`content/quiz/*.quiz`).
public struct QuizQuestion: Sendable, Identifiable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Choose one; any accepted answer is right.
        case pick
        /// Choose every defensible answer: right only when exactly the accepted set is chosen.
        case pickAll = "pick-all"
        /// Which header must go with this response.
        case header
        /// What is wrong in a raw message.
        case spot
        /// Put the steps in order.
        case order

        /// Several choices are given at once.
        public var takesSeveral: Bool { self == .pickAll || self == .order }
    }

    public enum Difficulty: String, Sendable, CaseIterable, Comparable {
        case easy, medium, hard
        public static func < (a: Difficulty, b: Difficulty) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public static let topics = ["authn-vs-authz", "hiding", "malformed", "tokens", "browser-login",
                                "redirects", "headers", "general", "spec-history"]

    public struct Choice: Sendable, Equatable {
        public let value: String
        public let label: String
    }

    public struct Accepted: Sendable {
        public let value: String
        public let reason: [Inline]
    }

    public let id: String
    public let path: String
    public let line: Int
    public let kind: Kind
    public let topics: [String]
    public let difficulty: Difficulty
    public let scenario: [Inline]
    /// A raw request or response, shown as written.
    public let wire: [String]
    /// What is offered. For `order`, in the correct order (shown shuffled).
    public let choices: [Choice]
    public let accepted: [Accepted]
    public let explanation: [Inline]
    public let specs: [String]
    /// The diagram and facts the scenario states, when it can be stated that way.
    public let diagram: String?
    public let facts: [String: String]
    /// The status the diagram decides for `facts`, set by the content check.
    public let modelStatus: Int?

    /// The accepted answer values; for `order`, the steps in their right order.
    public var key: [String] { kind == .order ? choices.map(\.value) : accepted.map(\.value) }

    /// Whether `given` (choice values, in the order given) is right.
    public func isCorrect(_ given: [String]) -> Bool {
        switch kind {
        case .pick, .header, .spot: given.count == 1 && key.contains(given[0])
        case .pickAll: Set(given) == Set(key) && given.count == key.count
        case .order: given == key
        }
    }

    /// The choices in the order they are shown for a quiz run with `seed`. Status codes stay
    /// in the order written (by number: finding 403 among codes should not be a search);
    /// sentences and header names are shuffled by the seed and the question's id, so that the
    /// right answer sits in no favourite place and a room with one seed sees one order;
    /// `order` steps are shuffled by the id alone, never into the right order.
    public func presentedChoices(seed: UInt64) -> [Choice] {
        let idHash = id.utf8.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 }
        switch kind {
        case .order:
            var generator = SeededGenerator(seed: idHash)
            var shuffled = choices
            repeat { shuffled.shuffle(using: &generator) } while shuffled == choices && choices.count > 1
            return shuffled
        case .pick, .pickAll, .header, .spot:
            guard !choicesAreCodes else { return choices }
            var generator = SeededGenerator(seed: idHash ^ (seed &* 0x9E37_79B9_7F4A_7C15))
            return choices.shuffled(using: &generator)
        }
    }

    /// Whether every choice is a status code (`401`), shown in the order written.
    public var choicesAreCodes: Bool { choices.allSatisfy { Int($0.value) != nil && $0.value.count == 3 } }

    /// The code whose reference page goes with the answer: the model's decision where the
    /// question states facts, else the first status code among the accepted answers.
    public var referenceCode: Int? {
        modelStatus ?? key.lazy.compactMap(Int.init).first { StatusRegistry.lookup($0) != nil }
    }

    /// The page the question is about: its code's, or else the first page the explanation or
    /// the accepted answers link to (a header, a scheme), so `r` always leads somewhere.
    public var referencePage: String? {
        if let code = referenceCode { return String(code) }
        let links = (explanation + accepted.flatMap(\.reason)).compactMap { inline -> String? in
            if case .link(let target, _) = inline, !target.hasPrefix("diagram:") { return target }
            return nil
        }
        return links.first
    }
}

/// SplitMix64: the same seed gives the same sequence on every machine, so a whole room can get
/// the same exam.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
