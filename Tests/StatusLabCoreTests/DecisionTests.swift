import Testing
@testable import StatusLabCore

@Suite struct DecisionEngineTests {
    let library = builtInLibrary

    var auth: Diagram { library.diagram("auth")! }

    /// Facts for the common part of the auth walk: a private area, a program calling, a
    /// server that challenges strangers; the resource exists.
    func facts(_ extra: [String: String]) -> [String: String] {
        ["resource-exists": "yes", "resource-public": "no", "forbidden-to-everyone": "no", "client-is-browser": "no",
         "hide-from-strangers": "no"].merging(extra) { $1 }
    }

    func decide(_ extra: [String: String]) throws -> Outcome {
        try DecisionEngine.decide(auth, facts: facts(extra)).outcome
    }

    static let signedIn = ["credentials-present": "yes", "credentials-well-formed": "yes", "credentials-check": "valid",
                           "identity-blocked": "no", "forbidden-to-everyone": "no", "owned-by-someone-else": "no"]

    // The source discussion's cases, one by one.

    @Test func notLoggedInIsAChallenge() throws {
        let outcome = try decide(["credentials-present": "no", "client-is-browser": "no"])
        #expect(outcome.status == 401)
        #expect(outcome.filledHeaders(auth.variables) == [#"WWW-Authenticate: Bearer realm="statuslab""#])
    }

    @Test func loggedInWithoutPermissionIsForbidden() throws {
        let outcome = try decide(Self.signedIn.merging(["permission-held": "no", "hide-forbidden": "no"]) { $1 })
        #expect(outcome.status == 403)
        #expect(outcome.filledHeaders(auth.variables).first?.contains(#"error="insufficient_scope", scope="notes:write""#) == true)
    }

