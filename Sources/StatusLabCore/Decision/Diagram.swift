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
    /// For each node, the index of the node each of its answers leads to (nil where the target
    /// does not exist, which the validator reports), so a walk never looks a name up.
    let successors: [[Int?]]
    let startIndex: Int?

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
        self.successors = nodes.map { node in
            if case .question(let question) = node { question.answers.map { index[$0.target] } } else { [] }
        }
        self.startIndex = index[start]
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
    public var outcomes: [Outcome] { nodes.compactMap { if case .outcome(let o) = $0 { o } else { nil } } }

    /// `indirect`: a node is boxed, so handing one out (as every walk step does) is one retain
    /// rather than a copy of every field of a question or an outcome.
    public indirect enum Node: Sendable {
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

/// A class (its fields never change): a walk hands questions out on every step, and sharing
/// one costs a retain where copying a struct cost one per field.
public final class Question: Sendable {
    public let id: String
    /// The named fact about a request this question asks, e.g. `credentials-present`.
    public let fact: String
    public let ask: String
    public let help: [Inline]
    public let short: String
    public let answers: [Answer]
    public let line: Int

    init(id: String, fact: String, ask: String, help: [Inline], short: String, answers: [Answer], line: Int) {
        self.id = id
        self.fact = fact
        self.ask = ask
        self.help = help
        self.short = short
        self.answers = answers
        self.line = line
    }

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
    public let status: Int
    public let label: String
    public let why: [Inline]
    public let specs: [String]
    /// `Name: value` templates with `{placeholders}`.
    public let headers: [String]
    public let alternatives: [Alternative]
    public let line: Int

    /// The status line as it appears on the wire: `HTTP/1.1 401 Unauthorized`.
    public var statusLine: String {
        "HTTP/1.1 \(status) \(StatusRegistry.lookup(status)?.reason ?? "")"
    }

    /// Header lines with placeholders filled from `values` (then the diagram's defaults).
    public func filledHeaders(_ values: [String: String]) -> [String] {
        headers.map { DiagramTemplate.fill($0, values) }
    }

    public var headerNames: [String] {
        headers.compactMap { $0.split(separator: ":", maxSplits: 1).first.map { String($0).trimmingCharacters(in: " ") } }
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
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
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
