import Foundation
import StatusLabCore

/// What each phase of the quiz shows, as documents the rich-text widget lays out.
enum QuizViews {
    /// `count`: the number of questions asked for on the command line, if any.
    static func menu(library: ContentLibrary, progress: QuizProgress, filter: QuizSession.Filter, count: Int?, now: Date) -> Document {
        let due = progress.due(at: now, among: library.questions.filter(filter.admits)).count
        let matching = library.questions.filter(filter.admits).count
        return Document(blocks: [
            .heading("Quiz"),
            .paragraph([.text("Which status code should this response carry? \(library.questions.count) questions; ", .plain),
                        .text("\(matching) match the filters.", .plain)]),
            .field(label: "Topic", value: [.text(filter.topic ?? "all topics", .code), .text("   (t changes it)", .dim)]),
            .field(label: "Difficulty", value: [.text(filter.difficulty?.rawValue ?? "any", .code), .text("   (d changes it)", .dim)]),
            .heading("Start"),
            .bullet([.text("p", .strong), .text("  Practice: one question at a time, with feedback and the diagram path", .plain)]),
            .bullet([.text("r", .strong), .text("  Review: \(due) question\(due == 1 ? "" : "s") of this topic and difficulty due again (missed ones come back first)", .plain)]),
            .bullet([.text("e", .strong), .text("  Exam: \(QuizRun.questionCount(mode: .exam, asked: count) ?? QuizRun.examLength) questions, no feedback until the end, a summary by topic", .plain)]),
            .bullet([.text("s", .strong), .text("  Statistics: accuracy by topic, streak, reviews due", .plain)]),
            .paragraph([.text("Streak: \(progress.streak) · best \(progress.bestStreak) · answered \(progress.items.count) different questions", .dim)]),
        ])
    }

    static func stats(library: ContentLibrary, progress: QuizProgress, now: Date) -> Document {
        var blocks: [Block] = [.heading("Statistics")]
        let rows = progress.accuracyByTopic(library.questions)
        if rows.isEmpty {
            blocks.append(.paragraph([.text("Nothing answered yet: practise a few questions first.", .dim)]))
        }
        // The bars line up: each topic's name is padded inside the value (ux-walk-1 L6).
        let nameWidth = rows.map(\.topic.count).max() ?? 0
        for row in rows {
            let percent = row.total == 0 ? 0 : row.right * 100 / row.total
            let bar = String(repeating: "█", count: percent / 10) + String(repeating: "·", count: 10 - percent / 10)
            let pad = String(repeating: " ", count: nameWidth - row.topic.count)
            blocks.append(.paragraph([.text(row.topic, .strong), .text(pad + "  \(bar) \(percent)%  (\(row.right)/\(row.total))", .plain)]))
        }
        let due = progress.due(at: now, among: library.questions).count
        blocks.append(.paragraph([.text("Streak: \(progress.streak), best \(progress.bestStreak). Reviews due, all topics: \(due).", .strong)]))
        let boxes = (1...5).map { box in progress.items.values.filter { $0.box == box }.count }
        blocks.append(.paragraph([.text("How well you know them, from 1 (asked again soon) to 5 (known): " + boxes.map(String.init).joined(separator: " · "), .dim)]))
        return Document(blocks: blocks)
    }

    static func question(_ question: QuizQuestion, number: Int, of total: Int, mode: QuizSession.Mode, seed: UInt64,
                         cursor: Int, picked: [Int], remaining: TimeInterval?) -> Document {
        var header = "\(mode.rawValue.capitalized) · question \(number) of \(total) · \(question.topics.joined(separator: ", ")) · \(question.difficulty.rawValue)"
        if let remaining { header += String(format: " · %d:%02d left", Int(remaining) / 60, Int(remaining) % 60) }
        var blocks: [Block] = [.paragraph([.text(header, .dim)]), .paragraph(question.scenario)]
        if !question.wire.isEmpty { blocks.append(.code(question.wire)) }
        let prompt: String
        switch question.kind {
        case .pick: prompt = "Choose one (number or Enter):"
        case .header: prompt = "Which header must go with it?"
        case .spot: prompt = "What is wrong?"
        case .pickAll: prompt = "Choose every defensible answer (numbers or Space), then Enter:"
        case .order: prompt = "Put these in order: press the numbers in the right order."
        }
        blocks.append(.paragraph([.text(prompt, .strong)]))
        for (index, choice) in question.presentedChoices(seed: seed).enumerated() {
            let mark: String
            switch question.kind {
            case .pickAll: mark = picked.contains(index + 1) ? "[x]" : "[ ]"
            case .order: mark = picked.firstIndex(of: index + 1).map { "(\($0 + 1))" } ?? "( )"
            default: mark = ""
            }
            let style: TextStyle = index == cursor ? .strong : .plain
            blocks.append(.item(marker: index == cursor ? "›" : " ",
                                [.text("\(mark)\(mark.isEmpty ? "" : " ")\(index + 1)) ", .strong), .text(choice.label, style)]))
        }
        return Document(blocks: blocks)
    }

    static func feedback(_ answer: QuizSession.Answer, library: ContentLibrary, seed: UInt64, last: Bool) -> Document {
        var hint: [Inline] = [.text("Enter", .strong), .text(last ? " for the results" : " for the next question", .plain)]
        if let id = answer.question.referencePage {
            let name = library.page(id)?.displayTitle ?? id
            hint += [.text(", ", .plain), .text("r", .strong), .text(" for the page on \(name)", .plain)]
        }
        return Document(blocks: QuizFeedback.blocks(answer, library: library, seed: seed) + [.paragraph(hint + [.text(".", .plain)])])
    }

    static func summary(_ session: QuizSession) -> Document {
        let score = session.score
        var blocks: [Block] = [.heading("Results: \(score.right) of \(score.total)"),
                               .paragraph([.text("score: \(score.right)/\(score.total)", .strong)]),
                               .paragraph([.text("Enter goes back to the menu.", .dim)])]
        for row in session.byTopic {
            blocks.append(.field(label: row.topic, value: [.text("\(row.right)/\(row.total)", .plain)]))
        }
        let missed = session.answers.filter { !$0.correct }
        if !missed.isEmpty {
            blocks.append(.heading("To review"))
            for answer in missed {
                blocks.append(.bullet([.text(answer.question.scenario.plainText, .plain), .text("  → ", .dim),
                                       .text(answer.question.key.map(answer.question.label).joined(separator: answer.question.kind == .order ? " → " : " or "), .strong)]))
            }
        }
        return Document(blocks: blocks)
    }
}
