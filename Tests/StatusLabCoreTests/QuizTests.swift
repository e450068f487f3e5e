import Foundation
import Testing
@testable import StatusLabCore

/// A small bank of our own, so engine tests do not depend on the real questions' wording.
let sampleQuiz = """
    question: t-no-token
    kind: pick
    topic: authn-vs-authz, tokens
    difficulty: easy
    scenario: A script calls GET /api/notes/7 with no Authorization header.
    diagram: auth
    facts: resource-public=no, forbidden-to-everyone=no, client-is-browser=no, credentials-present=no, hide-from-strangers=no
    choice: 400
    choice: 401
    choice: 403
    answer: 401 | Nobody is identified yet.
    explanation: See [[401]].
    spec: RFC 9110 §15.5.2

    question: t-both
    kind: pick-all
    topic: hiding
    difficulty: medium
    scenario: Bob asks for Alice's private note.
    diagram: auth
    facts: resource-public=no, client-is-browser=no, credentials-present=yes, credentials-well-formed=yes, credentials-check=valid, identity-blocked=no, forbidden-to-everyone=no, resource-exists=yes, owned-by-someone-else=yes
    choice: 401
    choice: 403
    choice: 404
    answer: 404 | Hides it.
    answer: 403 | Honest.
    explanation: Both are defensible.
    spec: RFC 9110 §15.5.4

    question: t-order
    kind: order
    topic: general
    difficulty: hard
    scenario: Put the checks in order.
    diagram: auth
    step: credentials-present | Who is asking?
    step: resource-exists | Does it exist?
    step: permission-held | May they?
    explanation: Identity, existence, permission.
    spec: RFC 9110 §15.5.4

    question: t-spot
    kind: spot
    topic: headers
    difficulty: easy
    scenario: What is wrong?
    wire: HTTP/1.1 401 Unauthorized
    choice: a | It lacks WWW-Authenticate
    choice: b | It needs a body
    answer: a | A 401 carries a challenge.
    explanation: See [[www-authenticate]].
    spec: RFC 9110 §15.5.2
    """

func checkQuiz(_ text: String) -> (library: ContentLibrary?, problems: [String]) {
    let files = builtInFiles.filter { !$0.path.hasPrefix("quiz/") } + [ContentFile(path: "quiz/t.quiz", text: text)]
    let report = ContentValidator().check(files)
    return (report.library, report.diagnostics.map(\.description))
}

let sampleBank: [QuizQuestion] = checkQuiz(sampleQuiz).library!.questions

@Suite struct QuizCheckTests {
    @Test func theSampleBankPasses() {
        #expect(checkQuiz(sampleQuiz).problems == [])
        #expect(sampleBank.map(\.id) == ["t-no-token", "t-both", "t-order", "t-spot"])
    }

    @Test func aKeyThatDisagreesWithTheModelFails() {
        let text = sampleQuiz.replacingOccurrences(of: "answer: 401 | Nobody is identified yet.", with: "answer: 403 | Wrong on purpose.")
        let line = lineNumber(of: "facts: resource-public=no, forbidden-to-everyone=no, client-is-browser=no, credentials-present=no", in: text)!
        let problems = checkQuiz(text).problems
        #expect(problems.contains("quiz/t.quiz:\(line): the model says 401 (`auth` outcome `challenge`), which is not among the answers 403"))
        #expect(problems.contains("quiz/t.quiz:\(line): answer 403 disagrees with the model: `auth` outcome `challenge` allows 401, 404"))
    }

    @Test func factsThatDoNotReachAnOutcomeFail() {
        let text = sampleQuiz.replacingOccurrences(of: "client-is-browser=no, credentials-present=no", with: "credentials-present=no")
        #expect(checkQuiz(text).problems.contains { $0.contains("the facts do not walk `auth` to an outcome: no value for the fact `client-is-browser`") })
    }