    @Test func malformedCredentialsAreABadRequest() throws {
        let outcome = try decide(["credentials-present": "yes", "credentials-well-formed": "no"])
        #expect(outcome.status == 400)
        #expect(outcome.headers.first?.value.contains("invalid_request") == true)
        #expect(outcome.headers.first?.required == false, "a 400 may carry a challenge; it need not")
        #expect(outcome.filledHeaders(auth.variables) == [#"WWW-Authenticate: Bearer realm="statuslab", error="invalid_request""#])
        #expect(outcome.filledHeaders(auth.variables.merging(["scheme": "Basic"]) { $1 }).isEmpty,
                "Basic has no error codes: a malformed Basic header gets a 400 without a challenge")
    }

    @Test func expiredCredentialsAreUnauthorized() throws {
        let outcome = try decide(["credentials-present": "yes", "credentials-well-formed": "yes", "credentials-check": "expired"])
        #expect(outcome.status == 401)
        #expect(outcome.headers.first?.value.contains(#"error="invalid_token""#) == true)
    }

    @Test func aBlockedIdentityIsForbidden() throws {
        let outcome = try decide(Self.signedIn.merging(["identity-blocked": "yes"]) { $1 })
        #expect(outcome.status == 403)
        #expect(outcome.id == "blocked-identity")
    }

    @Test func someoneElsesPrivateRecordIsNotFound() throws {
        let outcome = try decide(Self.signedIn.merging(["owned-by-someone-else": "yes"]) { $1 })
        #expect(outcome.status == 404)
        #expect(outcome.alternatives.map(\.status) == [403])
    }

    @Test func aBrowserThatIsNotLoggedInIsSentToTheLoginPage() throws {
        let outcome = try decide(["client-is-browser": "yes", "caller-identified": "no", "login-by-redirect": "yes"])
        #expect((300...399).contains(outcome.status))
        #expect(outcome.headerNames.contains("Location"))
        #expect(outcome.filledHeaders(auth.variables).contains("Location: /app/login?next=%2Fapp%2Fnotes"))
    }

    @Test func aResourceThatDoesNotExistIsNotFound() throws {
        let outcome = try decide(Self.signedIn.merging(["resource-exists": "no"]) { $1 })
        #expect(outcome.status == 404)
        let anonymous = try decide(["resource-exists": "no", "credentials-present": "no"])
        #expect(anonymous.status == 401, "a stranger gets the same answer whether or not the resource exists")
    }

    @Test func hidingAForbiddenResourceAndThePlainYes() throws {
        #expect(try decide(Self.signedIn.merging(["permission-held": "no", "hide-forbidden": "yes"]) { $1 }).status == 404)
        #expect(try decide(Self.signedIn.merging(["permission-held": "yes"]) { $1 }).status == 200)
    }

    @Test func theWalkReportsItsPath() throws {
        let (path, outcome) = try DecisionEngine.decide(auth, facts: facts(["credentials-present": "no", "client-is-browser": "no"]))
        #expect(path.map(\.question) == ["public", "everyone", "browser", "credentials-present", "hide-strangers"])
        #expect(DecisionEngine.describe(path, outcome: outcome)
                == "public=no > everyone=no > browser=no > credentials-present=no > hide-strangers=no > challenge 401")
    }

    @Test func missingAndInvalidFactsAreErrors() {
        #expect(throws: DecisionEngine.MissingFact.self) { try DecisionEngine.decide(auth, facts: ["resource-public": "no"]) }
        do {
            _ = try DecisionEngine.decide(auth, facts: ["resource-public": "perhaps"])
            Issue.record("expected an error")
        } catch let error as DecisionEngine.InvalidFact {
            #expect(error.description == "`perhaps` is not a value of the fact `resource-public` (one of: yes, no)")
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func interactiveWalksStopAtTheNextQuestion() {
        guard case .asking(let path, let question) = DecisionEngine.walk(auth, answers: ["no", "no", "no"]) else {
            Issue.record("expected a question"); return
        }
        #expect(path.count == 3)
        #expect(question.id == "credentials-present")
        guard case .invalidAnswer(_, let asked, let value) = DecisionEngine.walk(auth, answers: ["maybe"]) else {
            Issue.record("expected an invalid answer"); return
        }
        #expect(asked.id == "public")
        #expect(value == "maybe")
    }
}

@Suite struct DiagramCoverageTests {
    let library = builtInLibrary

    @Test(arguments: ["auth", "status", "redirect"])
    func everyPathOfEveryDiagramWalksToItsOutcome(_ id: String) throws {
        let diagram = try #require(library.diagram(id))
        let paths = DecisionEngine.allPaths(diagram)
        #expect(!paths.isEmpty)
        for (path, outcome) in paths {
            // Answering the same way reproduces it, and so do the facts the path implies.
            let answers = DecisionEngine.answers(replaying: path, in: diagram)
            guard case .decided(let walked, let reached) = DecisionEngine.walk(diagram, answers: answers) else {
                Issue.record("\(id): path \(path) does not end in an outcome"); continue
            }
            #expect(walked == path)
            #expect(reached.id == outcome.id)
            let facts = DecisionEngine.facts(of: path, in: diagram)
            #expect(try DecisionEngine.decide(diagram, facts: facts).outcome.id == outcome.id)
            #expect(StatusRegistry.lookup(outcome.status) != nil)
            for name in HeaderRules.requiredHeaders(for: outcome.status) {
                #expect(outcome.headerNames.contains(name), "\(id)/\(outcome.id) lacks \(name)")
            }
        }
        // Every outcome is reached by some path (besides those of the diagrams it hands over to).
        #expect(Set(paths.filter { $0.outcome.diagram == id }.map(\.outcome.id)) == Set(diagram.outcomes.map(\.id)))
    }

    @Test func statusDiagramIsBigEnough() throws {
        let status = try #require(library.diagram("status"))
        #expect(status.questions.count >= 30)
        #expect(Set(status.outcomes.map(\.status)).count >= 25)
    }

    @Test func redirectDiagramCoversEveryRedirect() throws {
        let redirect = try #require(library.diagram("redirect"))
        #expect(Set(redirect.outcomes.map(\.status)).isSuperset(of: [301, 302, 303, 304, 307, 308]))
    }

    @Test func codePagesLinkToTheDecisionsThatLeadThere() throws {
        let page = try #require(library.page(code: 401))
        let document = PageDocument.document(for: page, in: library)
        let links = document.blocks.flatMap { block -> [String] in
            guard case .bullet(let inlines) = block else { return [] }
            return inlines.compactMap { if case .link(let target, _) = $0 { target } else { nil } }
        }
        #expect(links.contains("diagram:auth/challenge"))
        #expect(DiagramLink.parse("diagram:auth/challenge")! == ("auth", "challenge"))
    }
}

@Suite struct DiagramCheckTests {
    let good = """
        title: Tiny
        summary: A tiny diagram.
        start: first

        question: first
        fact: thing-exists
        ask: Does it exist?
        yes: second
        no: gone

        question: second
        fact: caller-known
        ask: Is the caller known?
        yes: fine
        no: challenge

        outcome: fine
        status: 200
        label: fine
        why: All good.
        spec: RFC 9110 §15.3.1
        serves: yes

        outcome: gone
        status: 404
        label: gone
        why: Nothing here.
        spec: RFC 9110 §15.5.5

        outcome: challenge
        status: 401
        label: who are you
        why: Say who you are.
        spec: RFC 9110 §15.5.2
        header: WWW-Authenticate: Basic realm="{realm}"
        """

    func check(_ text: String) -> [String] {
        var files = builtInFiles
        files.append(ContentFile(path: "diagrams/tiny.diagram", text: text))
        return ContentValidator().check(files).diagnostics.map(\.description)
    }

    @Test func aGoodDiagramPassesOnceItsPlaceholderHasADefault() {
        #expect(check(good) == ["diagrams/tiny.diagram:30: outcome `challenge`: placeholder {realm} has no `var: realm = …` default"])
        #expect(check(good.replacingOccurrences(of: "start: first", with: "start: first\nvar: realm = demo")) == [])
    }

    var fixed: String { good.replacingOccurrences(of: "start: first", with: "start: first\nvar: realm = demo") }

    @Test func whetherAnOutcomeServesIsSaidAndChecked() throws {
        #expect(check(fixed.replacingOccurrences(of: "serves: yes\n", with: "")).contains { $0.hasSuffix("outcome `fine`: a 200 serves the request; say `serves: yes`") })
        #expect(check(fixed.replacingOccurrences(of: "label: gone\n", with: "label: gone\nserves: yes\n")).contains {
            $0.hasSuffix("outcome `gone`: `serves: yes` goes with a 2xx status, not 404")
        })
        var problems: [Diagnostic] = []
        let diagram = DiagramParser().parse(path: "diagrams/tiny.diagram", text: fixed, diagnostics: &problems).diagram
        #expect(diagram.outcome("fine")?.serves == true)
        #expect(diagram.outcome("gone")?.serves == false)
    }

    @Test func mayHeadersAreKeptApartFromMustHeaders() throws {
        let outcome = try #require(builtInLibrary.diagram("status")?.outcome("too-many-requests"))
        #expect(outcome.headers.contains { $0.name == "Retry-After" && !$0.required }, "RFC 6585 §4: a 429 MAY carry Retry-After")
        #expect(!outcome.headerNames.contains("Retry-After"))
        let blocks = OutcomeDocument.blocks(outcome, in: builtInLibrary.diagram("status")!)
        let text = blocks.map { "\($0)" }.joined(separator: "\n")
        #expect(text.contains("May also carry"))
    }

    @Test func anEmptyStartIsRejected() {
        let problems = check(fixed.replacingOccurrences(of: "start: first", with: "start:"))
        #expect(problems.contains("diagrams/tiny.diagram:3: the diagram's first block needs a non-empty `start:`"))
        #expect(problems.contains("diagrams/tiny.diagram:3: `start:` names no question"))
    }

    @Test func anArrowBeforeTheBarIsReportedNotCrashedOn() {
        let text = fixed.replacingOccurrences(of: "yes: fine\nno: challenge", with: "choice: a -> b | label\nchoice: c | d -> fine")
        #expect(check(text).contains { $0.contains("a choice is `choice: value | label -> target`") })
    }

    @Test func aDeadEndIsRejected() {
        let text = fixed.replacingOccurrences(of: "yes: fine\nno: challenge", with: "yes: fine")
        #expect(check(text).contains { $0.hasPrefix("diagrams/tiny.diagram:12: dead end: question `second` needs two or more answers") })
    }

    @Test func aCycleIsRejected() {
        let text = fixed.replacingOccurrences(of: "no: challenge", with: "no: first")
        let problems = check(text)
        #expect(problems.contains { $0.contains("cycle: `first` can be reached again from itself") })
        #expect(problems.contains { $0.contains("`challenge` is unreachable") })
    }

    @Test func anUnknownCodeIsRejected() {
        let problems = check(fixed.replacingOccurrences(of: "status: 200", with: "status: 299"))
        #expect(problems == ["diagrams/tiny.diagram:18: outcome `fine`: 299 is not a registered status code"])
    }

    @Test func aChallengeWithoutWWWAuthenticateIsRejected() {
        let problems = check(fixed.replacingOccurrences(of: "header: WWW-Authenticate: Basic realm=\"{realm}\"", with: ""))
        #expect(problems == ["diagrams/tiny.diagram:31: outcome `challenge`: a 401 must carry WWW-Authenticate (RFC 9110 §15.5.2); add `header: WWW-Authenticate: …`"])
    }

    @Test func anUnreachableQuestionAndAnUnknownTargetAreRejected() {
        let text = fixed + "\n\nquestion: lonely\nfact: lonely-fact\nask: Anyone?\nyes: fine\nno: nowhere\n"
        let problems = check(text)
        let nowhere = lineNumber(of: "no: nowhere", in: text)!
        let lonely = lineNumber(of: "question: lonely", in: text)!
        #expect(problems.contains("diagrams/tiny.diagram:\(nowhere): `nowhere` is neither a question nor an outcome of this diagram"))
        #expect(problems.contains("diagrams/tiny.diagram:\(lonely): `lonely` is unreachable: no path from `first` leads to it"))
    }

    @Test func factsMustBeUsedConsistently() {
        let text = fixed.replacingOccurrences(of: "fact: caller-known", with: "fact: thing-exists")
        let line = lineNumber(of: "question: second", in: text)!
        #expect(check(text).contains("diagrams/tiny.diagram:\(line): fact `thing-exists` is asked again here after question `first` on the same path"))
    }
}

