/// What a learner sees after answering: right or not, the accepted answers and why, the
/// explanation, the diagram path that leads to the answer, the spec. Shown by the quiz screen
/// and by `quiz --plain`.
public enum QuizFeedback {
    public static func blocks(_ answer: QuizSession.Answer, library: ContentLibrary) -> [Block] {
        let question = answer.question
        let separator = question.kind == .order ? " → " : ", "
        var verdict: [Inline] = [answer.correct ? .text("Right.", .color(.green)) : .text("Not quite.", .color(.red))]
        if !answer.given.isEmpty {
            verdict.append(.text("  You answered: " + answer.given.map(question.label).joined(separator: separator), .dim))
        }
        var blocks: [Block] = [.paragraph(verdict)]
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
            let steps = path.map { "\(diagram.question($0.question)?.short ?? $0.question) \($0.answer)" }
            blocks.append(.field(label: "Path in `\(id)`",
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
