/// What must hold for a decision diagram, reported as `file:line: message`.
struct DiagramValidator {
    let parsed: DiagramParser.Parsed

    func check(into diagnostics: inout [Diagnostic]) {
        let diagram = parsed.diagram
        func complain(_ line: Int, _ message: String) {
            diagnostics.append(Diagnostic(file: diagram.path, line: line, message: message))
        }

        var seen: [String: Int] = [:]
        for node in diagram.nodes {
            if let other = seen[node.id] { complain(node.line, "`\(node.id)` is already defined on line \(other)") }
            seen[node.id] = node.line
        }
        if diagram.question(diagram.start) == nil {
            complain(parsed.headerLines["start"] ?? 1, diagram.start.isEmpty ? "`start:` names no question"
                                                                             : "start `\(diagram.start)` is not a question of this diagram")
        }

        var factAnswers: [String: (values: [String], line: Int)] = [:]
        for question in diagram.questions {
            if question.handoff != nil {
                for answer in question.answers where diagram.node(answer.target) == nil {
                    complain(answer.line, "`\(answer.target)` is neither a question nor an outcome of this diagram")
                }
                continue
            }
            if question.answers.count < 2 {
                complain(question.line, "dead end: question `\(question.id)` needs two or more answers (yes: and no:, or choices)")
            }
            if question.answers.count > 9 {
                complain(question.line, "question `\(question.id)` has \(question.answers.count) answers; keys 1–9 can choose at most 9")
            }
            let values = question.answers.map(\.value)
            if Set(values).count != values.count { complain(question.line, "question `\(question.id)` has the same answer twice") }
            if values.contains("yes") != values.contains("no") {
                complain(question.line, "question `\(question.id)` has `yes:` without `no:` or the other way round")
            }
            for answer in question.answers where diagram.node(answer.target) == nil {
                complain(answer.line, "`\(answer.target)` is neither a question nor an outcome of this diagram")
            }
            if !question.fact.isEmpty {
                if let earlier = factAnswers[question.fact], earlier.values.sorted() != values.sorted() {
                    complain(question.line, "fact `\(question.fact)` is answered \(values.joined(separator: "/")) here but \(earlier.values.joined(separator: "/")) on line \(earlier.line)")
                } else if factAnswers[question.fact] == nil {
                    factAnswers[question.fact] = (values, question.line)
                }
            }
        }

        if !checkReachabilityAndCycles(diagram, complain) { checkFactsPerPath(diagram, complain) }

        for outcome in diagram.outcomes {
            guard let registered = StatusRegistry.lookup(outcome.status) else {
                complain(outcome.line, "outcome `\(outcome.id)`: \(outcome.status) is not a registered status code")
                continue
            }
            if registered.unused { complain(outcome.line, "outcome `\(outcome.id)`: \(outcome.status) is registered as unused") }
            for name in HeaderRules.requiredHeaders(for: outcome.status)
            where !outcome.headerNames.contains(where: { $0.lowercased() == name.lowercased() }) {
                complain(outcome.line, "outcome `\(outcome.id)`: a \(outcome.status) must carry \(name) (\(HeaderRules.reference(for: name, on: outcome.status) ?? "")); add `header: \(name): …`")
            }
            for spec in outcome.specs where !SpecReference.isWellFormed(spec) {
                complain(outcome.line, "outcome `\(outcome.id)`: spec reference `\(spec)` is not of the form `RFC 9110 §15.5.2`")
            }
            if outcome.serves != (200..<300).contains(outcome.status) {
                complain(outcome.line, outcome.serves ? "outcome `\(outcome.id)`: `serves: yes` goes with a 2xx status, not \(outcome.status)"
                                                      : "outcome `\(outcome.id)`: a \(outcome.status) serves the request; say `serves: yes`")
            }
            for header in outcome.headers {
                for name in DiagramTemplate.placeholders(header.value) where diagram.variables[name] == nil {
                    complain(outcome.line, "outcome `\(outcome.id)`: placeholder {\(name)} has no `var: \(name) = …` default")
                }
            }
            for alternative in outcome.alternatives where StatusRegistry.lookup(alternative.status) == nil {
                complain(alternative.line, "alternative \(alternative.status) is not a registered status code")
            }
        }
    }

    /// Whether no answer leads back to a question already on the way (what every walk over
    /// all paths needs; a cycle is reported by `check`).
    static func isAcyclic(_ diagram: Diagram) -> Bool {
        var visiting = Set<String>(), done = Set<String>()
        func visit(_ id: String) -> Bool {
            if done.contains(id) { return true }
            guard visiting.insert(id).inserted else { return false }
            defer { visiting.remove(id); done.insert(id) }
            return diagram.question(id)?.answers.allSatisfy { visit($0.target) } ?? true
        }
        return visit(diagram.start)
    }

    /// Returns true when there is a cycle.
    private func checkReachabilityAndCycles(_ diagram: Diagram, _ complain: (Int, String) -> Void) -> Bool {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var reported = false
        func visit(_ id: String) {
            guard let node = diagram.node(id) else { return }
            if marks[id] == .visiting {
                if !reported { complain(node.line, "cycle: `\(id)` can be reached again from itself"); reported = true }
                return
            }
            guard marks[id] == nil else { return }
            marks[id] = .visiting
            if case .question(let question) = node { question.answers.forEach { visit($0.target) } }
            marks[id] = .done
        }
        visit(diagram.start)
        guard diagram.question(diagram.start) != nil else { return reported }
        for node in diagram.nodes where marks[node.id] == nil {
            complain(node.line, "`\(node.id)` is unreachable: no path from `\(diagram.start)` leads to it")
        }
        return reported
    }

    /// A fact asked twice on one path would let a walk contradict itself.
    /// Called only for acyclic diagrams, so it ends.
    private func checkFactsPerPath(_ diagram: Diagram, _ complain: (Int, String) -> Void) {
        var reported = Set<String>()
        func visit(_ id: String, _ asked: [String: String]) {
            guard let question = diagram.question(id) else { return }
            if question.handoff != nil { return visit(question.answers[0].target, asked) }
            if let earlier = asked[question.fact], !reported.contains(question.id) {
                reported.insert(question.id)
                complain(question.line, "fact `\(question.fact)` is asked again here after question `\(earlier)` on the same path")
            }
            var next = asked
            next[question.fact] = question.id
            for answer in question.answers { visit(answer.target, next) }
        }
        visit(diagram.start, [:])
    }
}
