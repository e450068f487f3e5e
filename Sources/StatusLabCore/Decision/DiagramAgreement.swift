/// What must hold between diagrams: handoffs land, never lead back, and read unambiguously;
/// and no two diagrams decide the same request differently. One author per question: a
/// diagram that needs another's decision hands over to it (`handoff:`) rather than asking
/// its own copy of the questions, and where two diagrams do ask the same facts, every
/// combination of those facts must bring both to the same status.
struct DiagramAgreement {
    let diagrams: [Diagram]

    func check(into diagnostics: inout [Diagnostic]) {
        let byID = Dictionary(diagrams.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for diagram in diagrams {
            func complain(_ line: Int, _ message: String) {
                diagnostics.append(Diagnostic(file: diagram.path, line: line, message: message))
            }
            for handoff in diagram.questions where handoff.handoff != nil {
                let target = handoff.handoff ?? ""
                guard let other = byID[target] else {
                    complain(handoff.line, "handoff `\(handoff.id)`: there is no diagram `\(target)`")
                    continue
                }
                if leadsBack(from: other, to: diagram.id, byID) {
                    complain(handoff.line, "handoff `\(handoff.id)`: `\(target)` hands over back to `\(diagram.id)`, so a walk would never end")
                } else if !other.outcomes.contains(where: \.serves) {
                    complain(handoff.line, "handoff `\(handoff.id)`: `\(target)` has no outcome with `serves: yes`, so nothing ever reaches `\(handoff.answers[0].target)`")
                }
            }
            // A decision header names questions by id alone: they must say which question they are.
            var owners: [String: String] = [:]
            for part in diagram.withHandoffs {
                for question in part.questions {
                    if let owner = owners[question.id], owner != part.id, part.id != diagram.id {
                        complain(1, "question `\(question.id)` is in both `\(owner)` and `\(part.id)`, which `\(diagram.id)` walks together; rename one")
                    }
                    owners[question.id] = owners[question.id] ?? part.id
                }
            }
        }
        checkSameFactsSameStatus(byID, into: &diagnostics)
    }

    private func leadsBack(from diagram: Diagram, to id: String, _ byID: [String: Diagram], seen: Set<String> = []) -> Bool {
        for target in Set(diagram.questions.compactMap(\.handoff)) where !seen.contains(target) {
            if target == id { return true }
            if let next = byID[target], leadsBack(from: next, to: id, byID, seen: seen.union([diagram.id])) { return true }
        }
        return false
    }

    /// For every two diagrams that ask some of the same facts, every combination of those
    /// facts: a path of each decided by shared facts alone, the two agreeing on every fact
    /// both ask, must end at the same status unless one of them lets the request in (serves).
    /// Otherwise one request gets two answers. A path that also asks a fact of its own is its
    /// diagram's refinement and is not compared; paths through a handoff count as the walk
    /// takes them, so a diagram agrees with what it hands over to by construction.
    private func checkSameFactsSameStatus(_ byID: [String: Diagram], into diagnostics: inout [Diagnostic]) {
        struct Walked {
            let facts: [String: String]
            let outcome: Outcome
        }
        func walks(_ diagram: Diagram) -> [Walked] {
            DecisionEngine.allPaths(diagram).map { Walked(facts: DecisionEngine.facts(of: $0.path, in: diagram), outcome: $0.outcome) }
        }
        // A diagram with a cycle has no list of paths; its cycle is reported on its own.
        let sorted = diagrams.filter { $0.withHandoffs.allSatisfy(DiagramValidator.isAcyclic) }.sorted { $0.id < $1.id }
        let all = sorted.map { (diagram: $0, walks: walks($0)) }
        for (i, a) in all.enumerated() {
            for b in all[(i + 1)...] {
                let shared = Set(a.walks.flatMap(\.facts.keys)).intersection(b.walks.flatMap(\.facts.keys))
                guard !shared.isEmpty else { continue }
                var reported = false
                for x in a.walks where !x.outcome.serves && !reported {
                    guard x.facts.keys.allSatisfy(shared.contains) else { continue }
                    for y in b.walks where !y.outcome.serves && y.outcome.status != x.outcome.status {
                        guard y.facts.keys.allSatisfy(shared.contains),
                              x.facts.allSatisfy({ fact, value in y.facts[fact].map { $0 == value } ?? true }) else { continue }
                        let both = x.facts.keys.filter { y.facts[$0] != nil }.sorted().map { "\($0)=\(x.facts[$0]!)" }
                        diagnostics.append(Diagnostic(file: a.diagram.path, line: x.outcome.line, message:
                            "`\(a.diagram.id)` and `\(b.diagram.id)` decide one request differently: "
                            + "\(x.outcome.status) at `\(x.outcome.id)` here, \(y.outcome.status) at `\(b.diagram.id)/\(y.outcome.id)` (\(b.diagram.path):\(y.outcome.line))"
                            + (both.isEmpty ? "" : ", with \(both.joined(separator: ", "))")
                            + "; hand over to one of them (`handoff:`) or make them agree"))
                        reported = true
                        break
                    }
                }
            }
        }
    }
}
