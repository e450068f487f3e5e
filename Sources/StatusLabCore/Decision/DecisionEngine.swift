/// The one function that decides a status code: it walks a diagram from its start, asking
/// `answer` at each question. The flowchart screen and `flow --plain` answer interactively,
/// the mock server and the quiz key answer from facts — all through `walk`.
public enum DecisionEngine {
    public struct Step: Sendable, Hashable {
        public let question: String
        public let answer: String

        public init(question: String, answer: String) {
            self.question = question
            self.answer = answer
        }
    }

    public enum Walk: Sendable {
        /// An outcome was reached.
        case decided(path: [Step], outcome: Outcome)
        /// `question` is waiting for an answer.
        case asking(path: [Step], question: Question)
        /// `value` is not one of `question`'s answers.
        case invalidAnswer(path: [Step], question: Question, value: String)

        public var path: [Step] {
            switch self {
            case .decided(let path, _), .asking(let path, _), .invalidAnswer(let path, _, _): path
            }
        }
    }

    /// Walks `diagram`; `answer` returns the answer value for a question, or nil to stop there.
    /// Diagrams are checked to be acyclic, so the walk ends.
    public static func walk(_ diagram: Diagram, answer: (Question) -> String?) -> Walk {
        var path: [Step] = []
        var current = diagram.start
        while true {
            guard let node = diagram.node(current) else {
                preconditionFailure("diagram \(diagram.id) was validated: \(current) exists")
            }
            switch node {
            case .outcome(let outcome):
                return .decided(path: path, outcome: outcome)
            case .question(let question):
                guard let value = answer(question) else { return .asking(path: path, question: question) }
                guard let chosen = question.answers.first(where: { $0.value == value }) else {
                    return .invalidAnswer(path: path, question: question, value: value)
                }
                path.append(Step(question: question.id, answer: value))
                current = chosen.target
            }
        }
    }

    /// Walks with a sequence of answers, in order (the interactive screens keep this list).
    public static func walk(_ diagram: Diagram, answers: [String]) -> Walk {
        var remaining = answers[...]
        return walk(diagram) { _ in remaining.popFirst() }
    }

    public struct MissingFact: Error, CustomStringConvertible {
        public let fact: String
        public let question: Question
        public var description: String { "no value for the fact `\(fact)` (asked by question `\(question.id)`)" }
    }

    public struct InvalidFact: Error, CustomStringConvertible {
        public let fact: String
        public let value: String
        public let allowed: [String]
        public var description: String {
            "`\(value)` is not a value of the fact `\(fact)` (one of: \(allowed.joined(separator: ", ")))"
        }
    }

    /// Decides from facts about a request (`resource-exists` → `yes`, …). Only the facts on the
    /// path taken are needed.
    public static func decide(_ diagram: Diagram, facts: [String: String]) throws -> (path: [Step], outcome: Outcome) {
        try decide(diagram) { facts[$0] }
    }

    /// Decides with `fact` giving each fact's value by name (nil: unknown), for callers that
    /// keep their facts in something faster than a dictionary.
    public static func decide(_ diagram: Diagram, fact: (String) -> String?) throws -> (path: [Step], outcome: Outcome) {
        switch walk(diagram, answer: { fact($0.fact) }) {
        case .decided(let path, let outcome):
            return (path, outcome)
        case .asking(_, let question):
            throw MissingFact(fact: question.fact, question: question)
        case .invalidAnswer(_, let question, let value):
            throw InvalidFact(fact: question.fact, value: value, allowed: question.answers.map(\.value))
        }
    }

    /// Every path from the start to an outcome (diagrams are small and acyclic).
    public static func allPaths(_ diagram: Diagram) -> [(path: [Step], outcome: Outcome)] {
        var results: [(path: [Step], outcome: Outcome)] = []
        func visit(_ id: String, _ path: [Step]) {
            switch diagram.node(id) {
            case .outcome(let outcome)?: results.append((path, outcome))
            case .question(let question)?:
                for answer in question.answers { visit(answer.target, path + [Step(question: question.id, answer: answer.value)]) }
            case nil: break
            }
        }
        visit(diagram.start, [])
        return results
    }

    /// The path from the start to `outcomeID` (the first found), for opening a flowchart there.
    public static func path(to outcomeID: String, in diagram: Diagram) -> [Step]? {
        allPaths(diagram).first { $0.outcome.id == outcomeID }?.path
    }

    /// `question=answer` pairs joined by `>`: the form the server's path header will use.
    public static func describe(_ path: [Step], outcome: Outcome) -> String {
        (path.map { "\($0.question)=\($0.answer)" } + ["\(outcome.id) \(outcome.status)"]).joined(separator: " > ")
    }
}

/// Links from reference pages into a diagram, opened at one of its outcomes:
/// `diagram:auth/challenge`.
public enum DiagramLink {
    public static func target(diagram: String, outcome: String) -> String { "diagram:\(diagram)/\(outcome)" }

    public static func parse(_ target: String) -> (diagram: String, outcome: String)? {
        guard target.hasPrefix("diagram:") else { return nil }
        let parts = target.dropFirst("diagram:".count).split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