    @Test func malformedQuestionsAreReported() {
        let text = sampleQuiz
            .replacingOccurrences(of: "topic: hiding", with: "topic: hiding, gossip")
            .replacingOccurrences(of: "answer: 403 | Honest.\n", with: "")
            .replacingOccurrences(of: "difficulty: hard", with: "difficulty: brutal")
            .replacingOccurrences(of: "answer: a | A 401 carries a challenge.", with: "answer: c | Not a choice.")
        let problems = checkQuiz(text).problems
        #expect(problems.contains { $0.contains("topic `gossip` is not one of") })
        #expect(problems.contains { $0.contains("a `pick-all` question needs two or more answers") })
        #expect(problems.contains { $0.contains("difficulty is easy, medium or hard, not `brutal`") })
        #expect(problems.contains { $0.contains("answer `c` is not one of the choices") })
    }

    @Test func emptyAndRepeatedAnswersAreReportedNotCrashedOn() {
        let text = sampleQuiz
            .replacingOccurrences(of: "choice: 400\n", with: "choice:\n")
            .replacingOccurrences(of: "answer: 403 | Honest.", with: "answer: 404 | Again.\nanswer:")
        let problems = checkQuiz(text).problems
        #expect(problems.contains { $0.hasSuffix("`choice:` needs a value") })
        #expect(problems.contains { $0.hasSuffix("`answer:` needs a value") })
        #expect(problems.contains { $0.hasSuffix("answer `404` is given twice") })
    }

    @Test func theReferenceCodeIsTheModelsDecision() throws {
        // A pick-all whose first accepted answer is not the model's outcome.
        let question = try #require(sampleBank.first { $0.id == "t-both" })
        #expect(question.key.first == "404")
        #expect(question.modelStatus == 404)
        let reordered = checkQuiz(sampleQuiz.replacingOccurrences(of: "answer: 404 | Hides it.\nanswer: 403 | Honest.",
                                                                  with: "answer: 403 | Honest.\nanswer: 404 | Hides it."))
        #expect(reordered.library?.questions.first { $0.id == "t-both" }?.referenceCode == 404)
    }

    @Test func anOrderTheDiagramContradictsFails() {
        let text = sampleQuiz.replacingOccurrences(of: "step: credentials-present | Who is asking?\nstep: resource-exists | Does it exist?",
                                                   with: "step: resource-exists | Does it exist?\nstep: credentials-present | Who is asking?")
        #expect(checkQuiz(text).problems.contains {
            $0.hasSuffix("order question `t-order` puts `resource-exists` before `credentials-present`, but diagram `auth` asks `credentials-present` first")
        })
    }

    @Test func twoOrdersThatDisagreeFail() {
        let other = """

            question: t-order-2
            kind: order
            topic: general
            difficulty: hard
            scenario: The same checks, the other way round.
            step: permission-held | May they?
            step: credentials-present | Who is asking?
            step: serve | Serve it.
            explanation: Wrong on purpose.
            spec: RFC 9110 §15.5.4
            """
        #expect(checkQuiz(sampleQuiz + "\n" + other).problems.contains {
            $0.contains("order question `t-order-2` puts `permission-held` before `credentials-present`; `t-order` (quiz/t.quiz:")
        })
    }

    @Test func theSameFactsWithOtherAnswersFail() {
        let other = """

            question: t-both-again
            kind: pick
            topic: hiding
            difficulty: medium
            scenario: Bob asks for Alice's private note, again.
            diagram: auth
            facts: resource-public=no, client-is-browser=no, credentials-present=yes, credentials-well-formed=yes, credentials-check=valid, identity-blocked=no, forbidden-to-everyone=no, resource-exists=yes, owned-by-someone-else=yes
            choice: 403
            choice: 404
            answer: 404 | Hides it.
            explanation: Only 404 this time.
            spec: RFC 9110 §15.5.4
            """
        #expect(checkQuiz(sampleQuiz + "\n" + other).problems.contains {
            $0.contains("question `t-both-again` accepts 404 but `t-both` (quiz/t.quiz:") && $0.hasSuffix("accepts 403, 404 for the same facts (`auth` outcome `hidden-private`)")
        })
    }

    @Test func duplicateIDsAreReported() {
        let text = sampleQuiz.replacingOccurrences(of: "question: t-spot", with: "question: t-order")
        #expect(checkQuiz(text).problems.contains { $0.contains("question id `t-order` is also used in quiz/t.quiz:") })
    }
}

@Suite struct QuizEngineTests {
    func question(_ id: String) -> QuizQuestion { sampleBank.first { $0.id == id }! }

