/// The one function that decides a status code: it walks a diagram from its start, asking
/// `answer` at each question. The flowchart screen and `flow --plain` answer interactively,
/// the mock server and the quiz key answer from facts — all through `walk`.
public enum DecisionEngine {
    /// A question and the answer taken. Two steps are the same step when they name the same
    /// question and answer; where the answer came from is annotation.
    public struct Step: Sendable, Hashable {
        public let question: String
        public let answer: String
        /// The diagram the question belongs to (empty when not known, as in a parsed header).
        public var diagram: String = ""
        /// False when the walk did not ask for this answer: a fact answered earlier on the path
        /// (a fact has one value per request), or a handoff that let the request through.
        public var given = true

        public init(question: String, answer: String) {
            self.question = question
            self.answer = answer
        }

        init(_ question: Question, _ answer: String, given: Bool) {
            self.init(question: question.id, answer: answer)
            self.diagram = question.diagram
            self.given = given
        }

        public static func == (a: Step, b: Step) -> Bool { a.question == b.question && a.answer == b.answer }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(question)
            hasher.combine(answer)
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

        /// The id of the diagram the walk stands in now: where the current question or the
        /// outcome belongs (a handoff's diagram while the walk is inside it).
        public var currentDiagram: String {
            switch self {
            case .decided(_, let outcome): outcome.diagram
            case .asking(_, let question), .invalidAnswer(_, let question, _): question.diagram
            }
        }
    }

    /// Walks `diagram`; `answer` returns the answer value for a question, or nil to stop there.
    /// A fact answered once on the path is not asked again: its answer carries. A handoff walks
    /// the diagram it names with the same `answer`; an outcome there that serves goes on along
    /// the handoff's answer, any other ends the walk. Diagrams are checked to be acyclic and
    /// handoffs never to lead back, so the walk ends.
    public static func walk(_ diagram: Diagram, answer: (Question) -> String?) -> Walk {
        var path: [Step] = []
        var known: [String: String] = [:]
        var returns: [(diagram: Diagram, handoff: Question)] = []
        var here = diagram
        var current = diagram.start
        while true {
            guard let node = here.node(current) else {
                preconditionFailure("diagram \(here.id) was validated: \(current) exists")
            }
            switch node {
            case .outcome(let outcome):
                guard outcome.serves, let back = returns.popLast() else { return .decided(path: path, outcome: outcome) }
                path.append(Step(back.handoff, Question.passed, given: false))
                here = back.diagram
                current = back.handoff.answers[0].target
            case .question(let question):
                if let handoff = question.handoff {
                    // Unlinked (a diagram made on its own): the walk cannot go on past the handoff.
                    guard let inner = here.handoffs[handoff] else { return .asking(path: path, question: question) }
                    returns.append((here, question))
                    here = inner
                    current = inner.start
                    continue
                }
                let carried = known[question.fact]
                guard let value = carried ?? answer(question) else { return .asking(path: path, question: question) }
                guard let chosen = question.answers.first(where: { $0.value == value }) else {
                    return .invalidAnswer(path: path, question: question, value: value)
                }
                known[question.fact] = value
                path.append(Step(question, value, given: carried == nil))
                current = chosen.target
            }
        }
    }

    /// Walks with a sequence of answers, in order (the interactive screens keep this list).
    public static func walk(_ diagram: Diagram, answers: [String]) -> Walk {
        var remaining = answers[...]
        return walk(diagram) { _ in remaining.popFirst() }
    }

    /// The answers a walk of `diagram` asks for to take `steps` (a path from `allPaths`, or
    /// one read from a header), in order: what an interactive screen replays. Each question is
    /// answered as the step that names it was; the walk stops where the steps say nothing.
    public static func answers(replaying steps: [Step], in diagram: Diagram) -> [String] {
        let byQuestion = Dictionary(steps.map { ($0.question, $0.answer) }, uniquingKeysWith: { first, _ in first })
        return walk(diagram) { byQuestion[$0.id] }.path.filter(\.given).map(\.answer)
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

    /// Every path from the start to an outcome, through handoffs, with facts carried as a walk
    /// carries them (diagrams are small and acyclic).
    public static func allPaths(_ diagram: Diagram) -> [(path: [Step], outcome: Outcome)] {
        var results: [(path: [Step], outcome: Outcome)] = []
        func visit(_ here: Diagram, _ id: String, _ path: [Step], _ known: [String: String], _ returns: [(Diagram, Question)]) {
            switch here.node(id) {
            case .outcome(let outcome)?:
                if outcome.serves, let (back, handoff) = returns.last {
                    visit(back, handoff.answers[0].target, path + [Step(handoff, Question.passed, given: false)], known, returns.dropLast())
                } else {
                    results.append((path, outcome))
                }
            case .question(let question)?:
                if let handoff = question.handoff {
                    if let inner = here.handoffs[handoff] { visit(inner, inner.start, path, known, returns + [(here, question)]) }
                    return
                }
                let carried = known[question.fact]
                for answer in question.answers where carried == nil || carried == answer.value {
                    var known = known
                    known[question.fact] = answer.value
                    visit(here, answer.target, path + [Step(question, answer.value, given: carried == nil)], known, returns)
                }
            case nil: break
            }
        }
        visit(diagram, diagram.start, [], [:], [])
        return results
    }

    /// The fact each step of `path` answered, by name (a handoff answers none).
    public static func facts(of path: [Step], in diagram: Diagram) -> [String: String] {
        var facts: [String: String] = [:]
        for step in path {
            if let fact = diagram.question(of: step)?.fact, !fact.isEmpty { facts[fact] = step.answer }
        }
        return facts
    }

    /// The path from the start to `outcomeID` of `diagram` itself (the first found), for
    /// opening a flowchart there.
    public static func path(to outcomeID: String, in diagram: Diagram) -> [Step]? {
        allPaths(diagram).first { $0.outcome.id == outcomeID && $0.outcome.diagram == diagram.id }?.path
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
