/// A decision diagram: the questions a server answers before it picks a status code, and the
/// outcomes they lead to. Data from `content/diagrams/`; walked by `DecisionEngine`.
public struct Diagram: Sendable {
    public let id: String
    public let path: String
    public let title: String
    public let summary: String
    public let start: String
    /// Defaults for `{placeholders}` in header templates.
    public let variables: [String: String]
    /// Questions and outcomes, in file order.
    public let nodes: [Node]
    private let index: [String: Int]
    /// The diagrams this one hands over to (`handoff:`), by id: filled in by `Diagram.link`
    /// once every diagram is parsed.
    public internal(set) var handoffs: [String: Diagram] = [:]

    init(id: String, path: String, title: String, summary: String, start: String, variables: [String: String], nodes: [Node]) {
        self.id = id
        self.path = path
        self.title = title
        self.summary = summary
        self.start = start
        self.variables = variables
        self.nodes = nodes
        var index: [String: Int] = [:]
        for (offset, node) in nodes.enumerated() where index[node.id] == nil { index[node.id] = offset }
        self.index = index
    }

    public func node(_ id: String) -> Node? { index[id].map { nodes[$0] } }

    public func question(_ id: String) -> Question? {
        if case .question(let q)? = node(id) { return q }
        return nil
    }

    public func outcome(_ id: String) -> Outcome? {
        if case .outcome(let o)? = node(id) { return o }
        return nil
    }

    public var questions: [Question] { nodes.compactMap { if case .question(let q) = $0 { q } else { nil } } }

    /// Each diagram with the diagrams it hands over to filled in (those, with theirs). A handoff
    /// to a diagram that is missing, or back to one already on the way, is left out: the
    /// content check reports both (`ContentChecks`).
    public static func link(_ diagrams: [Diagram]) -> [Diagram] {
        let byID = Dictionary(diagrams.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func linked(_ diagram: Diagram, _ seen: Set<String>) -> Diagram {
            var diagram = diagram
            for target in Set(diagram.questions.compactMap(\.handoff)) where !seen.contains(target) {
                if let other = byID[target] { diagram.handoffs[target] = linked(other, seen.union([diagram.id])) }
            }
            return diagram
        }
        return diagrams.map { linked($0, [$0.id]) }
    }

    /// This diagram, or the one it hands over to named `id`: where a step or an outcome of a
    /// walk of this diagram belongs.
    public func part(_ id: String) -> Diagram { withHandoffs.first { $0.id == id } ?? self }

    /// The question a step of a walk of this diagram names, in whichever part it was asked.
    public func question(of step: DecisionEngine.Step) -> Question? { part(step.diagram).question(step.question) }

    /// This diagram and every diagram it hands over to, directly or not, each once.
    public var withHandoffs: [Diagram] {
        var all: [Diagram] = [self]
        var index = 0
        while index < all.count {
            for (id, other) in all[index].handoffs.sorted(by: { $0.key < $1.key }) where !all.contains(where: { $0.id == id }) { all.append(other) }
            index += 1
        }
        return all
    }
    public var outcomes: [Outcome] { nodes.compactMap { if case .outcome(let o) = $0 { o } else { nil } } }

    public enum Node: Sendable {
        case question(Question)
        case outcome(Outcome)

        public var id: String {
            switch self {
            case .question(let q): q.id
            case .outcome(let o): o.id
            }
        }

        public var line: Int {
            switch self {
            case .question(let q): q.line
            case .outcome(let o): o.line
            }
        }
    }
}

public struct Question: Sendable {
    public let id: String
    /// The named fact about a request this question asks, e.g. `credentials-present`; empty
    /// for a handoff.
    public let fact: String
    public let ask: String
    public let help: [Inline]
    public let short: String
    public let answers: [Answer]
    public let line: Int
    /// The id of the diagram the question belongs to.
    public var diagram: String = ""
    /// For a handoff (`handoff: access` with `diagram: auth`): the diagram that decides here.
    /// The walk goes through it; an outcome that serves goes on along the one answer
    /// (`Question.passed`), any other outcome is the decision.
    public var handoff: String? = nil