/// One author per question: `status` hands over to `auth`, and the content check refuses two
/// diagrams that decide one request differently.
@Suite struct HandoffTests {
    let status = builtInLibrary.diagram("status")!
    let auth = builtInLibrary.diagram("auth")!

    /// What the server knows of any request that reaches the resource checks.
    static let sound = ["service-available": "yes", "method-known": "yes", "uri-too-long": "no", "headers-too-large": "no",
                        "request-well-formed": "yes"]
    static let readOnlyTokenOnAMissingNote = ["resource-public": "no", "forbidden-to-everyone": "no", "client-is-browser": "no",
                                              "credentials-present": "yes", "credentials-well-formed": "yes", "credentials-check": "valid",
                                              "identity-blocked": "no", "resource-exists": "no", "permission-held": "no", "hide-forbidden": "no",
                                              "method-allowed": "yes"]

    @Test func statusAsksNoneOfTheQuestionsItHandsOverBeforeHandingOver() throws {
        let handedOver = Set(auth.questions.map(\.fact))
        // The questions on the way to the handoff: none is auth's to ask.
        var before: [Question] = []
        var next: String? = status.start
        while let id = next, let question = status.question(id), question.handoff == nil {
            before.append(question)
            next = question.answers.first { status.question($0.target) != nil }?.target
        }
        #expect(try #require(next.flatMap(status.question)).handoff == "auth")
        #expect(before.map(\.id) == ["service-available", "method-known", "uri-too-long", "headers-too-large", "request-well-formed"])
        #expect(Set(before.map(\.fact)).isDisjoint(with: handedOver))
        #expect(status.questions.compactMap(\.handoff) == ["auth"])
    }

