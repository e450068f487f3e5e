/// What a learner sees after answering: right or not, the accepted answers and why, the
/// explanation, the diagram path that leads to the answer, the spec. Shown by the quiz screen
/// and by `quiz --plain`.
public enum QuizFeedback {
    /// `seed`: the run's, so the options are listed in the order they were shown.
    public static func blocks(_ answer: QuizSession.Answer, library: ContentLibrary, seed: UInt64) -> [Block] {
        let question = answer.question
        let separator = question.kind == .order ? " → " : ", "
        var verdict: [Inline] = [answer.correct ? .text("Right.", .color(.green)) : .text("Not quite.", .color(.red))]
        if !answer.given.isEmpty {
            verdict.append(.text("  You answered: " + answer.given.map(question.label).joined(separator: separator), .dim))
        }
        var blocks: [Block] = [.paragraph(verdict)]
        // The question again, beside the feedback: for "what is wrong with this response?" the
        // learner wants to look at the response while reading why (ux-walk-1 ML6).
        blocks.append(.paragraph(question.scenario))
        if !question.wire.isEmpty { blocks.append(.code(question.wire)) }
        if question.kind != .order {
            for (index, choice) in question.presentedChoices(seed: seed).enumerated() {
                let right = question.key.contains(choice.value), picked = answer.given.contains(choice.value)
                let mark = right ? "✓" : picked ? "✗" : " "
                // Which were yours, so a pick-all says what was missed as well as what was wrong.
                blocks.append(.item(marker: "\(mark) \(index + 1))", [.text(choice.label, right ? .color(.green) : picked ? .color(.red) : .plain)]
                                    + (picked ? [.text("  ← yours", .dim)] : [])))
            }
        }
        if question.kind == .order {
            blocks.append(.paragraph([.text("The order: ", .strong), .text(question.key.map(question.label).joined(separator: " → "), .plain)]))
        } else {
            blocks.append(.paragraph([.text(question.kind == .pickAll ? "Defensible answers:" : "Accepted:", .strong)]))
            for accepted in question.accepted {
                let reason: [Inline] = accepted.reason.isEmpty ? [] : [.text(": ", .plain)] + accepted.reason
                blocks.append(.bullet([.text(question.label(accepted.value), .strong)] + reason))
            }
        }
        blocks.append(.paragraph(question.explanation))
        if let id = question.diagram, let diagram = library.diagram(id),
           let (path, outcome) = try? DecisionEngine.decide(diagram, facts: question.facts) {
            // A path through a handoff names each question where it is asked.
            let steps = path.filter(\.given).map { "\(diagram.question(of: $0)?.short ?? $0.question) \($0.answer)" }
            blocks.append(.field(label: "Path in the \(id) flowchart",
                                 value: [.text((steps + ["\(outcome.status) \(outcome.label)"]).joined(separator: " → "), .plain)]))
        }
        blocks.append(.field(label: "Spec", value: [.text(question.specs.joined(separator: "; "), .plain)]))
        return blocks
    }
}

extension QuizQuestion {
    /// How a choice value is shown: its label.
    public func label(_ value: String) -> String {
        choices.first { $0.value == value }?.label ?? value
    }
}
