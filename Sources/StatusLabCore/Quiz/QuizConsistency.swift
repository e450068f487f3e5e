/// Checks that reach across quiz questions and into the diagrams, so that the quiz can never
/// mark a learner wrong for following another question, the essay's order or the flowchart:
/// - an `order` question with `diagram:` orders the facts it names as every path of that
///   diagram does;
/// - two `order` questions never put the same two steps in opposite orders;
/// - questions whose facts walk to the same outcome by the same path accept the same answers.
struct QuizConsistency {
    let diagrams: [Diagram]

    func check(_ questions: [QuizQuestion], into diagnostics: inout [Diagnostic]) {
        for question in questions where question.kind == .order {
            checkOrderAgainstDiagram(question, &diagnostics)
        }
        checkOrdersAgree(questions.filter { $0.kind == .order }, &diagnostics)
        checkSameFactsSameKey(questions, &diagnostics)
        checkNoFavouritePlace(questions, &diagnostics)
    }

    /// The seeds the placement check tries: a room's seed is any number, so a bank must hold
    /// up for each of these, not for one lucky seed.
    static let placementSeeds: [UInt64] = Array(1...8)

    /// Pressing the same number throughout must not pass: among one-answer questions whose
    /// options are shuffled (sentences, header names), no position may hold the right answer
    /// in more than half of them, for any of `placementSeeds`.
    private func checkNoFavouritePlace(_ questions: [QuizQuestion], _ diagnostics: inout [Diagnostic]) {
        let shuffled = questions.filter { [.pick, .header, .spot].contains($0.kind) && !$0.choicesAreCodes }
        guard shuffled.count >= 4, let first = shuffled.first else { return }
        for seed in Self.placementSeeds {
            var counts: [Int: Int] = [:]
            for question in shuffled {
                let presented = question.presentedChoices(seed: seed)
                if let place = presented.firstIndex(where: { question.key.contains($0.value) }) { counts[place + 1, default: 0] += 1 }
            }
            if let (place, count) = counts.max(by: { $0.value < $1.value }), count * 2 > shuffled.count {
                diagnostics.append(Diagnostic(file: first.path, line: first.line, message:
                    "with seed \(seed) option \(place) is the right answer to \(count) of the \(shuffled.count) questions whose options are shuffled: pressing \(place) throughout would pass"))
                return
            }
        }
    }

    /// For each pair of steps that name facts of the diagram, no path may ask the later step's
    /// fact before the earlier one's.
    private func checkOrderAgainstDiagram(_ question: QuizQuestion, _ diagnostics: inout [Diagnostic]) {
        guard let id = question.diagram else { return }
        guard let diagram = diagrams.first(where: { $0.id == id }) else {
            diagnostics.append(Diagnostic(file: question.path, line: question.line, message: "there is no diagram `\(id)`"))
            return
        }
        let facts = Set(diagram.questions.map(\.fact))
        let steps = question.choices.map(\.value).filter(facts.contains)
        guard steps.count >= 2 else {
            diagnostics.append(Diagnostic(file: question.path, line: question.line,
                message: "order question `\(question.id)` names `diagram: \(id)`, so two or more of its steps must be facts of it (step values such as `credentials-present`)"))
            return
        }
        let before = Self.precedence(in: diagram)
        for (offset, earlier) in steps.enumerated() {
            // Branches may order two facts differently (a public resource is looked up after
            // the method check, a private one before it): an order some path takes is right.
            for later in steps[(offset + 1)...] where before.contains(Pair(later, earlier)) && !before.contains(Pair(earlier, later)) {
                diagnostics.append(Diagnostic(file: question.path, line: question.line,
                    message: "order question `\(question.id)` puts `\(earlier)` before `\(later)`, but diagram `\(id)` asks `\(later)` first"))
            }
        }
    }

    private func checkOrdersAgree(_ questions: [QuizQuestion], _ diagnostics: inout [Diagnostic]) {
        var seen: [Pair: QuizQuestion] = [:]
        for question in questions {
            let steps = question.choices.map(\.value)
            for (offset, earlier) in steps.enumerated() {
                for later in steps[(offset + 1)...] {
                    if let other = seen[Pair(later, earlier)] {
                        diagnostics.append(Diagnostic(file: question.path, line: question.line,
                            message: "order question `\(question.id)` puts `\(earlier)` before `\(later)`; `\(other.id)` (\(other.path):\(other.line)) puts them the other way round"))
                    }
                    if seen[Pair(earlier, later)] == nil { seen[Pair(earlier, later)] = question }
                }
            }
        }
    }

    private func checkSameFactsSameKey(_ questions: [QuizQuestion], _ diagnostics: inout [Diagnostic]) {
        var byDecision: [String: QuizQuestion] = [:]
        for question in questions where question.kind != .order && !question.facts.isEmpty {
            guard let id = question.diagram, let diagram = diagrams.first(where: { $0.id == id }),
                  let decided = try? DecisionEngine.decide(diagram, facts: question.facts) else { continue }
            let key = DecisionRecord(diagram: diagram, path: decided.path, outcome: decided.outcome).header
            let answers = Set(question.accepted.map(\.value))
            if let other = byDecision[key] {
                let otherAnswers = Set(other.accepted.map(\.value))
                if otherAnswers != answers {
                    diagnostics.append(Diagnostic(file: question.path, line: question.line,
                        message: "question `\(question.id)` accepts \(answers.sorted().joined(separator: ", ")) but `\(other.id)` (\(other.path):\(other.line)) accepts \(otherAnswers.sorted().joined(separator: ", ")) for the same facts (`\(id)` outcome `\(decided.outcome.id)`)"))
                }
            } else {
                byDecision[key] = question
            }
        }
    }

    struct Pair: Hashable {
        let first: String, second: String
        init(_ first: String, _ second: String) { self.first = first; self.second = second }
    }

    /// Every (a, b) such that some path asks fact a before fact b (a fact carried from earlier
    /// on the path is not asked again).
    static func precedence(in diagram: Diagram) -> Set<Pair> {
        var pairs = Set<Pair>()
        for (path, _) in DecisionEngine.allPaths(diagram) {
            let facts = path.filter(\.given).compactMap { diagram.question(of: $0)?.fact }.filter { !$0.isEmpty }
            for (offset, earlier) in facts.enumerated() {
                for later in facts[(offset + 1)...] { pairs.insert(Pair(earlier, later)) }
            }
        }
        return pairs
    }
}