    @Test func gradingByKind() {
        #expect(question("t-no-token").isCorrect(["401"]))
        #expect(!question("t-no-token").isCorrect(["403"]))
        #expect(question("t-both").isCorrect(["403", "404"]))
        #expect(!question("t-both").isCorrect(["404"]))
        #expect(!question("t-both").isCorrect(["401", "403", "404"]))
        #expect(question("t-order").isCorrect(["credentials-present", "resource-exists", "permission-held"]))
        #expect(!question("t-order").isCorrect(["resource-exists", "credentials-present", "permission-held"]))
    }

    @Test func typedAnswersAreParsedAgainstWhatIsShown() {
        let order = question("t-order")
        let shown = order.presentedChoices(seed: 0)
        #expect(shown != order.choices, "order questions are shown shuffled")
        #expect(shown == order.presentedChoices(seed: 1), "the same way every time, whatever the seed")
        let right = order.key.map { value in String(shown.firstIndex { $0.value == value }! + 1) }.joined(separator: " ")
        #expect(QuizSession.parseAnswer(right, for: order, seed: 0) == order.key)
        #expect(QuizSession.parseAnswer("1 2", for: order, seed: 0) == nil)
        #expect(QuizSession.parseAnswer("2", for: question("t-no-token"), seed: 0) == ["401"])
        #expect(QuizSession.parseAnswer("2 3", for: question("t-no-token"), seed: 0) == nil)
        #expect(QuizSession.parseAnswer("3,2", for: question("t-both"), seed: 0) == ["404", "403"])
        #expect(QuizSession.parseAnswer("4", for: question("t-both"), seed: 0) == nil)
        #expect(QuizSession.parseAnswer("two", for: question("t-both"), seed: 0) == nil)
    }

    @Test func aSeedGivesTheSameOrderEveryTime() {
        let a = QuizSession(mode: .exam, bank: sampleBank, filter: .init(), count: 3, seed: 7)
        let b = QuizSession(mode: .exam, bank: sampleBank, filter: .init(), count: 3, seed: 7)
        let c = QuizSession(mode: .exam, bank: sampleBank, filter: .init(), count: 4, seed: 8)
        #expect(a.questions.map(\.id) == b.questions.map(\.id))
        #expect(a.questions.count == 3)
        #expect(Set(c.questions.map(\.id)) == Set(sampleBank.map(\.id)))
        let filtered = QuizSession(mode: .practice, bank: sampleBank, filter: .init(topic: "hiding"), count: nil, seed: 1)
        #expect(filtered.questions.map(\.id) == ["t-both"])
        let easy = QuizSession(mode: .practice, bank: sampleBank, filter: .init(difficulty: .easy), count: nil, seed: 1)
        #expect(Set(easy.questions.map(\.id)) == ["t-no-token", "t-spot"])
    }

    @Test func aSessionScoresAndSummarisesByTopic() throws {
        var session = QuizSession(mode: .exam, bank: sampleBank, filter: .init(), count: nil, seed: 3)
        while let question = session.current {
            session.answer(question.id == "t-spot" ? ["b"] : question.key, seconds: 1.5)
        }
        #expect(session.score == (right: 3, total: 4))
        #expect(session.byTopic.first { $0.topic == "headers" }! == (topic: "headers", right: 0, total: 1))
        let json = try JSONSerialization.jsonObject(with: session.export(startedAt: Date(timeIntervalSince1970: 0))) as! [String: Any]
        #expect(json["score"] as? Int == 3)
        #expect(json["total"] as? Int == 4)
        #expect(json["seed"] as? Int == 3)
        let rows = json["questions"] as! [[String: Any]]
        #expect(rows.count == 4)
        let spot = rows.first { $0["id"] as? String == "t-spot" }!
        #expect(spot["given"] as? [String] == ["b"])
        #expect(spot["correct"] as? Bool == false)
        #expect(spot["seconds"] as? Double == 1.5)
    }

    @Test func stoppingCountsTheRestAsWrong() {
        var session = QuizSession(mode: .exam, bank: sampleBank, filter: .init(), count: nil, seed: 3)
        session.answer(session.current!.key, seconds: 1)
        session.stop()
        #expect(session.isFinished)
        #expect(session.score == (right: 1, total: 4))
    }
}
