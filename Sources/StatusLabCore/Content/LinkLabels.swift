/// `[[401]]` is shown as "401 Unauthorized": a link whose label is only its target gets the
/// target page's title, once every page's title is known.
struct LinkLabels: Sendable {
    /// Page id → display title.
    let titles: [String: String]

    func resolve(_ inlines: [Inline]) -> [Inline] {
        inlines.map { inline in
            if case .link(let target, let label) = inline, label == target, let title = titles[target] {
                return .link(target: target, label: title)
            }
            return inline
        }
    }

    func resolve(_ document: Document) -> Document {
        var document = document
        document.blocks = document.blocks.map { block in
            switch block {
            case .paragraph(let inlines): .paragraph(resolve(inlines))
            case .bullet(let inlines): .bullet(resolve(inlines))
            case .item(let marker, let inlines): .item(marker: marker, resolve(inlines))
            case .field(let label, let value): .field(label: label, value: resolve(value))
            case .heading, .code: block
            }
        }
        return document
    }

    func resolve(_ e: Exercise) -> Exercise {
        var resolved = Exercise(id: e.id, path: e.path, title: e.title, order: e.order, goal: resolve(e.goal),
                                hints: e.hints.map { resolve($0) }, explanation: resolve(e.explanation), specs: e.specs, steps: e.steps)
        resolved.claims = e.claims
        return resolved
    }

    func resolve(_ q: QuizQuestion) -> QuizQuestion {
        QuizQuestion(id: q.id, path: q.path, line: q.line, kind: q.kind, topics: q.topics, difficulty: q.difficulty,
                     scenario: resolve(q.scenario), wire: q.wire, choices: q.choices,
                     accepted: q.accepted.map { .init(value: $0.value, reason: resolve($0.reason)) },
                     explanation: resolve(q.explanation), specs: q.specs, diagram: q.diagram, facts: q.facts,
                     modelStatus: q.modelStatus)
    }

    func resolve(_ diagram: Diagram) -> Diagram {
        let nodes: [Diagram.Node] = diagram.nodes.map { node in
            switch node {
            case .question(let q):
                return .question(Question(id: q.id, fact: q.fact, ask: q.ask, help: resolve(q.help), short: q.short,
                                          answers: q.answers, line: q.line, diagram: q.diagram, handoff: q.handoff))
            case .outcome(let o):
                return .outcome(Outcome(id: o.id, status: o.status, label: o.label, why: resolve(o.why),
                                        specs: o.specs, headers: o.headers,
                                        alternatives: o.alternatives.map { Alternative(status: $0.status, reason: resolve($0.reason), line: $0.line) },
                                        serves: o.serves, line: o.line, diagram: o.diagram))
            }
        }
        return Diagram(id: diagram.id, path: diagram.path, title: diagram.title, summary: diagram.summary,
                       start: diagram.start, variables: diagram.variables, nodes: nodes)
    }
}
