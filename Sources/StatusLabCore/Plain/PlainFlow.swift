/// `statuslab flow --plain`: a diagram walked on standard input and output, for scripts,
/// screen readers and rooms without a full terminal. Questions are numbered lines; an answer
/// is a choice number (or y/n on a yes/no question, or the choice's value).
public struct PlainFlow {
    public enum Result: Equatable {
        case decided(status: Int)
        case inputEnded(question: String)
        case invalidAnswer(String)
    }

    let diagram: Diagram
    let renderer: PlainRenderer

    public init(diagram: Diagram, renderer: PlainRenderer) {
        self.diagram = diagram
        self.renderer = renderer
    }

    /// Runs the walk. `readLine` returns nil at end of input; `write` gets stdout text,
    /// `fail` the message for stderr.
    public func run(readLine: () -> String?, write: (String) -> Void, fail: (String) -> Void) -> Result {
        write(renderer.paint(diagram.title, .strong, bold: true) + "\n" + wrap(diagram.summary) + "\n")
        var answers: [String] = []
        var number = 0
        var asked = diagram.id
        while true {
            switch DecisionEngine.walk(diagram, answers: answers) {
            case .decided(let path, let outcome):
                write(report(path: path, outcome: outcome))
                return .decided(status: outcome.status)
            case .invalidAnswer(_, let question, let value):
                // Cannot happen: answers are checked below before they are kept.
                fail("statuslab: `\(value)` is not an answer to `\(question.id)`")
                return .invalidAnswer(value)
            case .asking(_, let question):
                number += 1
                if question.diagram != asked {
                    let owner = diagram.part(question.diagram)
                    // A handoff: say whose questions these are, and when the walk comes back.
                    write("\n" + (owner.id == diagram.id ? "Back in the `\(owner.id)` flowchart." : "The `\(owner.id)` flowchart decides from here: \(owner.title)") + "\n")
                }
                asked = question.diagram
                write("\n" + wrap(question.ask, indent: "   ", first: "\(number). ") + "\n")
                if !question.help.isEmpty { write(wrap(question.help.plainText, indent: "   ") + "\n") }
                for (index, answer) in question.answers.enumerated() {
                    write("   \(index + 1)) \(answer.label)\n")
                }
                // A typo asks again, as quiz --plain does (ux-walk-1 L9); the end of input ends.
                var value: String? = nil
                var typo: String? = nil
                while value == nil {
                    guard let line = readLine() else {
                        fail("statuslab: input ended before an outcome was reached (at question \(number), `\(question.id)`).")
                        return typo.map(Result.invalidAnswer) ?? .inputEnded(question: question.id)
                    }
                    value = Self.answer(line, to: question)
                    if value == nil {
                        typo = line
                        let range = question.answers.count == 2 && question.isYesNo ? "1 or 2 (or y/n)" : "a number from 1 to \(question.answers.count)"
                        fail("statuslab: “\(line.trimmingCharacters(in: " \t\r"))” is not an answer to question \(number); type \(range).")
                    }
                }
                answers.append(value!)
            }
        }
    }

    /// The answer value a typed line stands for, if any.
    static func answer(_ line: String, to question: Question) -> String? {
        let typed = line.trimmingCharacters(in: " \t\r").lowercased()
        if let number = Int(typed), (1...question.answers.count).contains(number) { return question.answers[number - 1].value }
        if question.isYesNo {
            if ["y", "yes"].contains(typed) { return "yes" }
            if ["n", "no"].contains(typed) { return "no" }
        }
        return question.answers.first { $0.value == typed }?.value
    }

    func report(path: [DecisionEngine.Step], outcome: Outcome) -> String {
        var out = "\nPath:\n"
        for step in path {
            let question = diagram.question(of: step)
            let label = question?.answers.first { $0.value == step.answer }?.label ?? step.answer
            out += "   \(question?.ask ?? step.question) \(label)\n"
        }
        out += "\n" + renderer.render(Document(blocks: OutcomeDocument.blocks(outcome, in: diagram)))
        out += "Reference: statuslab explain \(outcome.status)\n"
        out += "outcome: \(outcome.status) \(StatusRegistry.lookup(outcome.status)?.reason ?? "")\n"
        return out
    }

    func wrap(_ text: String, indent: String = "", first: String? = nil) -> String {
        renderer.wrap(text, indent: indent, first: first)
    }
}