    @Test func deletingAMissingNoteWithAReadOnlyTokenIsOneAnswerInBothFlowcharts() throws {
        // content-audit-2 N1: the `status` flowchart said 403, the `auth` one 404.
        let facts = Self.sound.merging(Self.readOnlyTokenOnAMissingNote) { $1 }
        let byStatus = try DecisionEngine.decide(status, facts: facts)
        let byAuth = try DecisionEngine.decide(auth, facts: facts)
        #expect(byStatus.outcome.status == 404)
        #expect(byStatus.outcome.id == byAuth.outcome.id)
        #expect(byStatus.outcome.diagram == "auth", "the refusal is auth's own outcome, not a copy")
        #expect(byStatus.path.map(\.question).suffix(byAuth.path.count) == byAuth.path.map(\.question))
    }

    @Test func whatAuthLetsInGoesOnInStatusAndFactsCarry() throws {
        var facts = Self.sound.merging(Self.readOnlyTokenOnAMissingNote) { $1 }
        facts["resource-exists"] = "yes"
        facts["permission-held"] = "yes"
        facts["owned-by-someone-else"] = "no"
        facts["legally-restricted"] = "no"
        facts["content-too-large"] = "yes"
        let (path, outcome) = try DecisionEngine.decide(status, facts: facts)
        #expect(outcome.status == 413)
        #expect(path.contains(DecisionEngine.Step(question: "access", answer: Question.passed)))
        #expect(path.first { $0.question == "access" }?.given == false)
        // Interactively: auth's questions are asked, the handoff is not, and a fact once answered
        // is never asked again.
        let answers = DecisionEngine.answers(replaying: path, in: status)
        #expect(answers.count == path.filter(\.given).count)
        guard case .decided(let walked, let again) = DecisionEngine.walk(status, answers: answers) else {
            Issue.record("the answers do not walk to an outcome"); return
        }
        #expect(again.id == outcome.id)
        #expect(walked == path)
        guard case .asking(_, let question) = DecisionEngine.walk(status, answers: Array(answers.prefix(5))) else {
            Issue.record("expected a question"); return
        }
        #expect(question.diagram == "auth", "after the request line checks, the walk is in auth")
        #expect(question.id == "public")
    }

