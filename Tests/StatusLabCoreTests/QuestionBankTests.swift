import Foundation
import Testing
@testable import StatusLabCore

@Suite struct QuestionBankTests {
    let bank = builtInLibrary.questions

    func text(_ question: QuizQuestion) -> String {
        ([question.scenario.plainText, question.explanation.plainText] + question.wire + question.choices.map(\.label)
            + question.accepted.map(\.reason.plainText)).joined(separator: " ")
    }

    @Test func theBankIsBigAndVaried() {
        #expect(bank.count >= 80)
        #expect(Set(bank.map(\.kind)) == Set(QuizQuestion.Kind.allCases))
        for topic in QuizQuestion.topics { #expect(bank.contains { $0.topics.contains(topic) }, "no question on \(topic)") }
        for level in QuizQuestion.Difficulty.allCases { #expect(bank.contains { $0.difficulty == level }) }
        #expect(bank.filter { $0.diagram != nil }.count >= 25, "scenarios that can be stated as facts state them")
    }

    @Test func everyCaseOfTheSourceDiscussionIsAsked() throws {
        let auth = try #require(builtInLibrary.diagram("auth"))
        let reached = Set(bank.filter { $0.diagram == "auth" }.compactMap { try? DecisionEngine.decide(auth, facts: $0.facts).outcome.id })
        for outcome in ["challenge", "no-permission", "malformed", "token-expired", "blocked-identity",
                        "hidden-private", "login-redirect", "not-found"] {
            #expect(reached.contains(outcome), "no question walks auth to \(outcome)")
        }
        #expect(bank.contains { $0.topics.contains("spec-history") && text($0).contains("RFC 2616") })
    }

    @Test func everyBearerErrorCodeIsAsked() {
        for code in ["invalid_request", "invalid_token", "insufficient_scope"] {
            #expect(bank.contains { text($0).contains(code) }, "no question on \(code)")
        }
    }
}

/// ux-walk-1 H1: on one-answer questions whose options are sentences or header names, the right
/// answer was option 1 in 25 of 28. Pressing 1 throughout must not pass.
@Suite struct QuizPlacementTests {
    @Test func pressingOneThroughoutDoesNotPass() throws {
        let bank = builtInLibrary.questions
        let session = QuizSession(mode: .practice, bank: bank, filter: .init(), count: bank.count, seed: 7, progress: QuizProgress(), now: Date())
        var right = 0, text = 0, textRight = 0
        for question in session.questions {
            let numbers = question.kind == .order ? Array(1...question.choices.count) : [1]
            let given = try #require(QuizSession.answer(numbers, for: question, seed: session.seed))
            let correct = question.isCorrect(given)
            if correct { right += 1 }
            if [.pick, .header, .spot].contains(question.kind), !question.choicesAreCodes {
                text += 1
                if correct { textRight += 1 }
            }
        }
        #expect(text >= 20, "the bank has enough sentence questions to measure")
        #expect(textRight * 2 < text, "pressing 1 answers \(textRight) of \(text) sentence questions right")
        #expect(right * 2 < session.questions.count, "pressing 1 scores \(right) of \(session.questions.count)")
    }

    @Test func aRoomWithOneSeedSeesOneOrderAndCodesStaySorted() throws {
        let question = try #require(builtInLibrary.questions.first { $0.kind == .spot && !$0.choicesAreCodes })
        #expect(question.presentedChoices(seed: 7).map(\.value) == question.presentedChoices(seed: 7).map(\.value))
        #expect(Set(question.presentedChoices(seed: 7).map(\.value)) == Set(question.choices.map(\.value)))
        let orders = Set((1...8).map { question.presentedChoices(seed: UInt64($0)).map(\.value) })
        #expect(orders.count > 1, "another seed, another order")
        let codes = try #require(builtInLibrary.questions.first { $0.kind == .pick && $0.choicesAreCodes })
        #expect(codes.presentedChoices(seed: 7).map(\.value) == codes.choices.map(\.value))
    }

    @Test func aBankWithAFavouritePlaceIsRefused() {
        // Every option accepted: wherever the shuffle puts them, option 1 is right every time.
        let question = { (n: Int) in """
            question: t-always-\(n)
            kind: pick
            topic: headers
            difficulty: easy
            scenario: Which of these is a header?
            choice: a | Allow
            choice: b | Location
            answer: a | A header.
            answer: b | A header too.
            explanation: Both are.
            spec: RFC 9110 §10.2.1
            """ }
        let problems = checkQuiz((1...4).map(question).joined(separator: "\n\n")).problems
        #expect(problems.contains { $0.hasSuffix("option 1 is the right answer to 4 of the 4 questions whose options are shuffled: pressing 1 throughout would pass") },
                "\(problems)")
    }
}

/// ux-walk-1 M4: `r` was offered on every question but did nothing where the answer is a header
/// or a sentence. Every built-in question now has a page to open.
@Suite struct QuizReferenceTests {
    @Test func everyQuestionLeadsToAPageThatExists() {
        for question in builtInLibrary.questions {
            let id = question.referencePage
            #expect(id != nil, "\(question.id) has no page for r")
            if let id { #expect(builtInLibrary.page(id) != nil, "\(question.id): r leads to `\(id)`, which is no page") }
        }
        let header = builtInLibrary.questions.first { $0.kind == .header }
        #expect(header?.referenceCode == nil || header?.referencePage != nil)
    }
}
