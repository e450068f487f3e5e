import Testing
@testable import StatusLabCore

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
