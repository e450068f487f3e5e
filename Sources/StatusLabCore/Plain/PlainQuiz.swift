import Foundation

/// `statuslab quiz --plain`: questions on standard output, answers by number on standard input.
/// Practice shows feedback after each answer; an exam only at the end. Ends with `score: 7/10`.
public struct PlainQuiz {
    public enum Result: Equatable {
        case finished(right: Int, total: Int)
        case inputEnded(answered: Int, total: Int)
    }

    let library: ContentLibrary
    let renderer: PlainRenderer
    public private(set) var quiz: QuizRun

    public init(quiz: QuizRun, library: ContentLibrary, renderer: PlainRenderer) {
        self.quiz = quiz
        self.library = library
        self.renderer = renderer
    }

    /// Asks until the run is finished or the input ends. `now` is the clock the run keeps;
    /// `save` gets the progress after each answer that counts.
    public mutating func run(readLine: () -> String?, write: (String) -> Void, fail: (String) -> Void,
                             now: () -> Date, save: (QuizProgress) -> Void) -> Result {
        let total = quiz.session.questions.count
        guard total > 0 else {
            fail(quiz.mode == .review
                 ? "statuslab: nothing is due for review yet. `statuslab quiz --plain` practises; missed questions come back here."
                 : "statuslab: no questions match --topic and --difficulty.")
            return .finished(right: 0, total: 0)
        }
        while let question = quiz.current, !quiz.endIfTimeUp(at: now()) {
            write(ask(question, number: quiz.questionNumber, of: total))
            var given: [String]? = nil
            while given == nil {
                guard let line = readLine() else {
                    fail("statuslab: input ended after \(quiz.session.answers.count) of \(total) questions.")
                    return .inputEnded(answered: quiz.session.answers.count, total: total)
                }
                given = QuizSession.parseAnswer(line, for: question, seed: quiz.session.seed)
                if given == nil { fail("statuslab: “\(line.trimmingCharacters(in: .whitespaces))” is not an answer here; \(instruction(question))") }
            }
            guard let answer = quiz.answer(given!, at: now()) else { break }
            save(quiz.progress)
            if quiz.phase == .feedback {
                write(feedback(answer))
                quiz.next(at: now())
            }
        }
        if quiz.ranOutOfTime { write("\nTime is up.\n") }
        write(summary())
        return .finished(right: quiz.session.score.right, total: quiz.session.score.total)
    }

    func instruction(_ question: QuizQuestion) -> String {
        let n = question.choices.count
        switch question.kind {
        case .pick, .header, .spot: return "type one number from 1 to \(n)."
        case .pickAll: return "type every number that applies, separated by spaces (e.g. 1 3)."
        case .order: return "type all \(n) numbers in the right order (e.g. \((1...n).reversed().map(String.init).joined(separator: " ")))."
        }
    }

    func ask(_ question: QuizQuestion, number: Int, of total: Int) -> String {
        var out = "\n" + renderer.paint("Question \(number)/\(total)", .strong, bold: true)
        out += "  [\(question.topics.joined(separator: ", ")); \(question.difficulty.rawValue)]\n"
        out += wrap(question.scenario.plainText) + "\n"
        if !question.wire.isEmpty { out += "\n" + question.wire.map { "    " + $0 }.joined(separator: "\n") + "\n" }
        out += "\n"
        for (index, choice) in question.presentedChoices(seed: quiz.session.seed).enumerated() {
            out += wrap(choice.label, indent: "      ", first: "   \(index + 1)) ") + "\n"
        }
        out += "(\(instruction(question)))\n"
        return out
    }

    func feedback(_ answer: QuizSession.Answer) -> String {
        var out = renderer.render(Document(blocks: QuizFeedback.blocks(answer, library: library, seed: quiz.session.seed)))
        if let id = answer.question.referencePage { out += "Reference: statuslab explain \(id)\n" }
        return out
    }

    func summary() -> String {
        let session = quiz.session
        var out = "\n" + renderer.paint("Results", .strong, bold: true) + "\n"
        if session.mode == .exam {
            for answer in session.answers {
                out += "   \(answer.correct ? "right" : "wrong")  \(answer.question.id)\n"
            }
        }
        for row in session.byTopic { out += "   \(row.topic): \(row.right)/\(row.total)\n" }
        out += "score: \(session.score.right)/\(session.score.total)\n"
        return out
    }

    func wrap(_ text: String, indent: String = "", first: String? = nil) -> String {
        renderer.wrap(text, indent: indent, first: first)
    }
}
