import Testing
@testable import StatusLabCore

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