    /// The answer value a walk records when a handoff lets the request through.
    public static let passed = "let-in"

    /// True for a yes/no question (answered `y`/`n`), false for named choices.
    public var isYesNo: Bool { answers.map(\.value) == ["yes", "no"] }
}

public struct Answer: Sendable, Equatable {
    /// `yes`, `no`, or the choice's value: what a fact's value is compared with.
    public let value: String
    public let label: String
    public let target: String
    public let line: Int
}

public struct Outcome: Sendable {
    public let id: String
    /// The id of the diagram the outcome belongs to.
    public var diagram: String = ""
    public let status: Int
    public let label: String
    public let why: [Inline]
    public let specs: [String]
    /// `header:` (must carry) and `may-header:` (may carry) lines, parsed once.
    public let headers: [HeaderTemplate]
    public let alternatives: [Alternative]
    /// `serves: yes`: the request goes on to be served (a success), rather than being refused
    /// or sent elsewhere. What a server does next depends on this, never on the status number.
    public let serves: Bool
    public let line: Int

    public init(id: String, status: Int, label: String, why: [Inline], specs: [String], headers: [HeaderTemplate],
                alternatives: [Alternative], serves: Bool, line: Int, diagram: String = "") {
        self.id = id
        self.diagram = diagram
        self.status = status
        self.label = label
        self.why = why
        self.specs = specs
        self.headers = headers
        self.alternatives = alternatives
        self.serves = serves
        self.line = line
    }

    /// The status line as it appears on the wire: `HTTP/1.1 401 Unauthorized`.
    public var statusLine: String { "HTTP/1.1 \(StatusRegistry.statusText(status))" }

    /// The header fields with placeholders filled from `values` (the diagram's defaults, or a
    /// server's own), each challenge adapted to the scheme it names (`HeaderTemplate.challenge`).
    public func filledFields(_ values: [String: String]) -> [HeaderField] {
        headers.compactMap { template in
            var value = DiagramTemplate.fill(template.value, values)
            if HeaderTemplate.isChallenge(template.name) {
                // Outside a 401 only Bearer has something to say in a challenge (its error
                // codes, RFC 6750 §3.1); Basic and Digest get none on a 400 or 403.
                if !template.required, status != 401, status != 407, !HeaderTemplate.isBearer(value) { return nil }
                value = HeaderTemplate.challenge(value)
            }
            return HeaderField(name: template.name, value: value, required: template.required)
        }
    }

    /// `Name: value` lines, filled as `filledFields` does.
    public func filledHeaders(_ values: [String: String]) -> [String] {
        filledFields(values).map { "\($0.name): \($0.value)" }
    }

    /// The names of the headers the outcome must carry.
    public var headerNames: [String] { headers.filter(\.required).map(\.name) }
}

/// One header line of an outcome: `header: Name: value` or `may-header: Name: value`.
public struct HeaderTemplate: Sendable, Equatable {
    public let name: String
    /// The value, with `{placeholders}`.
    public let value: String
    /// True for `header:` (RFC MUST, or what the lesson cannot do without), false for
    /// `may-header:` (allowed or recommended, such as Retry-After on 429 and 503).
    public let required: Bool

    public init(name: String, value: String, required: Bool) {
        self.name = name
        self.value = value
        self.required = required
    }

    /// `Name: value` split at the first colon; nil when there is none.
    public static func parse(_ line: String, required: Bool) -> HeaderTemplate? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        return HeaderTemplate(name: String(line[..<colon]).trimmingCharacters(in: " "),
                              value: String(line[line.index(after: colon)...]).trimmingCharacters(in: " "), required: required)
    }

    public static func isChallenge(_ name: String) -> Bool {
        name.lowercased() == "www-authenticate" || name.lowercased() == "proxy-authenticate"
    }

