/// Reads `content/quiz/*.quiz` files and checks each question, including against the decision
/// model: a question that states facts must have the diagram's outcome as its key.
struct QuizParser {
    let path: String
    let text: String

    func parse(diagrams: [Diagram], diagnostics: inout [Diagnostic],
               links: inout [MarkupParser.LinkUse]) -> [QuizQuestion] {
        var questions: [QuizQuestion] = []
        var markup = MarkupParser.Result()
        let inline = MarkupParser(file: path)
        func complain(_ line: Int, _ message: String) {
            diagnostics.append(Diagnostic(file: path, line: line, message: message))
        }
        let known: Set<String> = ["question", "kind", "topic", "difficulty", "scenario", "wire", "choice", "step",
                                  "answer", "explanation", "spec", "diagram", "facts"]

        for block in FieldReader.blocks(text) {
            guard let first = block.first else { continue }
            guard first.key == "question" else {
                complain(first.line, "a quiz block starts with `question: <id>`")
                continue
            }
            func one(_ key: String) -> Field? { block.one(key) }
            func all(_ key: String) -> [Field] { block.all(key) }
            func inlines(_ field: Field?) -> [Inline] {
                guard let field else { return [] }
                return inline.parseInline(Substring(field.value), line: field.line, into: &markup)
            }
            for field in block where !known.contains(field.key) {
                complain(field.line, "unknown field `\(field.key)` (known: \(known.sorted().joined(separator: ", ")))")
            }
            for key in ["kind", "topic", "difficulty", "scenario", "explanation", "spec"] where one(key)?.value.isEmpty ?? true {
                complain(first.line, "question `\(first.value)` needs a `\(key):` line")
            }
            let id = first.value
            guard let kind = QuizQuestion.Kind(rawValue: one("kind")?.value ?? "") else {
                if let field = one("kind") {
                    complain(field.line, "kind `\(field.value)` is not one of \(QuizQuestion.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                continue
            }
            let topics = one("topic")?.list(",") ?? []
            for topic in topics where !QuizQuestion.topics.contains(topic) {
                complain(one("topic")!.line, "topic `\(topic)` is not one of \(QuizQuestion.topics.joined(separator: ", "))")
            }
            let difficulty = QuizQuestion.Difficulty(rawValue: one("difficulty")?.value ?? "")
            if difficulty == nil, let field = one("difficulty") {
                complain(field.line, "difficulty is easy, medium or hard, not `\(field.value)`")
            }

            var choices: [QuizQuestion.Choice] = []
            let choiceFields = kind == .order ? all("step") : all("choice")
            if kind == .order, !all("choice").isEmpty { complain(all("choice")[0].line, "an `order` question lists `step:` lines, not `choice:`") }
            if kind != .order, !all("step").isEmpty { complain(all("step")[0].line, "`step:` lines belong to `order` questions") }
            for field in choiceFields {
                let parts = field.value.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                    .map { String($0).trimmingCharacters(in: " ") }
                guard let value = parts.first, !value.isEmpty else {
                    complain(field.line, "`\(field.key):` needs a value")
                    continue
                }
                var label = parts.count > 1 ? parts[1] : ""
                if label.isEmpty {
                    if let code = Int(value), let registered = StatusRegistry.lookup(code) {
                        label = "\(code) \(registered.reason)"
                    } else {
                        complain(field.line, "choice `\(value)` needs a label: `choice: \(value) | …` (only status codes label themselves)")
                    }
                }
                if choices.contains(where: { $0.value == value }) { complain(field.line, "choice `\(value)` is given twice") }
                choices.append(.init(value: value, label: label))
            }
            let range = kind == .order ? 3...6 : 2...6
            if !range.contains(choices.count) {
                complain(first.line, "question `\(id)` has \(choices.count) \(kind == .order ? "steps" : "choices"); it needs \(range.lowerBound) to \(range.upperBound)")
            }

            var accepted: [QuizQuestion.Accepted] = []
            for field in all("answer") {
                let parts = field.value.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                    .map { String($0).trimmingCharacters(in: " ") }
                guard !parts[0].isEmpty else {
                    complain(field.line, "`answer:` needs a value")
                    continue
                }
                if accepted.contains(where: { $0.value == parts[0] }) { complain(field.line, "answer `\(parts[0])` is given twice") }
                if !choices.contains(where: { $0.value == parts[0] }) {
                    complain(field.line, "answer `\(parts[0])` is not one of the choices")
                }
                let reason = Field(key: "answer", value: parts.count > 1 ? parts[1] : "", line: field.line)
                accepted.append(.init(value: parts[0], reason: inlines(reason)))
            }
            // (A `where` clause binds to the last pattern of a case only: one case per kind.)
            if kind == .order, !accepted.isEmpty {
                complain(all("answer")[0].line, "an `order` question's answer is its steps' order; no `answer:` lines")
            } else if kind == .pickAll, accepted.count < 2 {
                complain(first.line, "a `pick-all` question needs two or more answers")
            } else if kind != .order, accepted.isEmpty {
                complain(first.line, "question `\(id)` needs an `answer:` line")
            }

            let specs = one("spec")?.list(";") ?? []
            for spec in specs where !SpecReference.isWellFormed(spec) {
                complain(one("spec")!.line, "spec reference `\(spec)` is not of the form `RFC 9110 §15.5.2`")
            }
            for field in block where ["scenario", "explanation", "answer"].contains(field.key) {
                for message in SpecReference.problems(inProse: Substring(field.value)) { complain(field.line, message) }
            }
            for field in all("wire") where field.value.count > 72 {
                complain(field.line, "a wire line is \(field.value.count) characters; keep raw messages to 72")
            }

            var facts: [String: String] = [:]
            for pair in (one("facts")?.value ?? "").split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: " ") }
                guard parts.count == 2 else { complain(one("facts")!.line, "facts are `name=value`, comma separated"); continue }
                facts[parts[0]] = parts[1]
            }
            let diagramID = one("diagram")?.value
            if diagramID != nil, facts.isEmpty, kind != .order { complain(one("diagram")!.line, "`diagram:` needs `facts:` to walk it with") }
            if kind == .order, !facts.isEmpty { complain(one("facts")!.line, "an `order` question names its facts as steps, not in `facts:`") }
            if diagramID == nil, !facts.isEmpty { complain(one("facts")!.line, "`facts:` needs a `diagram:` to walk") }
            var modelStatus: Int? = nil
            if let diagramID, !facts.isEmpty {
                modelStatus = checkKey(diagramID, facts, accepted.map(\.value), line: one("facts")!.line, diagrams: diagrams, complain)
            }

            questions.append(QuizQuestion(
                id: id, path: path, line: first.line, kind: kind, topics: topics, difficulty: difficulty ?? .medium,
                scenario: inlines(one("scenario")), wire: all("wire").map(\.value), choices: choices, accepted: accepted,
                explanation: inlines(one("explanation")), specs: specs, diagram: diagramID, facts: facts,
                modelStatus: modelStatus))
        }
        diagnostics.append(contentsOf: markup.diagnostics)
        links.append(contentsOf: markup.links)
        return questions
    }

    /// The key must agree with the model: the outcome is accepted, and nothing is accepted
    /// that is neither the outcome nor one of its alternatives. Returns the model's status.
    private func checkKey(_ diagramID: String, _ facts: [String: String], _ answers: [String], line: Int,
                          diagrams: [Diagram], _ complain: (Int, String) -> Void) -> Int? {
        guard let diagram = diagrams.first(where: { $0.id == diagramID }) else {
            complain(line, "there is no diagram `\(diagramID)`")
            return nil
        }
        let outcome: Outcome
        do {
            outcome = try DecisionEngine.decide(diagram, facts: facts).outcome
        } catch {
            complain(line, "the facts do not walk `\(diagramID)` to an outcome: \(error)")
            return nil
        }
        let allowed = Set([outcome.status] + outcome.alternatives.map(\.status)).map(String.init)
        if !answers.contains(String(outcome.status)) {
            complain(line, "the model says \(outcome.status) (`\(diagramID)` outcome `\(outcome.id)`), which is not among the answers \(answers.joined(separator: ", "))")
        }
        for answer in answers where !allowed.contains(answer) {
            complain(line, "answer \(answer) disagrees with the model: `\(diagramID)` outcome `\(outcome.id)` allows \(allowed.sorted().joined(separator: ", "))")
        }
        return outcome.status
    }
}
