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

@Suite struct SchedulerTests {
    let now = Date(timeIntervalSince1970: 1_000_000)

    @Test func rightAnswersMoveUpAndComeBackLater() {
        var progress = QuizProgress()
        progress.record("a", correct: true, at: now)
        #expect(progress.items["a"]!.box == 2)
        #expect(progress.items["a"]!.due == now.addingTimeInterval(86_400))
        progress.record("a", correct: true, at: now)
        #expect(progress.items["a"]!.box == 3)
        #expect(progress.streak == 2)
        #expect(progress.due(at: now.addingTimeInterval(3600), among: sampleBank).isEmpty)
    }

    @Test func missedAnswersReturnFirst() {
        var progress = QuizProgress()
        for question in sampleBank { progress.record(question.id, correct: true, at: now) }
        progress.record("t-order", correct: false, at: now)
        #expect(progress.items["t-order"]!.box == 1)
        #expect(progress.streak == 0)
        #expect(progress.bestStreak == 4)
        let soon = progress.due(at: now.addingTimeInterval(60), among: sampleBank)
        #expect(soon.map(\.id) == ["t-order"])
        let later = progress.due(at: now.addingTimeInterval(2 * 86_400), among: sampleBank)
        #expect(later.first?.id == "t-order")
        #expect(later.count == 4)
        let review = QuizSession(mode: .review, bank: sampleBank, filter: .init(), count: nil, seed: 1, progress: progress, now: now.addingTimeInterval(60))
        #expect(review.questions.map(\.id) == ["t-order"])
    }

    @Test func accuracyByTopic() {
        var progress = QuizProgress()
        progress.record("t-no-token", correct: true, at: now)
        progress.record("t-both", correct: false, at: now)
        let rows = progress.accuracyByTopic(sampleBank)
        #expect(rows.map(\.topic) == ["authn-vs-authz", "hiding", "tokens"])
        #expect(rows.first { $0.topic == "hiding" }!.right == 0)
    }
}

@Suite struct ProgressStoreTests {
    func temporaryStore() -> ProgressStore {
        ProgressStore(file: FileManager.default.temporaryDirectory
            .appendingPathComponent("statuslab-progress-\(UUID().uuidString)/statuslab/progress.json"))
    }

    @Test func savesAtomicallyAndLoadsBack() throws {
        let store = temporaryStore()
        defer { try? FileManager.default.removeItem(at: store.file.deletingLastPathComponent().deletingLastPathComponent()) }
        #expect(store.load().progress == QuizProgress())
        var progress = QuizProgress()
        progress.record("t-order", correct: true, at: Date(timeIntervalSince1970: 1_000_000))
        try store.save(progress)
        let loaded = store.load()
        #expect(loaded.progress == progress)
        #expect(loaded.notice == nil)
        let folder = try FileManager.default.contentsOfDirectory(atPath: store.file.deletingLastPathComponent().path)
        #expect(folder == ["progress.json"], "no temporary file is left behind")
    }

    @Test func aCorruptFileIsKeptAsideWithAMessage() throws {
        let store = temporaryStore()
        let folder = store.file.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("{\"items\": [oops".utf8).write(to: store.file)
        let loaded = store.load(now: Date(timeIntervalSince1970: 0))
        #expect(loaded.progress == QuizProgress())
        #expect(loaded.canSave)
        let notice = try #require(loaded.notice)
        #expect(notice.contains("could not be read"))
        #expect(notice.contains("progress.corrupt-1970-01-01T000000Z.json"))
        let aside = folder.appendingPathComponent("progress.corrupt-1970-01-01T000000Z.json")
        #expect(try String(contentsOf: aside, encoding: .utf8) == "{\"items\": [oops", "the bad file is kept as it was")
        #expect(!FileManager.default.fileExists(atPath: store.file.path))
    }
}

@Suite struct PlainQuizTests {
    func run(_ input: [String], mode: QuizSession.Mode = .practice, seed: UInt64 = 7) -> (output: String, errors: String, result: PlainQuiz.Result) {
        var lines = input[...]
        var output = "", errors = ""
        let run = QuizRun(mode: mode, bank: sampleBank, count: 3, seed: seed, now: Date(timeIntervalSince1970: 0))
        var quiz = PlainQuiz(quiz: run, library: builtInLibrary, renderer: PlainRenderer(width: 80, color: false))
        let result = quiz.run(readLine: { lines.popFirst() }, write: { output += $0 }, fail: { errors += $0 + "\n" },
                              now: { Date(timeIntervalSince1970: 0) }, save: { _ in })
        return (output, errors, result)
    }

    @Test func theSameSeedAndAnswersGiveTheSameRun() {
        // An answer of the right shape for each question the seed picks.
        let asked = QuizSession(mode: .practice, bank: sampleBank, filter: .init(), count: 3, seed: 7).questions
        let input = asked.map { question -> String in
            switch question.kind {
            case .pick, .header, .spot: "1"
            case .pickAll: "1 2"
            case .order: (1...question.choices.count).map(String.init).joined(separator: " ")
            }
        }
        let first = run(input)
        let second = run(input)
        #expect(first.output == second.output)
        guard case .finished(let right, let total) = first.result else { Issue.record("did not finish"); return }
        #expect(total == 3)
        #expect(first.output.hasSuffix("score: \(right)/3\n"))
        #expect(right == first.output.components(separatedBy: "Right.").count - 1)
    }

    @Test func badAnswersAreAskedAgainAndEndOfInputStops() {
        let result = run(["9", "1"])
        #expect(result.errors.contains("“9” is not an answer here"))
        #expect(result.errors.contains("input ended after 1 of 3 questions."))
        #expect(result.result == .inputEnded(answered: 1, total: 3))
    }

    @Test func anAnswerAfterTheTimeLimitDoesNotCount() {
        var lines = ["1", "1", "1"][...]
        var output = ""
        var now = Date(timeIntervalSince1970: 0)
        let run = QuizRun(mode: .exam, bank: sampleBank, count: 3, seed: 7, timeLimit: 60, now: now)
        var quiz = PlainQuiz(quiz: run, library: builtInLibrary, renderer: PlainRenderer(width: 80, color: false))
        let result = quiz.run(readLine: { now += 61; return lines.popFirst() }, write: { output += $0 }, fail: { _ in },
                              now: { now }, save: { _ in Issue.record("an answer after the time limit was saved") })
        #expect(output.contains("Time is up."))
        #expect(result == .finished(right: 0, total: 3))
        #expect(output.hasSuffix("score: 0/3\n"))
    }

    @Test func eachAnswerThatCountsIsSaved() {
        var lines = ["1", "1", "1"][...]
        var saved: [QuizProgress] = []
        let run = QuizRun(mode: .exam, bank: sampleBank, count: 3, seed: 7, now: Date(timeIntervalSince1970: 0))
        var quiz = PlainQuiz(quiz: run, library: builtInLibrary, renderer: PlainRenderer(width: 80, color: false))
        _ = quiz.run(readLine: { lines.popFirst() }, write: { _ in }, fail: { _ in }, now: { Date(timeIntervalSince1970: 0) },
                     save: { saved.append($0) })
        #expect(saved.map(\.items.count) == [1, 2, 3])
        #expect(saved.last == quiz.quiz.progress)
    }

    @Test func anExamGivesNoFeedbackUntilTheEnd() {
        let result = run(["1", "1", "1", "1"], mode: .exam)
        #expect(!result.output.contains("Right."))
        #expect(!result.output.contains("Not quite."))
        #expect(result.output.contains("Results\n"))
        #expect(result.output.split(separator: "\n").last?.hasPrefix("score: ") == true)
    }
}

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
