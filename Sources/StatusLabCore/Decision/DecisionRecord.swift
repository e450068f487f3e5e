/// A decision as the `StatusLab-Decision` header carries it: the diagram walked, its
/// `question=answer` steps and the outcome reached —
/// `auth: public=no > browser=no > credentials-present=no > hide-strangers=no > challenge 401`.
/// The server writes it, the Lab and the tests read it back; this is the one format.
public struct DecisionRecord: Sendable, Equatable {
    public let diagram: String
    public let steps: [DecisionEngine.Step]
    public let outcome: String
    public let status: Int

    public init(diagram: String, steps: [DecisionEngine.Step], outcome: String, status: Int) {
        self.diagram = diagram
        self.steps = steps
        self.outcome = outcome
        self.status = status
    }

    public init(diagram: Diagram, path: [DecisionEngine.Step], outcome: Outcome) {
        self.init(diagram: diagram.id, steps: path, outcome: outcome.id, status: outcome.status)
    }

    /// Reads a header value; nil for anything not of this form.
    public init?(header: String) {
        guard let colon = header.range(of: ": ") else { return nil }
        let diagram = String(header[..<colon.lowerBound])
        let parts = header[colon.upperBound...].components(separatedBy: " > ")
        guard !diagram.isEmpty, let last = parts.last else { return nil }
        let ending = last.split(separator: " ")
        guard ending.count == 2, let status = Int(ending[1]) else { return nil }
        var steps: [DecisionEngine.Step] = []
        for part in parts.dropLast() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            steps.append(DecisionEngine.Step(question: String(pair[0]), answer: String(pair[1])))
        }
        self.init(diagram: diagram, steps: steps, outcome: String(ending[0]), status: status)
    }

    public var header: String {
        diagram + ": " + (steps.map { "\($0.question)=\($0.answer)" } + ["\(outcome) \(status)"]).joined(separator: " > ")
    }

    /// Walks `diagram` with the recorded answers: the outcome they reach, if they reach one.
    public func replay(in diagram: Diagram) -> Outcome? {
        guard diagram.id == self.diagram,
              case .decided(let path, let outcome) = DecisionEngine.walk(diagram, answers: DecisionEngine.answers(replaying: steps, in: diagram)),
              path == steps else { return nil }
        return outcome
    }
}

/// The header fields StatusLab's built-in server adds for learners, named once for the server,
/// the Lab and the tests.
public enum StatusLabHeader {
    /// The decision, as `DecisionRecord.header` writes it.
    public static let decision = "StatusLab-Decision"
    /// Per-request policies the client asks for (`hide=on; login=401`, `ServerPolicy`).
    public static let policy = "StatusLab-Policy"
    /// A hint for the learner where the decision alone would puzzle.
    public static let note = "StatusLab-Note"
}

/// The built-in server's switches a request may flip, in a `StatusLab-Policy` header or the
/// query: `hide=on|off`, `login=redirect|401`, `describe=on|off`.
public enum ServerPolicy: String, CaseIterable, Sendable {
    /// Hide forbidden resources as 404.
    case hide
    /// Send a browser that is not logged in to the form, or answer 401.
    case login
    /// Say why a token was refused, in `error_description`.
    case describe

    /// The values it takes.
    public var values: [String] {
        switch self {
        case .hide: ["on", "off"]
        case .login: ["redirect", "401"]
        case .describe: ["on", "off"]
        }
    }
}