    /// Auth-params that only Bearer defines (RFC 6750 §3): `error`, `error_description`,
    /// `error_uri` and `scope`.
    static let bearerOnly: Set<String> = ["error", "error_description", "error_uri", "scope"]

    static func isBearer(_ challenge: String) -> Bool {
        AuthParameters.split(challenge).scheme?.lowercased() == "bearer"
    }

    /// A challenge as it must be for the scheme it names: Bearer keeps every parameter; Basic,
    /// Digest and any other scheme lose Bearer's error parameters (RFC 7617 and RFC 7616
    /// define none), so a malformed Basic header gets a plain Basic challenge.
    public static func challenge(_ value: String) -> String {
        let parameters = AuthParameters.split(value)
        guard let scheme = parameters.scheme, scheme.lowercased() != "bearer" else { return value }
        let kept = parameters.parameters.filter { !bearerOnly.contains($0.name.lowercased()) }
        return AuthParameters(scheme: scheme, parameters: kept).text
    }
}

/// A challenge split into its scheme and its `name=value` parameters (values as written,
/// quotes included), so that parameters are never split inside a quoted string.
public struct AuthParameters: Sendable, Equatable {
    public var scheme: String?
    public var parameters: [(name: String, value: String)]

    public init(scheme: String?, parameters: [(name: String, value: String)]) {
        self.scheme = scheme
        self.parameters = parameters
    }

    public static func == (a: AuthParameters, b: AuthParameters) -> Bool {
        a.scheme == b.scheme && a.parameters.map(\.name) == b.parameters.map(\.name) && a.parameters.map(\.value) == b.parameters.map(\.value)
    }

    /// `Bearer realm="a, b", error="x"` → scheme `Bearer`, parameters realm and error.
    public static func split(_ text: String) -> AuthParameters {
        let trimmed = text.trimmingCharacters(in: " ")
        let space = trimmed.firstIndex(of: " ")
        let scheme = String(trimmed[..<(space ?? trimmed.endIndex)])
        var rest = space.map { trimmed[$0...] } ?? ""
        var parameters: [(name: String, value: String)] = []
        while true {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let name = String(rest[..<equals]).trimmingCharacters(in: " ")
            var index = rest.index(after: equals)
            if index < rest.endIndex, rest[index] == "\"" {
                index = rest.index(after: index)
                while index < rest.endIndex, rest[index] != "\"" {
                    if rest[index] == "\\" { index = rest.index(after: index) }
                    if index < rest.endIndex { index = rest.index(after: index) }
                }
                if index < rest.endIndex { index = rest.index(after: index) }
            } else {
                while index < rest.endIndex, rest[index] != "," { index = rest.index(after: index) }
            }
            parameters.append((name, String(rest[rest.index(after: equals)..<index]).trimmingCharacters(in: " ")))
            rest = rest[index...]
        }
        return AuthParameters(scheme: scheme.isEmpty ? nil : scheme, parameters: parameters)
    }

    /// A parameter's value as meant: a quoted-string without its quotes and escapes (RFC 9110
    /// §5.6.4), a token as it is.
    public static func unquoted(_ value: String) -> String {
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { return value }
        var result = "", escaped = false
        for character in value.dropFirst().dropLast() {
            if escaped { result.append(character); escaped = false } else if character == "\\" { escaped = true } else { result.append(character) }
        }
        return result
    }

    public var text: String {
        let joined = parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
        return [scheme ?? "", joined].filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// A header field as sent or shown, with whether the outcome requires it.
public struct HeaderField: Sendable, Equatable {
    public let name: String
    public let value: String
    public let required: Bool

    public init(name: String, value: String, required: Bool) {
        self.name = name
        self.value = value
        self.required = required
    }
}

public struct Alternative: Sendable {
    public let status: Int
    public let reason: [Inline]
    public let line: Int
}

enum DiagramTemplate {
    /// Replaces `{name}` with `values[name]`; unknown names are left as they are.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            result += values[name] ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    static func placeholders(_ template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
