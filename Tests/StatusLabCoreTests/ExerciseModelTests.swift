import Foundation
import Testing
@testable import StatusLabCore

@Suite struct ExerciseModelTests {
    @Test func stepsMustComeInOrderAndTargetsAreGlobs() {
        #expect(Exercise.Expectation.glob("/api/*", matches: "/api/notes/1"))
        #expect(!Exercise.Expectation.glob("/api/*", matches: "/app/notes"))
        #expect(Exercise.Expectation.glob("/api/notes/*?hide=on", matches: "/api/notes/1?hide=on"))
        #expect(!Exercise.Expectation.glob("/a", matches: "/ab"))
        func entry(_ status: Int) -> LabLogEntry {
            LabLogEntry(number: 0, date: Date(), method: "GET", target: "/x", status: status, interim: [], decision: nil,
                        requestHeaders: [], responseHeaders: [], bodyPrefix: "", duration: .zero)
        }
        let twoSteps = Exercise(id: "t", path: "t", title: "t", order: 1, goal: [], hints: [], explanation: [], specs: [], steps: [
            Exercise.Step(label: "a", expectations: [.status(401)], solution: nil, tokenFor: nil, line: 1),
            Exercise.Step(label: "b", expectations: [.status(200)], solution: nil, tokenFor: nil, line: 2),
        ])
        #expect(twoSteps.isSolved(by: [entry(401), entry(404), entry(200)]))
        #expect(!twoSteps.isSolved(by: [entry(200), entry(401)]))
        #expect(twoSteps.progress(in: [entry(200), entry(401)]) == 1)
    }

    @Test func aBrokenExerciseIsReportedWithItsLine() {
        let text = """
            exercise: t
            title: T
            order: 1
            goal: Do it.
            hint: Try.
            explanation: See [[401]].
            spec: RFC 9110 §15.5.2

            step: one
            expect: status 299
            expect: decision auth/nowhere
            expect: colour blue
            send: GET api
            """
        let files = builtInFiles.filter { !$0.path.hasPrefix("exercises/") } + [ContentFile(path: "exercises/01-t.exercise", text: text)]
        let problems = ContentValidator().check(files).diagnostics.map(\.description)
        #expect(problems.contains("exercises/01-t.exercise:10: status `299` is not a registered code or a class such as 4xx"), "\(problems)")
        #expect(problems.contains { $0.hasPrefix("exercises/01-t.exercise:11: decision `auth/nowhere` names no outcome") })
        #expect(problems.contains { $0.hasPrefix("exercises/01-t.exercise:12: unknown expectation `colour`") })
        #expect(problems.contains("exercises/01-t.exercise:13: send is `METHOD /path?query`"))
    }
}
