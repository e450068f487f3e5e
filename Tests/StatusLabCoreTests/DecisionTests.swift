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
        #expect(DecisionRecord(diagram: auth, path: path, outcome: outcome).header
                == "auth: public=no > everyone=no > browser=no > credentials-present=no > hide-strangers=no > challenge 401")
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