    @Test func aPublicResourceIsLetInAndLookedUpByStatus() throws {
        var facts = Self.sound
        facts.merge(["resource-public": "yes", "method-allowed": "yes", "legally-restricted": "no", "content-too-large": "no",
                     "media-type-supported": "yes", "acceptable-representation": "yes", "content-valid": "valid",
                     "resource-exists": "no", "existed-before": "yes", "moved-permanently": "no", "moved-temporarily": "no",
                     "gone-for-good": "yes"]) { $1 }
        #expect(try DecisionEngine.decide(status, facts: facts).outcome.status == 410)
    }
}

@Suite struct DiagramAgreementTests {
    /// Two diagrams over the same two facts, one asking existence first and one identity first:
    /// a stranger asking for nothing gets 404 from one and 401 from the other.
    let existenceFirst = DiagramCheckTests().fixed
    let identityFirst = """
        title: Twin
        summary: The same facts, the other order.
        start: who
        var: realm = demo

        question: who
        fact: caller-known
        ask: Is the caller known?
        yes: what
        no: challenge

        question: what
        fact: thing-exists
        ask: Does it exist?
        yes: fine
        no: gone

        outcome: fine
        status: 200
        label: fine
        why: All good.
        spec: RFC 9110 §15.3.1
        serves: yes

        outcome: gone
        status: 404
        label: gone
        why: Nothing here.
        spec: RFC 9110 §15.5.5

        outcome: challenge
        status: 401
        label: who are you
        why: Say who you are.
        spec: RFC 9110 §15.5.2
        header: WWW-Authenticate: Basic realm="{realm}"
        """

    func check(_ extra: [String: String]) -> [String] {
        var files = builtInFiles
        for (path, text) in extra { files.append(ContentFile(path: path, text: text)) }
        return ContentValidator().check(files).diagnostics.map(\.description)
    }

    @Test func twoDiagramsThatDecideOneRequestDifferentlyAreRefused() {
        let problems = check(["diagrams/tiny.diagram": existenceFirst, "diagrams/twin.diagram": identityFirst])
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.hasPrefix("diagrams/tiny.diagram:") == true)
        #expect(problems.first?.contains("`tiny` and `twin` decide one request differently: 404 at `gone` here, 401 at `twin/challenge`") == true,
                "\(problems)")
        // Either one alone is fine, and so are the two once one hands over to the other.
        #expect(check(["diagrams/tiny.diagram": existenceFirst]) == [])
        let handingOver = """
            title: Front
            summary: Hands over to the twin.
            start: gate

            handoff: gate
            diagram: twin
            ask: Who gets in? The twin decides.
            pass: done

            outcome: done
            status: 200
            label: done
            why: Let in.
            spec: RFC 9110 §15.3.1
            serves: yes
            """
        #expect(check(["diagrams/twin.diagram": identityFirst, "diagrams/front.diagram": handingOver]) == [])
    }

    @Test func aHandoffMustLandAndNeverLeadBack() {
        let lost = """
            title: Lost
            summary: Hands over to nothing.
            start: gate

            handoff: gate
            diagram: nowhere
            ask: Who gets in?
            pass: done

            outcome: done
            status: 200
            label: done
            why: Let in.
            spec: RFC 9110 §15.3.1
            serves: yes
            """
        #expect(check(["diagrams/lost.diagram": lost]) == ["diagrams/lost.diagram:5: handoff `gate`: there is no diagram `nowhere`"])
        let back = lost.replacingOccurrences(of: "diagram: nowhere", with: "diagram: back").replacingOccurrences(of: "title: Lost", with: "title: Back")
        let problems = check(["diagrams/back.diagram": back])
        #expect(problems.contains("diagrams/back.diagram:5: handoff `gate`: `back` hands over back to `back`, so a walk would never end"), "\(problems)")
    }
}
